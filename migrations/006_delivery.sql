-- Letters become documents people receive: templates the office edits (versioned per campaign),
-- who a letter is addressed to and who has signed for it (签收), the channels of every unit,
-- and the delivery ledger (letter × recipient × channel), each row keyed so that nothing is
-- sent twice.

-- The office's wording, a new version on every edit; a letter records the version that made it
-- (0 is the built-in wording in domain/letters/templates.ts), so it can be regenerated exactly.
create table letter_templates (
  campaign_id  uuid not null references campaigns(id),
  type         text not null check (type in ('reminder_letter', 'urging_letter', 'supervision_letter', 'bulletin', 'summons', 'listed_supervision')),
  version      int  not null check (version >= 1),
  title        text not null,
  body         text not null,
  created_by   text not null,
  created_at   timestamptz not null default now(),
  primary key (campaign_id, type, version)
);

-- What the letter's head says (mark, signature, 主送, 抄送, date) as issued: with the facts and
-- the template version it makes the same bytes on every render.
alter table letters
  add column title       text,
  add column head        jsonb,
  add column item_seq    int,          -- the item event that caused it (ladder steps)
  add column receipt_due_at timestamptz;

-- Every unit a letter is for: 'to' (主送, must sign for it) or 'cc' (抄送, a copy).
create table letter_recipients (
  letter_id       uuid not null references letters(id),
  unit_id         uuid not null references units(id),
  role            text not null check (role in ('to', 'cc')),
  receipted_at    timestamptz,
  receipted_by    text,
  overdue_at      timestamptz,         -- not signed for within the policy's time: a late event
  primary key (letter_id, unit_id)
);
create index letter_recipients_unit on letter_recipients (unit_id, letter_id);

-- How each unit is reached besides its in-app inbox (which every unit has).
create table unit_channels (
  id          uuid primary key default gen_random_uuid(),
  unit_id     uuid not null references units(id) on delete cascade,
  channel     text not null check (channel in ('email', 'webhook', 'wecom', 'dingtalk', 'feishu')),
  address     text not null,           -- an e-mail address or a webhook URL
  label       text,
  enabled     boolean not null default true,
  created_at  timestamptz not null default now(),
  unique (unit_id, channel, address)
);

-- The delivery ledger. intended → sending → sent → receipted, or → failed after the last
-- attempt. 'sending' left behind means the process died between handing the message over and
-- writing the result: the retry sends again with the same message id and marks the row
-- possibly_duplicated (receivers that honour the id discard the copy).
create table letter_deliveries (
  id                    uuid primary key default gen_random_uuid(),
  idempotency_key       text not null unique,       -- <letter key>/<unit>/<channel>/<address>
  letter_id             uuid not null references letters(id),
  unit_id               uuid not null references units(id),
  role                  text not null check (role in ('to', 'cc')),
  channel               text not null check (channel in ('inbox', 'email', 'webhook', 'wecom', 'dingtalk', 'feishu')),
  address               text not null default '',
  message_id            text not null,              -- derived from the key: the same on every resend
  status                text not null default 'intended' check (status in ('intended', 'sending', 'sent', 'receipted', 'failed')),
  attempts              int  not null default 0,
  last_error            text,
  provider_message_id   text,
  possibly_duplicated   boolean not null default false,
  intended_at           timestamptz not null default now(),
  sent_at               timestamptz,
  failed_at             timestamptz,
  receipted_at          timestamptz,
  updated_at            timestamptz not null default now()
);
create index letter_deliveries_letter on letter_deliveries (letter_id);
create index letter_deliveries_status on letter_deliveries (status, updated_at) where status in ('failed', 'sending');

-- A letter's own audit trail: issued, delivered, failed, receipted, receipt overdue.
create table letter_events (
  id           bigserial primary key,
  key          text not null unique,
  letter_id    uuid not null references letters(id),
  type         text not null,
  unit_id      uuid references units(id),
  payload      jsonb not null default '{}',
  occurred_at  timestamptz not null default now()
);
create index letter_events_letter on letter_events (letter_id, id);

-- The inbox delivery of a letter links to it.
alter table notifications add column letter_id uuid references letters(id);
