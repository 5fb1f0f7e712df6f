/**
 * Calendar versions: the office loads a new year's State Council notice at run time, previews
 * which running items it would move, and activates it; activation asks every open item's
 * workflow to plan again on the new calendar and reports what moved.
 */
import type { Client } from '@temporalio/client';
import { WorkCalendar, type CalendarData } from '../../domain/calendar';
import { UNFINISHED_STATUSES } from '../../domain/item-lifecycle';
import { effectivePolicy, type PolicyInput } from '../../domain/policy';
import { planItem } from '../../domain/schedule';
import { addDays, daysBetween, iso, type DateStr } from '../../domain/time';
import type { CalendarStore } from '../../infra/calendar-store';
import type { Sql } from '../../infra/db';
import { itemWorkflowId, replanSignal } from '../../workflows/item';
import { badRequest, conflict, notFound } from '../errors';

export interface YearNotice {
  name: string;
  year: number;
  /** Days off: single dates or ranges, each with the holiday's name. */
  holidays: { from: DateStr; to?: DateStr; name: string }[];
  /** Weekend days that are working days (调休上班). */
  workdays: { date: DateStr; name: string }[];
}

export interface ItemShift {
  itemId: string;
  number: string;
  deadlineBefore: string | null;
  deadlineAfter: string | null;
  deadlineShiftDays: number;
  stepsMoved: { key: string; before: string; after: string }[];
}

export function createCalendarService(deps: { sql: Sql; temporal: Client; calendars: CalendarStore }) {
  const { sql, calendars } = deps;

  async function effect(from: WorkCalendar, to: WorkCalendar): Promise<ItemShift[]> {
    const rows = await sql<{ id: string; number: string; deadline: string | null; policy: Partial<PolicyInput> | null; campaignPolicy: PolicyInput; endDate: string; assignedAt: string }[]>`
      select i.id, i.number, i.deadline, i.policy, c.policy as campaign_policy, c.end_date,
             (select occurred_at from item_events e where e.item_id = i.id and e.seq = 1) as assigned_at
      from items i join item_states st on st.item_id = i.id join campaigns c on c.id = i.campaign_id
      where st.status in ${sql(UNFINISHED_STATUSES)} and i.deadline is not null
      order by i.ord`;
    const now = Date.now();
    const out: ItemShift[] = [];
    for (const r of rows) {
      if (!r.assignedAt) continue;
      const input = { deadline: r.deadline, assignedAt: Date.parse(r.assignedAt), from: now, campaignEnd: r.endDate, policy: effectivePolicy(r.campaignPolicy, r.policy) };
      const a = planItem(input, from);
      const b = planItem(input, to);
      const before = new Map(a.steps.map((s) => [s.key, s.at]));
      const stepsMoved = b.steps.filter((s) => before.has(s.key) && before.get(s.key) !== s.at).map((s) => ({ key: s.key, before: iso(before.get(s.key)!), after: iso(s.at) }));
      const shift = a.deadlineDate && b.deadlineDate ? daysBetween(a.deadlineDate, b.deadlineDate) : 0;
      if (shift !== 0 || stepsMoved.length) out.push({ itemId: r.id, number: r.number, deadlineBefore: a.deadlineDate, deadlineAfter: b.deadlineDate, deadlineShiftDays: shift, stepsMoved });
    }
    return out;
  }

  return {
    async day(date: DateStr) {
      const cal = await calendars.active();
      return { ...cal.day(date), calendarVersion: cal.version };
    },

    async addWorkingDays(from: DateStr, days: number) {
      const cal = await calendars.active();
      return { from, days, date: cal.addWorkingDays(from, days), calendarVersion: cal.version };
    },

    list() {
      return sql<{ version: number; name: string; source: string; status: string; years: number[]; createdAt: string; activatedAt: string | null }[]>`
        select version, name, source, status, array(select jsonb_array_elements_text(data->'years')::int) as years, created_at, activated_at
        from calendar_versions order by version desc`;
    },

    /** A draft version: the active calendar with `notice.year` replaced by the notice. */
    async load(notice: YearNotice) {
      const active = await calendars.active();
      const inYear = (d: string) => d.startsWith(`${notice.year}-`);
      const holidays: Record<string, string> = Object.fromEntries(Object.entries(active.data.holidays).filter(([d]) => !inYear(d)));
      const workdays: Record<string, string> = Object.fromEntries(Object.entries(active.data.workdays).filter(([d]) => !inYear(d)));
      const errors: { path: string; message: string }[] = [];
      notice.holidays.forEach((h, i) => {
        const to = h.to ?? h.from;
        if (!inYear(h.from) || !inYear(to) || to < h.from) errors.push({ path: `body.holidays.${i}`, message: `must lie within ${notice.year}, from ≤ to` });
        else for (let d = h.from; d <= to; d = addDays(d, 1)) holidays[d] = h.name;
      });
      notice.workdays.forEach((w, i) => {
        if (!inYear(w.date)) errors.push({ path: `body.workdays.${i}.date`, message: `must lie within ${notice.year}` });
        else if (holidays[w.date]) errors.push({ path: `body.workdays.${i}.date`, message: `${w.date} is also listed as a holiday` });
        else workdays[w.date] = w.name;
      });
      if (errors.length) throw badRequest('the notice does not add up', errors);
      const data: CalendarData = { holidays, workdays, years: [...new Set([...active.data.years, notice.year])].sort() };
      const [row] = await sql<{ version: number }[]>`
        insert into calendar_versions (version, name, source, data, status)
        values ((select coalesce(max(version), 0) + 1 from calendar_versions), ${notice.name}, 'office', ${sql.json(data as never)}, 'draft')
        returning version`;
      return { version: row!.version, status: 'draft' as const };
    },

    async preview(version: number) {
      const [row] = await sql<{ status: string }[]>`select status from calendar_versions where version = ${version}`;
      if (!row) throw notFound('calendar version', String(version));
      const active = await calendars.active();
      return { from: active.version, to: version, items: await effect(active, await calendars.get(version)) };
    },

    /** Activates a version, asks every open item to plan again, and reports what moved. */
    async activate(version: number) {
      const [row] = await sql<{ status: string }[]>`select status from calendar_versions where version = ${version}`;
      if (!row) throw notFound('calendar version', String(version));
      if (row.status === 'active') throw conflict('ALREADY_ACTIVE', `calendar version ${version} is already active`);
      const active = await calendars.active();
      const items = await effect(active, await calendars.get(version));
      await sql.begin(async (tx) => {
        await tx`update calendar_versions set status = 'retired' where status = 'active'`;
        await tx`update calendar_versions set status = 'active', activated_at = now() where version = ${version}`;
      });
      const open = await sql<{ id: string }[]>`select item_id as id from item_states where status in ${sql(UNFINISHED_STATUSES)}`;
      let signalled = 0;
      for (const { id } of open) {
        await deps.temporal.workflow
          .getHandle(itemWorkflowId(id))
          .signal(replanSignal, { calendarVersion: version })
          .then(() => signalled++, () => {});
      }
      return { from: active.version, to: version, signalled, items };
    },
  };
}
export type CalendarService = ReturnType<typeof createCalendarService>;
