-- 试运行: each simulation the office asks for, its progress while it runs (written by its
-- activity, read by the API and the console's progress bar), and its report once done. The
-- simulation itself runs in a database of its own (simulation/database.ts), dropped afterwards:
-- only this row and its report stay.
create table simulations (
  id           uuid primary key,
  requested_by text not null,
  request      jsonb not null,
  status       text not null default 'running' check (status in ('running', 'done', 'failed')),
  progress     jsonb not null default '{"run": 0, "runs": 1, "day": 0, "days": 0}',
  result       jsonb,
  error        text,
  created_at   timestamptz not null default now(),
  finished_at  timestamptz
);
create index simulations_created on simulations (created_at desc);
