-- Workers say they are alive here every few seconds (and remove themselves on shutdown), so
-- /health can tell at once whether any worker serves a task queue. Temporal's own poller list
-- keeps a stopped worker for minutes, which is too slow to be useful.
create table worker_heartbeats (
  worker_id   text primary key,
  task_queue  text not null,
  identity    text not null,
  started_at  timestamptz not null default now(),
  seen_at     timestamptz not null default now()
);
create index worker_heartbeats_queue on worker_heartbeats (task_queue, seen_at);
