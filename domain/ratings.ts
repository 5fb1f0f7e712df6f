/**
 * Rating the units each dispatch period (好 / 中 / 差) and listed supervision (挂牌督办), as data
 * and pure functions. The rules live in the campaign policy (`policy.ratings`); the campaign
 * workflow applies them to each period's dispatch sheet and carries the standings.
 *
 * Default rules (documented in the README):
 *  - 差 (poor) when any of: 2 or more items overdue; more than half of the items to report not
 *    reported (未报送) this period; progress behind the time-proportional target (序时进度) by
 *    more than 30 points.
 *  - 好 (good) when all of: nothing overdue; every item reported; no more than 10 points behind.
 *  - 中 (fair) otherwise.
 *  - Listed after 2 consecutive 差; off the list after 2 consecutive 好, or by the office.
 */
import { z } from 'zod';

export const RATINGS = ['good', 'fair', 'poor'] as const;
export type Rating = (typeof RATINGS)[number];
export const RATING_LABELS: Record<Rating, string> = { good: '好', fair: '中', poor: '差' };

const share = z.number().min(0).max(1);
const points = z.number().min(-100).max(100);

export const ratingRulesSchema = z.object({
  poor: z
    .object({
      overdueAtLeast: z.number().int().min(1).default(2),
      notReportedShareAbove: share.default(0.5),
      lagAbove: points.default(30),
    })
    .default({ overdueAtLeast: 2, notReportedShareAbove: 0.5, lagAbove: 30 }),
  good: z
    .object({
      overdueAtMost: z.number().int().min(0).default(0),
      notReportedShareAtMost: share.default(0),
      lagAtMost: points.default(10),
    })
    .default({ overdueAtMost: 0, notReportedShareAtMost: 0, lagAtMost: 10 }),
  /** Consecutive 差 periods that put a unit under listed supervision (挂牌督办). */
  listAfterPoor: z.number().int().min(1).max(12).default(2),
  /** Consecutive 好 periods that take it off the list. */
  delistAfterGood: z.number().int().min(1).max(12).default(2),
  /**
   * 摘牌 by the office goes through the unit's application and the office's review (初审) first
   * (seed 001: "挂牌督办摘牌市级初审"; domain/delisting.ts). False: the office delists directly.
   */
  delistNeedsReview: z.boolean().default(true),
});
export type RatingRules = z.infer<typeof ratingRulesSchema>;
export const DEFAULT_RATING_RULES: RatingRules = ratingRulesSchema.parse({});

/** What a period's dispatch sheet says about one unit: the inputs of its rating. */
export interface UnitPerformance {
  overdue: number;
  toReport: number;
  notReported: number;
  /** Points behind the time-proportional target (negative: ahead); null without dated open items. */
  lag: number | null;
}

export function rateUnit(p: UnitPerformance, rules: RatingRules): { rating: Rating; reasons: string[] } {
  const share = p.toReport ? p.notReported / p.toReport : 0;
  const lag = p.lag ?? 0;
  const poor: string[] = [];
  if (p.overdue >= rules.poor.overdueAtLeast) poor.push(`逾期未完成${p.overdue}项`);
  if (share > rules.poor.notReportedShareAbove) poor.push(`未报送${p.notReported}项（应报${p.toReport}项）`);
  if (lag > rules.poor.lagAbove) poor.push(`滞后序时进度${Math.round(lag)}个百分点`);
  if (poor.length) return { rating: 'poor', reasons: poor };
  if (p.overdue <= rules.good.overdueAtMost && share <= rules.good.notReportedShareAtMost && lag <= rules.good.lagAtMost) return { rating: 'good', reasons: [] };
  const fair: string[] = [];
  if (p.overdue > rules.good.overdueAtMost) fair.push(`逾期未完成${p.overdue}项`);
  if (share > rules.good.notReportedShareAtMost) fair.push(`未报送${p.notReported}项`);
  if (lag > rules.good.lagAtMost) fair.push(`滞后序时进度${Math.round(lag)}个百分点`);
  return { rating: 'fair', reasons: fair };
}

/** What ranking looks at in a unit's row, on a dispatch sheet or an evaluation. */
export interface RankedRow {
  name: string;
  rating: Rating;
  overdue: number;
  notReported: number;
  completionRate: number;
  lag: number | null;
  rank: number;
}

const ORDER: Record<Rating, number> = { good: 0, fair: 1, poor: 2 };

/** Ranks rows in place (rank 1 = best): better rating, then fewer overdue, fewer not reported, higher completion, smaller lag, name. */
export function rankRows<R extends RankedRow>(rows: R[]): R[] {
  rows.sort(
    (a, b) =>
      ORDER[a.rating] - ORDER[b.rating] ||
      a.overdue - b.overdue ||
      a.notReported - b.notReported ||
      b.completionRate - a.completionRate ||
      (a.lag ?? 0) - (b.lag ?? 0) ||
      a.name.localeCompare(b.name, 'zh'),
  );
  rows.forEach((u, i) => (u.rank = i + 1));
  return rows;
}

/** A unit's standing across periods: what listing depends on. */
export interface Standing {
  poorStreak: number;
  /** The periods of the current 差 streak (what a listing cites). */
  poorPeriods: number[];
  goodStreak: number;
  /** The dispatch period that listed it, while listed. */
  listedSince: number | null;
}
export type Standings = Record<string, Standing>;

export interface StandingChanges {
  standings: Standings;
  /** Listed this period, with the consecutive 差 periods that did it. */
  listed: { unitId: string; poorPeriods: number[] }[];
  /** Off the list by rule this period, with the period that listed it. */
  delisted: { unitId: string; listedSince: number }[];
}

const EMPTY: Standing = { poorStreak: 0, poorPeriods: [], goodStreak: 0, listedSince: null };

/**
 * Applies one period's ratings. A unit not rated this period (no items) keeps its streaks.
 * Listing happens once per streak; a listed unit comes off after the 好 streak the rules ask.
 */
export function applyRatings(before: Standings, ratings: { unitId: string; rating: Rating | null }[], rules: RatingRules, period: number): StandingChanges {
  const standings: Standings = { ...before };
  const listed: StandingChanges['listed'] = [];
  const delisted: StandingChanges['delisted'] = [];
  for (const { unitId, rating } of ratings) {
    if (rating === null) continue;
    const s = { ...(standings[unitId] ?? EMPTY) };
    s.poorStreak = rating === 'poor' ? s.poorStreak + 1 : 0;
    s.poorPeriods = rating === 'poor' ? [...(s.poorPeriods ?? []), period].slice(-12) : [];
    s.goodStreak = rating === 'good' ? s.goodStreak + 1 : 0;
    if (s.listedSince === null && s.poorStreak >= rules.listAfterPoor) {
      s.listedSince = period;
      listed.push({ unitId, poorPeriods: s.poorPeriods });
    } else if (s.listedSince !== null && s.goodStreak >= rules.delistAfterGood) {
      delisted.push({ unitId, listedSince: s.listedSince });
      Object.assign(s, EMPTY, { poorPeriods: [] });
    }
    standings[unitId] = s;
  }
  return { standings, listed, delisted };
}

/** The office takes a unit off the list: its streaks start again. */
export function delistByOffice(before: Standings, unitId: string): Standings {
  return { ...before, [unitId]: { ...EMPTY } };
}
