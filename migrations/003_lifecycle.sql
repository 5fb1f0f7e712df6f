-- The item lifecycle: deadlines on the official calendar, reminders, the escalation ladder,
-- warning lights, and the intents that make every notice happen exactly once.

-- A deadline is now what the office wrote: a date, working days ("10WD") or a duration; the
-- resolved date lives in the read model.
alter table items alter column deadline type text using deadline::text;
alter table items add column policy jsonb;                 -- per-item overrides of the campaign policy
alter table campaigns add column policy jsonb not null default '{}';

alter table item_states
  add column deadline_date     date,
  add column due_at            timestamptz,
  add column deadline_version  int not null default 1,
  add column light             text not null default 'green' check (light in ('green', 'yellow', 'red')),
  add column paused_reason     text,
  add column pending_extension jsonb,
  add column missed_reports    int not null default 0,
  add column rejections        int not null default 0,
  add column look_back_at      timestamptz,
  add column look_back_due     boolean not null default false;
create index item_states_light on item_states (light);
create index item_states_due on item_states (due_at);

-- Every reminder, ladder step, missed report and look-back, recorded as an intent keyed by
-- (item, step, deadline version) before anything is sent, then marked sent.
create table item_steps (
  idempotency_key   text primary key,
  item_id           uuid not null references items(id),
  seq               int not null,
  kind              text not null check (kind in ('reminder', 'ladder', 'report_missed', 'look_back')),
  name              text not null,
  ladder_step       text,
  list_in_bulletin  boolean not null default false,
  deadline_version  int not null,
  planned_at        timestamptz not null,
  recipients        uuid[] not null default '{}',
  status            text not null default 'intended' check (status in ('intended', 'sent')),
  intended_at       timestamptz not null default now(),
  sent_at           timestamptz
);
create index item_steps_item on item_steps (item_id, planned_at);
create index item_steps_bulletin on item_steps (list_in_bulletin) where list_in_bulletin;

-- The in-app inbox: the default notifier's channel. One row per notice and recipient, keyed,
-- so a notice repeated by a retry lands once. recipient null = the supervising office.
create table notifications (
  id               bigint generated always as identity primary key,
  idempotency_key  text not null,
  recipient        uuid references units(id),
  item_id          uuid references items(id),
  title            text not null,
  body             text not null,
  created_at       timestamptz not null default now(),
  read_at          timestamptz
);
create unique index notifications_once on notifications (idempotency_key, coalesce(recipient, '00000000-0000-0000-0000-000000000000'::uuid));
create index notifications_recipient on notifications (recipient, created_at desc);

-- Calendar versions: the built-in schedule (from the chinese-days package) and the yearly
-- notices the office loads at run time. Exactly one is active.
create table calendar_versions (
  version       int primary key,
  name          text not null,
  source        text not null,
  data          jsonb not null,
  status        text not null default 'draft' check (status in ('draft', 'active', 'retired')),
  created_at    timestamptz not null default now(),
  activated_at  timestamptz
);
create unique index calendar_versions_one_active on calendar_versions (status) where status = 'active';
