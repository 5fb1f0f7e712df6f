/**
 * The facts a letter's template is filled with, built from what the system knows — an item's
 * ladder step, a dispatch sheet, a listing — in the shapes the default templates (and the
 * office's edits) use: `{{#each items}}{{number}} {{content}} {{deadline}} {{daysLate}}
 * {{missing}}`, `{{#each ranking}}…`, `{{unitName}}`, `{{poorPeriods}}`, `{{replyBy}}`. Dates are
 * written the way documents write them (2023年7月14日). Pure: the activities read, this shapes.
 */
import type { RatingBasis } from '../cadences';
import type { DispatchSheet } from '../dispatch';
import type { Evaluation } from '../evaluation';
import { RATING_LABELS } from '../ratings';
import { dateOf, type DateStr } from '../time';
import { chineseDate } from './types';

export interface CampaignFacts {
  campaignTitle: string;
  /** The campaign's own 文号, quoted in letters: 《…》（白脱贫发〔2020〕13号）. */
  campaignDocNumber: string | null;
  officeName: string;
}

export interface ItemFact {
  number: string;
  content: string;
  deadlineDate: DateStr | null;
  daysLate: number;
  /** What the unit still owes (进展报告, 佐证材料…). */
  missing: string;
}

export function itemLetterFacts(c: CampaignFacts, unitName: string, items: ItemFact[], replyBy: DateStr): object {
  return {
    ...campaign(c),
    unitName,
    items: items.map((i) => ({
      number: i.number,
      content: i.content,
      deadline: i.deadlineDate ? chineseDate(i.deadlineDate) : '长期坚持',
      daysLate: i.daysLate,
      missing: i.missing,
    })),
    replyBy: chineseDate(replyBy),
    // The summons template serves items and ratings alike: the rating keys are there, empty.
    poorPeriods: '',
    reasons: '',
    contactUnitName: '',
  };
}

export interface AssignedItemFact {
  number: string;
  content: string;
  deadlineDate: DateStr | null;
  role: 'lead' | 'co';
}

/** The 整改工作提醒函 at assignment: the unit's items of the batch, each with its deadline and the unit's part. */
export function assignmentLetterFacts(c: CampaignFacts, unitName: string, items: AssignedItemFact[], replyBy: DateStr): object {
  const lead = items.filter((i) => i.role === 'lead').length;
  return {
    ...campaign(c),
    unitName,
    count: items.length,
    leadCount: lead,
    coCount: items.length - lead,
    items: items.map((i) => ({
      number: i.number,
      content: i.content,
      deadline: i.deadlineDate ? chineseDate(i.deadlineDate) : '长期坚持',
      role: i.role === 'lead' ? '牵头' : '配合',
      // The keys of the ladder's item list, so one list partial serves every letter.
      daysLate: 0,
      missing: '',
    })),
    replyBy: chineseDate(replyBy),
  };
}

/** What an open item still owes, from its state: a report first, then the evidence for close-out. */
export function missingOf(s: { lastReportAt: string | null; progressPercent: number; status: string }): string {
  if (s.status === 'submitted') return '';
  if (!s.lastReportAt) return '整改进展报告及佐证材料';
  return s.progressPercent >= 100 ? '销号申请及佐证材料' : '整改完成情况及佐证材料';
}

/**
 * A listed unit's notice and summons; `contactUnitName`: its 联系部门, summoned too (双约谈), or '';
 * `basis`: what its 差 periods are (dispatch periods, or evaluations: `ratedIn` '考评').
 */
export function listingLetterFacts(c: CampaignFacts, unitName: string, poorPeriods: number[], reasons: string[], replyBy: DateStr, contactUnitName = '', basis: RatingBasis = 'dispatch'): object {
  return {
    ...campaign(c),
    unitName,
    contactUnitName,
    poorPeriods: poorPeriods.map((p) => (basis === 'evaluation' ? `第${p}次` : `第${p}期`)).join('、'),
    ...(basis === 'evaluation' ? { ratedIn: '考评' } : {}),
    reasons: reasons.join('；'),
    replyBy: chineseDate(replyBy),
    items: [],
  };
}

/** A bulletin (通报) from a dispatch sheet: totals, every unit ranked, the 差 units named, the listed ones. */
/**
 * A bulletin on its own cadence (a month of weekly sheets): its own number and period, the
 * latest sheet's figures and ranking, and the evaluation (考评) that closed in its period, if any.
 */
export interface OwnBulletin {
  seq: number;
  periodStart: string;
  periodEnd: string;
  evaluation: Pick<Evaluation, 'seq' | 'periodStart' | 'periodEnd' | 'units'> | null;
  /** Listing counts evaluations: the closing rule says so. */
  ratedIn: '考评' | null;
}

export function bulletinFacts(c: CampaignFacts, sheet: Pick<DispatchSheet, 'seq' | 'periodStart' | 'periodEnd' | 'totals' | 'units'>, listedNames: string[], own?: OwnBulletin): object {
  const from = dateOf(own?.periodStart ?? sheet.periodStart);
  const to = dateOf(Date.parse(own?.periodEnd ?? sheet.periodEnd) - 1);
  const ranked = [...sheet.units].sort((a, b) => a.rank - b.rank);
  return {
    ...campaign(c),
    seq: own?.seq ?? sheet.seq,
    periodText: `第${own?.seq ?? sheet.seq}期（${chineseDate(from)}至${chineseDate(to)}）`,
    asOf: chineseDate(dateOf(Date.parse(sheet.periodEnd) - 1)),
    ...(own ? { evaluationText: own.evaluation ? evaluationText(own.evaluation) : '', ...(own.ratedIn ? { ratedIn: own.ratedIn } : {}) } : {}),
    totals: {
      items: sheet.totals.items,
      closed: sheet.totals.closed,
      completionRate: sheet.totals.completionRate,
      overdue: sheet.totals.overdue,
      notReported: sheet.totals.notReported,
    },
    ranking: ranked.map((u) => ({ rank: u.rank, name: u.name, ratingLabel: u.ratingLabel, reasons: u.reasons.join('；') })),
    laggards: ranked.filter((u) => u.rating === 'poor').map((u) => u.name).join('、'),
    listed: listedNames.join('、'),
  };
}

/** "第1次考评（2026年1月5日至2026年3月31日）：评定为“好”的有…；评定为“差”的有…。" */
function evaluationText(e: NonNullable<OwnBulletin['evaluation']>): string {
  const from = chineseDate(dateOf(e.periodStart));
  const to = chineseDate(dateOf(Date.parse(e.periodEnd) - 1));
  const ranked = [...e.units].sort((a, b) => a.rank - b.rank);
  const named = (['good', 'fair', 'poor'] as const)
    .map((r) => [RATING_LABELS[r], ranked.filter((u) => u.rating === r).map((u) => u.name)] as const)
    .filter(([, names]) => names.length)
    .map(([label, names]) => `评定为“${label}”的有${names.join('、')}`);
  return `第${e.seq}次考评（${from}至${to}）：${named.join('；')}。`;
}

function campaign(c: CampaignFacts) {
  return { campaignTitle: c.campaignTitle, campaignDocNumber: c.campaignDocNumber ?? '', officeName: c.officeName };
}
