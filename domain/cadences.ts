/**
 * A campaign's three cadences (seed 001: "每周一调度、每月一会商、季度一考评"; seed 003: "周例会、月通报、
 * 季调度"): when its dispatch sheet (调度表) is compiled, when its bulletin (通报) is issued, and when
 * its units are rated (考评) — the rating that listed supervision (挂牌督办) counts.
 *
 * Without `policy.cadences` one cadence drives all three, as before: each report period closes a
 * sheet, the sheet rates the units and is bulletined. With it, a bulletin and a rating each have
 * their own timeline; a rating judges its units on what the sheets of its period collected
 * (domain/evaluation.ts), so "连续两次评为差" counts evaluations, not dispatch weeks.
 */
import type { Cadence, Policy } from './policy';
import { CADENCE_LABELS } from './policy';
import { isNamedCadence } from './cadence';

export const FALLBACK_DISPATCH_CADENCE: Cadence = { every: 'monthly', weekday: 5 };

export interface CampaignCadences {
  dispatch: Cadence | null;
  /** null: a bulletin with each dispatch sheet. */
  bulletin: Cadence | null;
  /** null: each dispatch sheet rates. */
  rating: Cadence | null;
}

export function campaignCadences(policy: Pick<Policy, 'reportCadence' | 'cadences'>): CampaignCadences {
  return {
    // The report cadence as before (a null one falls back to monthly where the instants are planned).
    dispatch: policy.cadences?.dispatch ?? policy.reportCadence,
    bulletin: policy.cadences?.bulletin ?? null,
    rating: policy.cadences?.rating ?? null,
  };
}

/** What listing counts: dispatch periods (第N期) or evaluations (第N次考评). */
export type RatingBasis = 'dispatch' | 'evaluation';

export const ratingBasis = (c: CampaignCadences): RatingBasis => (c.rating ? 'evaluation' : 'dispatch');

/** "第1期、第2期" or "第1次、第2次考评": the periods a listing cites, the way the letters write them. */
export function periodsText(periods: number[], basis: RatingBasis): string {
  return basis === 'evaluation' ? `${periods.map((p) => `第${p}次`).join('、')}考评` : periods.map((p) => `第${p}期`).join('、');
}

/** "每周" / "每季度" / "每PT1M": a cadence as the console and the letters name it. */
export function cadenceLabel(c: Cadence | null): string {
  if (!c) return '';
  return isNamedCadence(c.every) ? CADENCE_LABELS[c.every] : `每${c.every}`;
}
