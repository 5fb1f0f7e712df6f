import postgres from 'postgres';

export type Sql = postgres.Sql;

/**
 * postgres.js client. Columns come back camelCased so rows map straight onto API shapes;
 * timestamps are ISO 8601 strings and `date` columns stay 'YYYY-MM-DD' strings (a deadline is a
 * calendar date in Asia/Shanghai, not an instant, so it must never pass through a JS Date).
 */
export function createSql(url: string, opts: { max?: number } = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 10,
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
    connection: { timezone: 'Asia/Shanghai', application_name: 'rectify' },
  });
}
