/**
 * Campaign statistics for the dashboard and the leaders: per campaign and per unit — on-time
 * completion rate, overdue now, average days late, items per light — and a ranking of units.
 * Computed from the read model on request (indexes on status, light and due date keep it cheap).
 */
import { isOpen, OPEN_STATUSES, type ItemStatus } from '../../domain/item-lifecycle';
import { dateOf, daysBetween } from '../../domain/time';
import type { Sql } from '../../infra/db';
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

export function createStatsService({ sql }: { sql: Sql }) {
  return {
    async campaign(campaignId: string) {
      await ensureCampaign(sql, campaignId);
      const today = dateOf(Date.now());
      // One row per item and unit, with when (if ever) it was closed.
      const rows = await sql<{ unitId: string; name: string; status: ItemStatus; light: 'green' | 'yellow' | 'red'; deadlineDate: string | null; closedOn: string | null }[]>`
        select iu.unit_id, u.name, st.status, st.light, st.deadline_date,
               (select (min(e.occurred_at) at time zone 'Asia/Shanghai')::date::text from item_events e
                 where e.item_id = i.id and e.type = 'close') as closed_on
        from items i join item_states st on st.item_id = i.id
        join item_units iu on iu.item_id = i.id join units u on u.id = iu.unit_id
        where i.campaign_id = ${campaignId}`;
      const byUnit = new Map<string, UnitStats & { lateDays: number; lateCount: number }>();
      for (const r of rows) {
        const u = byUnit.get(r.unitId) ?? { unitId: r.unitId, name: r.name, items: 0, closed: 0, closedOnTime: 0, overdueNow: 0, averageDaysLate: 0, lights: { green: 0, yellow: 0, red: 0 }, onTimeRate: null, rank: 0, lateDays: 0, lateCount: 0 };
        byUnit.set(r.unitId, u);
        u.items++;
        u.lights[r.light]++;
        const open = isOpen(r.status);
        if (r.status === 'closed' && r.closedOn) {
          u.closed++;
          if (!r.deadlineDate || r.closedOn <= r.deadlineDate) u.closedOnTime++;
          else (u.lateCount++, (u.lateDays += daysBetween(r.deadlineDate, r.closedOn)));
        } else if (open && r.deadlineDate && r.deadlineDate < today) {
          u.overdueNow++;
          u.lateCount++;
          u.lateDays += daysBetween(r.deadlineDate, today);
        }
      }
      const units = [...byUnit.values()].map(({ lateDays, lateCount, ...u }) => ({
        ...u,
        averageDaysLate: lateCount ? Math.round((lateDays / lateCount) * 10) / 10 : 0,
        onTimeRate: u.closed ? Math.round((u.closedOnTime / u.closed) * 1000) / 1000 : null,
      }));
      // Ranking: more closed on time first, then fewer overdue, then fewer days late.
      units.sort((a, b) => (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1) || a.overdueNow - b.overdueNow || a.averageDaysLate - b.averageDaysLate || a.name.localeCompare(b.name, 'zh'));
      units.forEach((u, i) => (u.rank = i + 1));
      const [totals] = await sql<{ items: number; closed: number; overdueNow: number; green: number; yellow: number; red: number }[]>`
        select count(*)::int as items, count(*) filter (where st.status = 'closed')::int as closed,
               count(*) filter (where st.status in ${sql(OPEN_STATUSES)} and st.deadline_date < ${today})::int as overdue_now,
               count(*) filter (where st.light = 'green')::int as green, count(*) filter (where st.light = 'yellow')::int as yellow,
               count(*) filter (where st.light = 'red')::int as red
        from items i join item_states st on st.item_id = i.id where i.campaign_id = ${campaignId}`;
      return { asOf: today, campaign: totals!, units };
    },
  };
}

