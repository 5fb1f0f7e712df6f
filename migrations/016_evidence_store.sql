-- Which store holds each evidence file's bytes (infra/evidence-store.ts): 'postgres' (table
-- evidence_blobs, all files before this migration) or 's3' (object evidence/<sha256>). Recorded per
-- file so that changing RECTIFY_EVIDENCE_STORE later still serves every older file from its store.
alter table evidence_files add column store text not null default 'postgres' check (store in ('postgres', 's3'));
