/**
 * The facts a letter's template is filled with, built from what the system knows — an item's
 * ladder step, a dispatch sheet, a listing — in the shapes the default templates (and the
 * office's edits) use: `{{#each items}}{{number}} {{content}} {{deadline}} {{daysLate}}
 * {{missing}}`, `{{#each ranking}}…`, `{{unitName}}`, `{{poorPeriods}}`, `{{replyBy}}`. Dates are
 * written the way documents write them (2023年7月14日). Pure: the activities read, this shapes.
 */
import type { DispatchSheet } from '../dispatch';
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

/** A listed unit's notice and summons; `contactUnitName`: its 联系部门, summoned too (双约谈), or ''. */
export function listingLetterFacts(c: CampaignFacts, unitName: string, poorPeriods: number[], reasons: string[], replyBy: DateStr, contactUnitName = ''): object {
  return {
    ...campaign(c),
    unitName,
    contactUnitName,
    poorPeriods: poorPeriods.map((p) => `第${p}期`).join('、'),
    reasons: reasons.join('；'),
    replyBy: chineseDate(replyBy),
    items: [],
  };
}

/** A bulletin (通报) from a dispatch sheet: totals, every unit ranked, the 差 units named, the listed ones. */
export function bulletinFacts(c: CampaignFacts, sheet: Pick<DispatchSheet, 'seq' | 'periodStart' | 'periodEnd' | 'totals' | 'units'>, listedNames: string[]): object {
  const from = dateOf(sheet.periodStart);
  const to = dateOf(Date.parse(sheet.periodEnd) - 1);
  const ranked = [...sheet.units].sort((a, b) => a.rank - b.rank);
  return {
    ...campaign(c),
    seq: sheet.seq,
    periodText: `第${sheet.seq}期（${chineseDate(from)}至${chineseDate(to)}）`,
    asOf: chineseDate(to),
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

function campaign(c: CampaignFacts) {
  return { campaignTitle: c.campaignTitle, campaignDocNumber: c.campaignDocNumber ?? '', officeName: c.officeName };
}
