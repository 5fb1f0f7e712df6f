-- The first answer of a create that is not a Temporal update (a unit, a token, a calendar
-- version, a template version), kept with its Idempotency-Key so a retry with the same body gets
-- the same answer again instead of a second row (api/services/idempotency.ts `once`).
--   response_status null: the first request is still running (a twin waits a moment, then 409);
--   a claim left null past its lease (the process died) may be taken over by a retry.
-- Keys of Temporal updates (scopes 'item:…', 'campaign:…') never store an answer: Temporal keeps it.
-- The answer goes with the key when the outbox sweep purges keys older than
-- IDEMPOTENCY_KEY_RETENTION_DAYS; for POST /principals it holds the issued token (see `once`).
--   claim: the request holding the key now, so a request that outlived its lease can neither
--   release nor answer the claim a later request took over.
alter table idempotency_keys
  add column response_status int,
  add column response_body   jsonb,
  add column claim           uuid;
