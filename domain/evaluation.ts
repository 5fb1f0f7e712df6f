/**
 * The rating (考评) of a period longer than a dispatch period — a quarter of weekly sheets (seed
 * 001: "季度一考评"): each unit is judged on what the sheets of the period collected, with the
 * same rules as a sheet (domain/ratings.ts):
 *  - overdue and the lag behind 序时进度: as the period's last sheet found them (where the unit
 *    stands at the end of the period);
 *  - reporting: every report owed in every sheet of the period counts (未报送 over the quarter,
 *    not just its last week).
 * Each unit also shows how its sheets rated it (好/中/差 counts). Pure; stored as it was built.
 */
import type { DispatchSheet, SheetUnitRow } from './dispatch';
import { rankRows, rateUnit, RATING_LABELS, type Rating, type RatingRules } from './ratings';

export interface EvaluationUnitRow {
  unitId: string;
  name: string;
  /** Dispatch periods of this evaluation that rated the unit. */
  periods: number;
  sheetRatings: Record<Rating, number>;
  toReport: number;
  notReported: number;
  overdue: number;
  overdueItems: string[];
  completionRate: number;
  progress: number | null;
  target: number | null;
  lag: number | null;
  rating: Rating;
  ratingLabel: string;
  reasons: string[];
  rank: number;
}

export interface Evaluation {
  seq: number;
  periodStart: string;
  periodEnd: string;
  /** The dispatch sheets it was built from. */
  sheetSeqs: number[];
  totals: { units: number; ratings: Record<Rating, number> };
  units: EvaluationUnitRow[];
}

/** The evaluation of period `seq` from its sheets, oldest first. */
export function evaluate(sheets: Pick<DispatchSheet, 'seq' | 'units'>[], period: { seq: number; start: number; end: number }, rules: RatingRules): Evaluation {
  const ordered = [...sheets].sort((a, b) => a.seq - b.seq);
  const rows = new Map<string, SheetUnitRow[]>();
  for (const s of ordered) for (const u of s.units) rows.set(u.unitId, [...(rows.get(u.unitId) ?? []), u]);
  // Rated: the units the period's last sheet still has (a unit whose items all left — reassigned,
  // cancelled — is not judged on figures it no longer has).
  const current = new Set(ordered.at(-1)?.units.map((u) => u.unitId) ?? []);
  const units: EvaluationUnitRow[] = [...rows.values()].filter((rs) => current.has(rs[0]!.unitId)).map((rs) => {
    const last = rs[rs.length - 1]!;
    const toReport = rs.reduce((a, r) => a + r.toReport, 0);
    const notReported = rs.reduce((a, r) => a + r.notReported, 0);
    const { rating, reasons } = rateUnit({ overdue: last.overdue, toReport, notReported, lag: last.lag }, rules);
    const sheetRatings: Record<Rating, number> = { good: 0, fair: 0, poor: 0 };
    for (const r of rs) sheetRatings[r.rating]++;
    return {
      unitId: last.unitId,
      name: last.name,
      periods: rs.length,
      sheetRatings,
      toReport,
      notReported,
      overdue: last.overdue,
      overdueItems: last.overdueItems,
      completionRate: last.completionRate,
      progress: last.progress,
      target: last.target,
      lag: last.lag,
      rating,
      ratingLabel: RATING_LABELS[rating],
      reasons,
      rank: 0,
    };
  });
  // The sheet's ranking rule (domain/ratings.ts).
  rankRows(units);
  const count = (r: Rating) => units.filter((u) => u.rating === r).length;
  return {
    seq: period.seq,
    periodStart: new Date(period.start).toISOString(),
    periodEnd: new Date(period.end).toISOString(),
    sheetSeqs: sheets.map((s) => s.seq).sort((a, b) => a - b),
    totals: { units: units.length, ratings: { good: count('good'), fair: count('fair'), poor: count('poor') } },
    units,
  };
}
