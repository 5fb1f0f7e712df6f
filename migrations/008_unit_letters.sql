-- Ladder letters one per unit (domain/letters/batch.ts): which unit letter lists each item step.
-- An item step is listed in one letter per lead unit, ever: a late or repeated enlisting that
-- reaches a second batch finds its step claimed and is left out of that letter.
create table letter_batch_entries (
  step_key   text not null,   -- the item step's idempotency key: <item>:ladder:<rung>:v<N>
  unit_id    uuid not null references units(id),
  item_id    uuid not null references items(id),
  batch_key  text not null,   -- the batch (a unit-letter workflow run and round) that claimed it
  claimed_at timestamptz not null default now(),
  primary key (step_key, unit_id)
);
create index letter_batch_entries_batch on letter_batch_entries (batch_key);
