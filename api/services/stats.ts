/**
 * Campaign statistics for the dashboard and the leaders: per campaign and per unit — on-time
 * completion rate, overdue now, average days late, items per light — and a ranking of units.
 * Computed from the read model on request (indexes on status, light and due date keep it cheap).
 */
import { OPEN_STATUSES } from '../../domain/item-lifecycle';
import type { Sql } from '../../infra/db';
import { viewAt } from './as-of';
import { ensureCampaign } from './campaigns';

export interface UnitStats {
  unitId: string;
  name: string;
  items: number;
  closed: number;
  closedOnTime: number;
  overdueNow: number;
  averageDaysLate: number;
  lights: { green: number; yellow: number; red: number };
  onTimeRate: number | null;
  rank: number;
}

export function createStatsService({ sql, clock = Date.now }: { sql: Sql; clock?: () => number }) {
  return {
    /** Now, or as of a past instant (回溯: from the audit trail, api/services/as-of.ts). */
    async campaign(campaignId: string, asOf?: number) {
      await ensureCampaign(sql, campaignId);
      const view = viewAt(sql, clock, asOf);
      const today = view.today;
      // Summed per unit in PostgreSQL: a province-size campaign is tens of thousands of (item, unit)
      // rows, which should not cross the wire to be counted. A closed item's day of closing is its
      // first 'close' event (looked up for closed items only); late days count calendar days.
      const rows = await sql<(Omit<UnitStats, 'lights' | 'averageDaysLate' | 'onTimeRate' | 'rank'> & { green: number; yellow: number; red: number; lateDays: number; lateCount: number })[]>`
        with parts as (
          select iu.unit_id, st.status, st.light, st.deadline_date,
                 case when st.status = 'closed' then
                   (select (min(e.occurred_at) at time zone 'Asia/Shanghai')::date from item_events e
                     where e.item_id = i.id and e.type = 'close' and ${view.eventBy})
                 end as closed_on
          from items i ${view.states} ${view.units}
          where i.campaign_id = ${campaignId}),
        judged as (
          select *, closed_on is not null as closed,
                 closed_on is not null and (deadline_date is null or closed_on <= deadline_date) as on_time,
                 status in ${sql(OPEN_STATUSES)} and deadline_date < ${today}::date as overdue_now
          from parts)
        select j.unit_id, u.name, count(*)::int as items,
               count(*) filter (where light = 'green')::int as green, count(*) filter (where light = 'yellow')::int as yellow,
               count(*) filter (where light = 'red')::int as red,
               count(*) filter (where closed)::int as closed, count(*) filter (where on_time)::int as closed_on_time,
               count(*) filter (where overdue_now)::int as overdue_now,
               (coalesce(sum(closed_on - deadline_date) filter (where closed and not on_time), 0)
                + coalesce(sum(${today}::date - deadline_date) filter (where overdue_now), 0))::int as late_days,
               count(*) filter (where (closed and not on_time) or overdue_now)::int as late_count
        from judged j join units u on u.id = j.unit_id
        group by j.unit_id, u.name`;
      const units: UnitStats[] = rows.map(({ green, yellow, red, lateDays, lateCount, ...u }) => ({
        ...u,
        lights: { green, yellow, red },
        averageDaysLate: lateCount ? Math.round((lateDays / lateCount) * 10) / 10 : 0,
        onTimeRate: u.closed ? Math.round((u.closedOnTime / u.closed) * 1000) / 1000 : null,
        rank: 0,
      }));
      // Ranking: more closed on time first, then fewer overdue, then fewer days late.
      units.sort((a, b) => (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1) || a.overdueNow - b.overdueNow || a.averageDaysLate - b.averageDaysLate || a.name.localeCompare(b.name, 'zh'));
      units.forEach((u, i) => (u.rank = i + 1));
      const [totals] = await sql<{ items: number; closed: number; overdueNow: number; green: number; yellow: number; red: number }[]>`
        select count(*)::int as items, count(*) filter (where st.status = 'closed')::int as closed,
               count(*) filter (where st.status in ${sql(OPEN_STATUSES)} and st.deadline_date < ${today})::int as overdue_now,
               count(*) filter (where st.light = 'green')::int as green, count(*) filter (where st.light = 'yellow')::int as yellow,
               count(*) filter (where st.light = 'red')::int as red
        from items i ${view.states} where i.campaign_id = ${campaignId}`;
      return { asOf: today, campaign: totals!, units };
    },
  };
}

