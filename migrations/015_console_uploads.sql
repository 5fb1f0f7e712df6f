-- The console's import wizard (console/routes/imports.ts): the uploaded list is kept between the
-- dry run and the confirmation (a browser cannot send a file twice without the person choosing it
-- again), for the session that uploaded it, and swept after a day.
create table console_uploads (
  id           uuid primary key,
  session_hash bytea not null,
  campaign_id  uuid not null references campaigns(id),
  name         text not null,
  content      bytea not null,
  created_at   timestamptz not null default now()
);
