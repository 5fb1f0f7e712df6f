-- Idempotency keys, scoped: the same Idempotency-Key from another caller, for another item or
-- another action is another request. The hash of the canonical request body tells a retry (same
-- body: the same answer) from a reused key (another body: 422 IDEMPOTENCY_KEY_REUSED).
create table idempotency_keys (
  principal     text not null,        -- role:unitId (a unit) or role:name (the office, a leader)
  scope         text not null,        -- what the key acts on: 'item:<id>:<action>', 'campaign:<id>:delist:<unitId>'
  key           text not null,        -- the Idempotency-Key header as sent
  request_hash  text not null,        -- sha-256 of the canonical JSON body
  created_at    timestamptz not null default now(),
  primary key (principal, scope, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);

-- Workflow starts owed by a commit: written in the same transaction as the rows they are for
-- (items, campaigns), taken off when Temporal has the workflow. A drainer in the API process
-- starts what is left (the request itself tries first), so nothing waits for a restart.
create table workflow_outbox (
  workflow_id    text primary key,
  workflow_type  text not null,
  task_queue     text not null,
  args           jsonb not null,
  created_at     timestamptz not null default now(),
  attempts       int not null default 0,
  last_error     text,
  started_at     timestamptz           -- null: still owed
);
create index workflow_outbox_pending on workflow_outbox (task_queue, created_at) where started_at is null;
