-- 摘牌 with a review (seed 001: "挂牌督办摘牌市级初审"; domain/delisting.ts): the unit's application,
-- the office's review (初审) and the decision, each recorded once per listing and request.
create table delisting_steps (
  campaign_id  uuid not null references campaigns(id),
  unit_id      uuid not null references units(id),
  listed_seq   int  not null,            -- the period that listed the unit: which listing
  request_no   int  not null check (request_no >= 1),
  step         text not null check (step in ('applied', 'review_passed', 'review_failed', 'delisted')),
  note         text not null,            -- the application, the review's reasons, the decision's reason
  actor        text not null,
  at           timestamptz not null,
  primary key (campaign_id, unit_id, listed_seq, request_no, step)
);
