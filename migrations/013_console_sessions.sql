-- Console sign-in sessions (console/session.ts): the browser holds a random id in an HttpOnly
-- cookie; we keep only its SHA-256. The token it signed in with is resolved again on every
-- request, so a token taken away ends its sessions. Each session has its own CSRF token.
create table console_sessions (
  id_hash      bytea primary key,
  token        text not null,
  csrf         text not null,
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at   timestamptz not null
);
create index console_sessions_expiry on console_sessions (expires_at);
