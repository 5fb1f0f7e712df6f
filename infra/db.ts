import postgres from 'postgres';
import type { Config } from './config';

export type Sql = postgres.Sql;

/**
 * postgres.js client. Columns come back camelCased so rows map straight onto API shapes;
 * timestamps are ISO 8601 strings and `date` columns stay 'YYYY-MM-DD' strings (a deadline is a
 * calendar date in Asia/Shanghai, not an instant, so it must never pass through a JS Date).
 */
/**
 * PostgreSQL away must fail fast, not hang: a connection not ready within PG_CONNECT_TIMEOUT_S
 * (default 5 s) fails with CONNECT_TIMEOUT, and a statement running past PG_STATEMENT_TIMEOUT_MS
 * (default 30 s; 0: none) is cancelled by the server — both answered 503 DATABASE_UNAVAILABLE.
 * The values come from the loaded configuration (`pgTimeouts(cfg)`); these are its defaults.
 */
export const DEFAULT_PG_CONNECT_TIMEOUT_S = 5;
export const DEFAULT_PG_STATEMENT_TIMEOUT_MS = 30_000;

export interface SqlOptions {
  max?: number;
  connectTimeoutS?: number;
  /** 0: no statement timeout. */
  statementTimeoutMs?: number;
}

/** The configured timeouts as createSql options: `createSql(url, { ...pgTimeouts(cfg), max })`. */
export const pgTimeouts = (cfg: Pick<Config, 'PG_CONNECT_TIMEOUT_S' | 'PG_STATEMENT_TIMEOUT_MS'>): SqlOptions => ({
  connectTimeoutS: cfg.PG_CONNECT_TIMEOUT_S,
  statementTimeoutMs: cfg.PG_STATEMENT_TIMEOUT_MS,
});

export function createSql(url: string, opts: SqlOptions = {}): Sql {
  const statementTimeout = opts.statementTimeoutMs ?? DEFAULT_PG_STATEMENT_TIMEOUT_MS;
  return postgres(url, {
    max: opts.max ?? 10,
    connect_timeout: opts.connectTimeoutS ?? DEFAULT_PG_CONNECT_TIMEOUT_S,
    onnotice: () => {},
    // Column names only: JSON values (event payloads, status-keyed counts) are left as written.
    transform: { column: { from: postgres.toCamel, to: postgres.fromCamel } },
    types: {
      date: { to: 1082, from: [1082], serialize: (v: string) => v, parse: (v: string) => v },
      // Instants travel as ISO 8601 strings: the same shape in workflows, activities and JSON.
      instant: {
        to: 1184,
        from: [1184, 1114],
        serialize: (v: string | Date) => (v instanceof Date ? v : new Date(v)).toISOString(),
        parse: (v: string) => new Date(v).toISOString(),
      },
    },
    connection: {
      timezone: 'Asia/Shanghai',
      application_name: 'rectify',
      ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
    },
  });
}
