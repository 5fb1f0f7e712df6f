/**
 * The dispatch sheet (调度表): at the end of each period of the campaign's cadence, per unit —
 * items, due this period, reported / not reported (未报送), on time, late, overdue, completion,
 * and progress against the time-proportional target (序时进度) — with each unit's rating. Pure:
 * the activity fetches the facts as of the period's end, this builds the sheet, and the sheet
 * is stored as it was.
 *
 * When: a period closes at the end of its cadence day. A cadence day that is not a working day
 * closes on the working day before it (the office compiles before the holiday). The first sheet
 * is the first cadence day after the campaign's first day. Without a report cadence in the
 * policy, the campaign is dispatched monthly.
 */
import type { WorkCalendar } from './calendar';
import { isCadenceDay, isNamedCadence } from './cadence';
import { parseOffset } from './offset';
import type { Cadence } from './policy';
import { FALLBACK_DISPATCH_CADENCE } from './cadences';
import { rankRows, rateUnit, RATING_LABELS, type Rating, type RatingRules } from './ratings';
import { addDays, dateOf, instantAt, type DateStr } from './time';

export type { Cadence };

export interface DispatchPlanInput {
  /** null: monthly (a campaign without a report cadence is still dispatched). */
  cadence: Cadence | null;
  /** When the campaign workflow started: offset cadences count from here, named ones from its day. */
  startedAt: number;
  /** Periods closing after this instant. */
  after: number;
  /** The campaign's last day; null once it has passed (dispatch goes on while items are open). */
  until: DateStr | null;
  max: number;
}

/** The next period-closing instants after `after`, at most `max`. */
export function dispatchInstants(input: DispatchPlanInput, cal: WorkCalendar): number[] {
  const cadence = input.cadence ?? FALLBACK_DISPATCH_CADENCE;
  const out: number[] = [];
  const untilEnd = input.until === null ? Infinity : instantAt(addDays(input.until, 1));
  const push = (t: number) => {
    if (t > input.after && t <= untilEnd && out.length < input.max && out[out.length - 1] !== t) out.push(t);
  };
  if (!isNamedCadence(cadence.every)) {
    const off = parseOffset(cadence.every)!;
    if (off.kind === 'duration') {
      const k = Math.max(1, Math.floor((input.after - input.startedAt) / off.ms) + 1);
      for (let t = input.startedAt + k * off.ms, i = 0; out.length < input.max && t <= untilEnd && i < 10_000; t += off.ms, i++) push(t);
    } else {
      for (let d = cal.addWorkingDays(dateOf(input.startedAt), off.days), i = 0; out.length < input.max && i < 1000; d = cal.addWorkingDays(d, off.days), i++) {
        if (instantAt(d) >= untilEnd) break;
        push(instantAt(addDays(d, 1)));
      }
    }
    return out;
  }
  const weekday = 'weekday' in cadence && typeof cadence.weekday === 'number' ? cadence.weekday : 5;
  const firstDay = addDays(dateOf(input.startedAt), 1);
  const from = dateOf(Math.max(input.after, instantAt(firstDay)));
  for (let d = from, i = 0; out.length < input.max && instantAt(d) < untilEnd && i < 800; d = addDays(d, 1), i++) {
    if (!isCadenceDay(cadence.every, weekday, d)) continue;
    const close = cal.onOrBeforeWorkingDay(d);
    if (close < firstDay) continue;
    push(instantAt(addDays(close, 1)));
  }
  return out;
}

/** One item × unit as of the period's end: the facts the activity reads from the read model. */
export interface PartFacts {
  itemId: string;
  number: string;
  unitId: string;
  unitName: string;
  role: 'lead' | 'co';
  status: string;
  /** The instant the item becomes overdue; null for long-term items. */
  dueAt: number | null;
  assignedAt: number;
  /** When the office closed it (销号), if it did by the period's end. */
  closedAt: number | null;
  progressPercent: number;
  /** The unit reported progress on the item during the period. */
  reportedInPeriod: boolean;
}

export interface SheetUnitRow {
  unitId: string;
  name: string;
  items: number;
  dueInPeriod: number;
  toReport: number;
  reported: number;
  notReported: number;
  notReportedItems: string[];
  closed: number;
  closedOnTime: number;
  closedLate: number;
  overdue: number;
  overdueItems: string[];
  completionRate: number;
  /** Average progress (closed items count 100) and the time-proportional target, in percent. */
  progress: number | null;
  target: number | null;
  lag: number | null;
  rating: Rating;
  ratingLabel: string;
  reasons: string[];
  rank: number;
}

