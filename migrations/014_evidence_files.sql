-- Evidence files (佐证材料; domain/evidence.ts, api/services/evidence.ts): uploaded for an item,
-- kept durably with it, cited by reports and close-out requests (whose audit events record each
-- file's SHA-256). The bytes live apart from the metadata so listings never read them.
create table evidence_files (
  id           uuid primary key,
  item_id      uuid not null references items(id),
  unit_id      uuid references units(id),       -- the uploading unit; null: the office
  uploaded_by  text not null,
  name         text not null,
  mime         text not null,
  size         int  not null,
  sha256       text not null,
  created_at   timestamptz not null default now()
);
create index evidence_files_item on evidence_files (item_id, created_at);
create table evidence_blobs (
  id       uuid primary key references evidence_files(id),
  content  bytea not null
);
