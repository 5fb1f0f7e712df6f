-- Foundation: the directory of units, campaigns, items, the append-only audit trail and the
-- read model the API lists from. Temporal owns the process; these tables own what people query.

-- Responsible units (责任单位): city departments and county-level units, with the aliases
-- officials write ("市住建局" for "白城市住房和城乡建设局").
create table units (
  id          uuid primary key default gen_random_uuid(),
  name        text not null unique,
  kind        text not null check (kind in ('department', 'county', 'office', 'other')),
  aliases     text[] not null default '{}',
  created_at  timestamptz not null default now()
);
-- A name or alias resolves to exactly one unit.
create table unit_names (
  name     text primary key,
  unit_id  uuid not null references units(id) on delete cascade
);

-- Who is calling: a simple token mapping for now; roles and unit scope feed domain/access.ts.
create table principals (
  token       text primary key,
  role        text not null check (role in ('office', 'unit', 'leader')),
  unit_id     uuid references units(id),
  name        text not null,
  created_at  timestamptz not null default now(),
  check ((role = 'unit') = (unit_id is not null))
);

-- Campaigns (专项行动 / 整改工作方案 / 百日冲刺).
create table campaigns (
  id            uuid primary key default gen_random_uuid(),
  code          text unique,            -- optional caller key: creating the same code twice is a no-op
  title         text not null,
  doc_number    text,                   -- 文号, e.g. 白脱贫发〔2020〕13号
  issuing_body  text,
  start_date    date not null,
  end_date      date not null,
  created_at    timestamptz not null default now(),
  check (end_date >= start_date)
);

-- Items (整改措施 / 任务): the definition, written once by the API.
create table items (
  id           uuid primary key default gen_random_uuid(),
  campaign_id  uuid not null references campaigns(id),
  number       text not null,
  category     text,
  content      text not null,
  kind         text not null check (kind in ('immediate', 'time_limited', 'long_term')),
  deadline     date,
  workflow_id  text not null unique,
  ord          bigint generated always as identity unique,  -- stable list order and paging cursor
  created_at   timestamptz not null default now(),
  unique (campaign_id, number)
);

create table item_units (
  item_id  uuid not null references items(id) on delete cascade,
  unit_id  uuid not null references units(id),
  role     text not null check (role in ('lead', 'co')),
  primary key (item_id, unit_id)
);
create index item_units_unit on item_units (unit_id);

-- Read model: the item's current state as the workflow last reported it. `last_seq` makes the
-- writes idempotent and ordered: an older or repeated write never overwrites a newer one.
create table item_states (
  item_id           uuid primary key references items(id) on delete cascade,
  status            text not null,
  progress_percent  int not null default 0 check (progress_percent between 0 and 100),
  acknowledged_units uuid[] not null default '{}',
  last_report_at    timestamptz,
  last_seq          int not null default 0,
  updated_at        timestamptz not null default now()
);
create index item_states_status on item_states (status);

-- Audit trail: append-only, one row per workflow event, keyed by (item, seq) so a retried
-- activity or a replay writes the same row again, never a second one.
create table item_events (
  item_id      uuid not null references items(id) on delete cascade,
  seq          int not null,
  type         text not null,
  from_status  text,
  to_status    text,
  actor_role   text not null,
  actor_name   text not null,
  actor_unit_id uuid,
  payload      jsonb not null default '{}',
  occurred_at  timestamptz not null,
  primary key (item_id, seq)
);

create or replace function item_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'item_events is append-only';
end $$;
create trigger item_events_no_update before update or delete on item_events
  for each row execute function item_events_append_only();