export interface SheetTotals {
  items: number;
  closed: number;
  overdue: number;
  notReported: number;
  completionRate: number;
  progress: number | null;
  target: number | null;
  ratings: Record<Rating, number>;
}

export interface DispatchSheet {
  seq: number;
  periodStart: string;
  periodEnd: string;
  totals: SheetTotals;
  units: SheetUnitRow[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const REPORTING = new Set(['assigned', 'acknowledged', 'in_progress']);

export function buildSheet(parts: PartFacts[], period: { seq: number; start: number; end: number }, rules: RatingRules): DispatchSheet {
  const asOf = period.end;
  const byUnit = new Map<string, PartFacts[]>();
  for (const p of parts) {
    if (p.status === 'cancelled') continue;
    byUnit.set(p.unitId, [...(byUnit.get(p.unitId) ?? []), p]);
  }
  const progressOf = (p: PartFacts) => (p.status === 'closed' ? 100 : p.progressPercent);
  const targetOf = (p: PartFacts) =>
    p.status === 'closed' ? 100 : Math.min(100, Math.max(0, ((asOf - p.assignedAt) / Math.max(1, p.dueAt! - p.assignedAt)) * 100));
  const averages = (ps: PartFacts[]) => {
    const dated = ps.filter((p) => p.dueAt !== null || p.status === 'closed');
    if (!dated.length) return { progress: null, target: null };
    return {
      progress: round1(dated.reduce((a, p) => a + progressOf(p), 0) / dated.length),
      target: round1(dated.reduce((a, p) => a + targetOf(p), 0) / dated.length),
    };
  };

  const units: SheetUnitRow[] = [...byUnit.values()].map((ps) => {
    const closed = ps.filter((p) => p.status === 'closed' && p.closedAt !== null);
    const closedOnTime = closed.filter((p) => p.dueAt === null || p.closedAt! <= p.dueAt).length;
    // Due at the very end of the period (its deadline day is the period's last day) is not late yet.
    const overdue = ps.filter((p) => p.status !== 'closed' && p.dueAt !== null && p.dueAt < asOf);
    const toReport = ps.filter((p) => REPORTING.has(p.status));
    const notReported = toReport.filter((p) => !p.reportedInPeriod);
    const { progress, target } = averages(ps);
    const lag = progress === null || target === null ? null : round1(target - progress);
    const perf = { overdue: overdue.length, toReport: toReport.length, notReported: notReported.length, lag };
    const { rating, reasons } = rateUnit(perf, rules);
    return {
      unitId: ps[0]!.unitId,
      name: ps[0]!.unitName,
      items: ps.length,
      dueInPeriod: ps.filter((p) => p.dueAt !== null && p.dueAt > period.start && p.dueAt <= asOf).length,
      toReport: toReport.length,
      reported: toReport.length - notReported.length,
      notReported: notReported.length,
      notReportedItems: byNumber(notReported.map((p) => p.number)),
      closed: closed.length,
      closedOnTime,
      closedLate: closed.length - closedOnTime,
      overdue: overdue.length,
      overdueItems: byNumber(overdue.map((p) => p.number)),
      completionRate: round1((closed.length / ps.length) * 100),
      progress,
      target,
      lag,
      rating,
      ratingLabel: RATING_LABELS[rating],
      reasons,
      rank: 0,
    };
  });
  // Ranking: better rating, then fewer overdue, fewer not reported, higher completion, smaller lag.
  rankRows(units);

  // Totals count each item once, however many units share it.
  const items = new Map<string, PartFacts>();
  for (const ps of byUnit.values()) for (const p of ps) items.set(p.itemId, p);
  const all = [...items.values()];
  const notReportedTotal = units.reduce((a, u) => a + u.notReported, 0);
  const closedTotal = all.filter((p) => p.status === 'closed').length;
  return {
    seq: period.seq,
    periodStart: new Date(period.start).toISOString(),
    periodEnd: new Date(period.end).toISOString(),
    totals: {
      items: all.length,
      closed: closedTotal,
      overdue: all.filter((p) => p.status !== 'closed' && p.dueAt !== null && p.dueAt < asOf).length,
      notReported: notReportedTotal,
      completionRate: all.length ? round1((closedTotal / all.length) * 100) : 0,
      ...averages(all),
      ratings: {
        good: units.filter((u) => u.rating === 'good').length,
        fair: units.filter((u) => u.rating === 'fair').length,
        poor: units.filter((u) => u.rating === 'poor').length,
      },
    },
    units,
  };
}

/** Item numbers as people read a list: 2 before 10, 3-1 after 3 (the read model's row order is not an order). */
function byNumber(numbers: string[]): string[] {
  return [...numbers].sort((a, b) => a.localeCompare(b, 'zh-CN', { numeric: true }));
}
