/**
 * What a simulation (试运行) says, week by week, read from its own database after the run with the
 * views an office uses: letters issued by type and unit, reminders sent, close-outs and on-time
 * rate, overdue at the week's end (the statistics as of then: 回溯), the week's ratings and
 * listings, and the paper on the office's desk (letters to issue and seal, close-out requests to
 * verify, extensions to decide). Two runs on the same behaviour compare policy against policy.
 */
import { LETTER_TYPES, type LetterType } from '../domain/letters/types';
import { addDays, dateOf, daysBetween, endOfDay, instantAt } from '../domain/time';
import type { Sql } from '../infra/db';
import { createStatsService } from '../api/services/stats';
import type { SimulationRun } from './engine';

export interface WeekReport {
  week: number;
  from: string;
  to: string;
  letters: Record<LetterType, number>;
  reminders: number;
  reportsReceived: number;
  reportsMissed: number;
  closed: number;
  closedOnTime: number;
  /** At the week's end. */
  overdue: number;
  onTimeRate: number | null;
  ratings: { good: number; fair: number; poor: number };
  listed: string[];
  office: { reviews: number; extensions: number; lettersIssued: number };
}

export interface SimulationReport {
  campaignId: string;
  startDate: string;
  days: number;
  items: number;
  weeks: WeekReport[];
  /** Per unit over the whole run: letters by type, times listed. */
  units: { name: string; letters: Partial<Record<LetterType, number>>; listed: number }[];
  totals: { letters: Record<LetterType, number>; listed: number; onTimeRate: number | null; closed: number; overdue: number };
  refused: number;
  refusedBy: Record<string, number>;
  elapsedMs: number;
}

const zeroLetters = () => Object.fromEntries(LETTER_TYPES.map((t) => [t, 0])) as Record<LetterType, number>;

export async function readReport(sql: Sql, run: SimulationRun): Promise<SimulationReport> {
  const { campaignId, startDate } = run;
  const weekOf = (date: string) => Math.floor(daysBetween(startDate, date) / 7);
  const weekOfInstant = (t: string) => weekOf(dateOf(t));
  const weeks: WeekReport[] = [];
  const nWeeks = Math.ceil(run.days / 7);
  const lastInstant = instantAt(addDays(startDate, run.days - 1), '10:00');
  const stats = createStatsService({ sql, clock: () => lastInstant });
  for (let w = 0; w < nWeeks; w++) {
    const from = addDays(startDate, w * 7);
    const to = addDays(startDate, Math.min(run.days, (w + 1) * 7) - 1);
    const end = Math.min(endOfDay(to), lastInstant);
    const s = await stats.campaign(campaignId, end);
    const closedOnTime = s.units.reduce((n, u) => n + u.closedOnTime, 0);
    const closedUnitParts = s.units.reduce((n, u) => n + u.closed, 0);
    weeks.push({
      week: w + 1, from, to, letters: zeroLetters(), reminders: 0, reportsReceived: 0, reportsMissed: 0,
      closed: s.campaign.closed, closedOnTime, overdue: s.campaign.overdueNow,
      onTimeRate: closedUnitParts ? Math.round((closedOnTime / closedUnitParts) * 1000) / 1000 : null,
      ratings: { good: 0, fair: 0, poor: 0 }, listed: [], office: { reviews: 0, extensions: 0, lettersIssued: 0 },
    });
  }
  const at = (w: number) => weeks[Math.min(Math.max(w, 0), weeks.length - 1)]!;

  const units = new Map<string, SimulationReport['units'][number]>();
  const unit = (name: string) => units.get(name) ?? units.set(name, { name, letters: {}, listed: 0 }).get(name)!;
  const letters = await sql<{ type: LetterType; unitName: string | null; issuedOn: string }[]>`
    select l.type, u.name as unit_name, l.issued_on from letters l left join units u on u.id = l.unit_id where l.campaign_id = ${campaignId}`;
  for (const l of letters) {
    const w = at(weekOf(l.issuedOn));
    w.letters[l.type]++;
    w.office.lettersIssued++;
    if (l.unitName) {
      const u = unit(l.unitName);
      u.letters[l.type] = (u.letters[l.type] ?? 0) + 1;
    }
  }
  const events = await sql<{ type: string; actorRole: string; occurredAt: string }[]>`
    select e.type, e.actor_role, e.occurred_at from item_events e join items i on i.id = e.item_id
    where i.campaign_id = ${campaignId} and e.type in ('reminder', 'reportProgress', 'report_missed', 'close', 'reject', 'decideExtension')`;
  for (const e of events) {
    const w = at(weekOfInstant(e.occurredAt));
    if (e.type === 'reminder') w.reminders++;
    else if (e.type === 'reportProgress') w.reportsReceived++;
    else if (e.type === 'report_missed') w.reportsMissed++;
    else if (e.type === 'decideExtension') w.office.extensions++;
    else w.office.reviews++;
  }
  const sheets = await sql<{ periodEnd: string; totals: { ratings: { good: number; fair: number; poor: number } } }[]>`
    select period_end, totals from dispatch_sheets where campaign_id = ${campaignId}`;
  for (const s of sheets) {
    const w = at(weekOfInstant(new Date(Date.parse(s.periodEnd) - 1).toISOString()));
    for (const k of ['good', 'fair', 'poor'] as const) w.ratings[k] += s.totals.ratings[k] ?? 0;
  }
  const listings = await sql<{ name: string; listedAt: string }[]>`
    select u.name, l.listed_at from listed_supervisions l join units u on u.id = l.unit_id where l.campaign_id = ${campaignId}`;
  for (const l of listings) {
    at(weekOfInstant(l.listedAt)).listed.push(l.name);
    unit(l.name).listed++;
  }
  const totals = { letters: zeroLetters(), listed: listings.length, onTimeRate: weeks.at(-1)?.onTimeRate ?? null, closed: weeks.at(-1)?.closed ?? 0, overdue: weeks.at(-1)?.overdue ?? 0 };
  for (const w of weeks) for (const t of LETTER_TYPES) totals.letters[t] += w.letters[t];
  const [{ n }] = [...(await sql<{ n: number }[]>`select count(*)::int as n from items where campaign_id = ${campaignId}`)] as [{ n: number }];
  return {
    campaignId, startDate, days: run.days, items: n, weeks,
    units: [...units.values()].sort((a, b) => total(b.letters) - total(a.letters) || a.name.localeCompare(b.name, 'zh')),
    totals, refused: run.refused, refusedBy: run.refusedBy, elapsedMs: run.elapsedMs,
  };
}

const total = (l: Partial<Record<LetterType, number>>) => Object.values(l).reduce((a, b) => a + (b ?? 0), 0);
