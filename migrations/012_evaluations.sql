-- Ratings on their own cadence (考评; domain/cadences.ts, domain/evaluation.ts): a campaign with a
-- rating cadence judges its units per evaluation period from the dispatch sheets in it, and listed
-- supervision counts those evaluations. Kept as built, like the sheets.
create table evaluations (
  campaign_id    uuid not null references campaigns(id),
  seq            int not null,
  period_start   timestamptz not null,
  period_end     timestamptz not null,
  policy_version text not null,
  sheet_seqs     int[] not null,
  totals         jsonb not null,
  units          jsonb not null,
  compiled_at    timestamptz not null default now(),
  primary key (campaign_id, seq)
);
create or replace function evaluations_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'evaluations are kept as compiled';
end $$;
create trigger evaluations_no_update before update or delete on evaluations
  for each row execute function evaluations_immutable();

-- What a listing's periods are: dispatch periods (第N期) or evaluations (第N次考评).
alter table listed_supervisions
  add column basis text not null default 'dispatch' check (basis in ('dispatch', 'evaluation'));
