-- Campaigns as a whole: each unit's own part of an item, the dispatch sheets (调度表) as they
-- were compiled, listed supervision (挂牌督办), and the campaign's own notices as keyed intents.

alter table campaigns
  add column workflow_id text unique,
  add column closed_at   timestamptz,
  add column summary     jsonb;

-- Each lead and co-operating unit's own part of an item: its acknowledgement and its reports.
-- Written with the audit event that caused it (only when that event is new, so a retry never
-- counts a report twice).
create table item_unit_parts (
  item_id          uuid not null references items(id) on delete cascade,
  unit_id          uuid not null references units(id),
  acknowledged_at  timestamptz,
  last_report_at   timestamptz,
  last_percent     int,
  reports          int not null default 0,
  primary key (item_id, unit_id)
);

-- Reports in a period, by unit: the dispatch sheet's 已报送 / 未报送.
create index item_events_unit_reports on item_events (actor_unit_id, occurred_at) where type = 'reportProgress';
-- The item list pages a campaign in order: one index walk, however large the campaign.
create index items_campaign_ord on items (campaign_id, ord);

-- Dispatch sheets: one per campaign and period, written once, never changed: every past sheet
-- reads as it was (it is the input of that period's bulletin).
create table dispatch_sheets (
  campaign_id    uuid not null references campaigns(id),
  seq            int not null,
  period_start   timestamptz not null,
  period_end     timestamptz not null,
  policy_version text not null,
  totals         jsonb not null,
  units          jsonb not null,
  compiled_at    timestamptz not null default now(),
  primary key (campaign_id, seq)
);
create or replace function dispatch_sheets_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'dispatch sheets are kept as compiled';
end $$;
create trigger dispatch_sheets_no_update before update or delete on dispatch_sheets
  for each row execute function dispatch_sheets_immutable();

-- Listed supervision: a unit listed by a period's ratings, until the rule or the office takes it off.
create table listed_supervisions (
  campaign_id     uuid not null references campaigns(id),
  unit_id         uuid not null references units(id),
  listed_seq      int not null,
  listed_at       timestamptz not null,
  poor_periods    int[] not null,
  delisted_at     timestamptz,
  delisted_seq    int,
  delisted_by     text,           -- 'rule' or the office principal's name
  delist_reason   text,
  primary key (campaign_id, unit_id, listed_seq)
);
create index listed_supervisions_open on listed_supervisions (campaign_id) where delisted_at is null;

-- The campaign's notices (listing, summons, delisting) as intents keyed before they are sent,
-- like item_steps: the letters issue turns them into documents.
create table campaign_steps (
  idempotency_key  text primary key,
  campaign_id      uuid not null references campaigns(id),
  unit_id          uuid references units(id),
  kind             text not null check (kind in ('listed_supervision', 'summons', 'delisted')),
  seq              int not null,
  payload          jsonb not null default '{}',
  status           text not null default 'intended' check (status in ('intended', 'sent')),
  intended_at      timestamptz not null default now(),
  sent_at          timestamptz
);
create index campaign_steps_campaign on campaign_steps (campaign_id, intended_at);

-- Campaign-level notices (listing, summons) land in the same inbox, without an item.
alter table notifications add column campaign_id uuid references campaigns(id);
