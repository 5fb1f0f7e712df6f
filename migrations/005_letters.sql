-- Letters (公文): numbered in the same transaction as their row, keyed by the step that caused
-- them, so nothing issues a second number or a second letter.

-- 发文字号 series: one gap-free sequence per issuing body, number kind (函, 通, 发) and year. The
-- 提醒函, 催办函 and 督办函 of one office share the 函 series, as 白振办函〔2023〕12号 does.
create table doc_number_sequences (
  issuing_body  text not null,
  kind          text not null,
  year          int  not null,
  last          int  not null check (last >= 1),
  primary key (issuing_body, kind, year)
);

create table letters (
  id                uuid primary key default gen_random_uuid(),
  idempotency_key   text not null unique,
  campaign_id       uuid references campaigns(id),
  type              text not null check (type in ('reminder_letter', 'urging_letter', 'supervision_letter', 'bulletin', 'summons', 'listed_supervision')),
  issuing_body      text not null,
  kind              text not null,
  year              int  not null,
  number            int  not null,
  doc_number        text not null unique,
  unit_id           uuid references units(id),      -- 主送; null for a bulletin to all units
  item_ids          uuid[] not null default '{}',
  template_version  int  not null default 0,        -- 0: the built-in wording
  facts             jsonb not null,
  issued_on         date not null,
  created_at        timestamptz not null default now(),
  unique (issuing_body, kind, year, number)
);
create index letters_campaign on letters (campaign_id, created_at);
create index letters_unit on letters (unit_id, created_at);
