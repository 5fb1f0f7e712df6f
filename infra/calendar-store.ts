/**
 * The active calendar, read from PostgreSQL (calendar_versions) and cached by version. On an
 * empty table the built-in schedule (chinese-days) becomes version 1.
 */
import { builtinCalendarData, WorkCalendar, type CalendarData } from '../domain/calendar';
import type { Sql } from './db';

export const BUILTIN_CALENDAR_SOURCE = 'npm:chinese-days';

export function createCalendarStore(sql: Sql) {
  const cache = new Map<number, WorkCalendar>();
  return {
    async active(): Promise<WorkCalendar> {
      let [row] = await sql<{ version: number }[]>`select version from calendar_versions where status = 'active'`;
      if (!row) {
        await sql`
          insert into calendar_versions (version, name, source, data, status, activated_at)
          values (1, '内置：国务院办公厅节假日安排（chinese-days）', ${BUILTIN_CALENDAR_SOURCE}, ${sql.json(builtinCalendarData() as never)}, 'active', now())
          on conflict do nothing`; // any unique index: two first readers race on the version and on 'one active'
        [row] = await sql<{ version: number }[]>`select version from calendar_versions where status = 'active'`;
      }
      return this.get(row!.version);
    },
    async get(version: number): Promise<WorkCalendar> {
      const hit = cache.get(version);
      if (hit) return hit;
      const [row] = await sql<{ data: CalendarData }[]>`select data from calendar_versions where version = ${version}`;
      if (!row) throw new Error(`calendar version ${version} not found`);
      const cal = new WorkCalendar(row.data, version);
      cache.set(version, cal);
      return cal;
    },
  };
}
export type CalendarStore = ReturnType<typeof createCalendarStore>;
