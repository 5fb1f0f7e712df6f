/**
 * Seed 001's "每周一调度、每月一会商、季度一考评": a campaign's three cadences, the quarter as a
 * cadence, an evaluation (考评) built from the sheets of its period, and the wording of a listing
 * that counts evaluations — while letters of campaigns rated on each sheet read as they always did.
 */
import { describe, expect, it } from 'vitest';
import { builtinCalendarData, WorkCalendar } from '../../domain/calendar';
import { isCadenceDay } from '../../domain/cadence';
import { cadenceLabel, campaignCadences, periodsText, ratingBasis } from '../../domain/cadences';
import { dispatchInstants, type SheetUnitRow } from '../../domain/dispatch';
import { evaluate } from '../../domain/evaluation';
import { composeLetter } from '../../domain/letters/compose';
import { bulletinFacts, listingLetterFacts } from '../../domain/letters/facts';
import { sampleHead } from '../../domain/letters/samples';
import { DEFAULT_TEMPLATES } from '../../domain/letters/templates';
import type { LetterType } from '../../domain/letters/types';
import { listingNoticeText } from '../../domain/notices';
import { effectivePolicy, policySchema } from '../../domain/policy';
import { DEFAULT_RATING_RULES, RATING_LABELS, type Rating } from '../../domain/ratings';
import { dateOf, instantAt } from '../../domain/time';

const cal = new WorkCalendar(builtinCalendarData(), 1);

describe('the campaign cadences', () => {
  it('without cadences of their own, one cadence drives all three (as before)', () => {
    const c = campaignCadences(effectivePolicy({}));
    expect(c).toEqual({ dispatch: { every: 'weekly', weekday: 5 }, bulletin: null, rating: null });
    expect(ratingBasis(c)).toBe('dispatch');
    expect(campaignCadences(effectivePolicy({ reportCadence: null })).dispatch).toBeNull(); // planned monthly
  });

  it('takes weekly dispatch, monthly bulletins and quarterly ratings from the policy', () => {
    const p = effectivePolicy({ cadences: { dispatch: { every: 'weekly', weekday: 1 }, bulletin: { every: 'monthly' }, rating: { every: 'quarterly' } } });
    const c = campaignCadences(p);
    expect(c).toEqual({ dispatch: { every: 'weekly', weekday: 1 }, bulletin: { every: 'monthly', weekday: 5 }, rating: { every: 'quarterly', weekday: 5 } });
    expect(ratingBasis(c)).toBe('evaluation');
    expect([cadenceLabel(c.dispatch), cadenceLabel(c.bulletin), cadenceLabel(c.rating)]).toEqual(['每周', '每月', '每季度']);
    expect(policySchema.safeParse({ cadences: { rating: { every: 'yearly' } } }).success).toBe(false);
    expect(policySchema.safeParse({ cadences: { ratings: { every: 'monthly' } } }).success).toBe(false); // a misspelt key is refused, not ignored
  });

  it('closes a quarter on the last day of March, June, September and December, on the working day before a holiday', () => {
    expect(['2026-03-31', '2026-06-30', '2026-09-30', '2026-12-31'].every((d) => isCadenceDay('quarterly', 5, d))).toBe(true);
    expect(['2026-01-31', '2026-04-30', '2026-05-31', '2026-03-30'].some((d) => isCadenceDay('quarterly', 5, d))).toBe(false);
    const start = instantAt('2026-01-05', '08:00');
    const days = dispatchInstants({ cadence: { every: 'quarterly', weekday: 5 }, startedAt: start, after: start, until: '2027-12-31', max: 8 }, cal).map((t) => dateOf(t - 1));
    expect(days.slice(0, 4)).toEqual(['2026-03-31', '2026-06-30', '2026-09-30', '2026-12-31']);
    // 2027-03-31 is a Wednesday, 2027-06-30 a Wednesday: working days.
    expect(days.slice(4, 6)).toEqual(['2027-03-31', '2027-06-30']);
  });
});

describe('an evaluation (考评) from the sheets of its period', () => {
  const row = (unitId: string, rating: Rating, o: Partial<SheetUnitRow> = {}): SheetUnitRow => ({
    unitId,
    name: { a: '市住建局', b: '市财政局', c: '市水利局' }[unitId]!,
    items: 2,
    dueInPeriod: 0,
    toReport: 2,
    reported: 2,
    notReported: 0,
    notReportedItems: [],
    closed: 0,
    closedOnTime: 0,
    closedLate: 0,
    overdue: 0,
    overdueItems: [],
    completionRate: 0,
    progress: 50,
    target: 50,
    lag: 0,
    rating,
    ratingLabel: RATING_LABELS[rating],
    reasons: [],
    rank: 0,
    ...o,
  });
  const period = { seq: 1, start: instantAt('2026-01-05'), end: instantAt('2026-04-01') };

  it('rates on where a unit stands at the end and on every report owed over the period', () => {
    const sheets = [
      // a: 差 for two weeks (nothing reported), then reports and catches up: 好 at the end, but half its reports were missed.
      { seq: 1, units: [row('a', 'poor', { notReported: 2 }), row('b', 'good'), row('c', 'fair', { overdue: 1 })] },
      { seq: 2, units: [row('a', 'poor', { notReported: 2 }), row('b', 'good'), row('c', 'poor', { overdue: 2 })] },
      { seq: 3, units: [row('a', 'good'), row('b', 'good'), row('c', 'poor', { overdue: 2, overdueItems: ['4', '5'] })] },
      { seq: 4, units: [row('a', 'good'), row('b', 'good'), row('c', 'fair', { overdue: 1, overdueItems: ['5'] })] },
    ];
    const e = evaluate(sheets, period, DEFAULT_RATING_RULES);
    const by = Object.fromEntries(e.units.map((u) => [u.unitId, u]));
    expect(e.sheetSeqs).toEqual([1, 2, 3, 4]);
    // a: 4 of 8 reports missed = 50%, not above the 差 line (more than half): 中, for the missed reports.
    expect(by.a).toMatchObject({ periods: 4, toReport: 8, notReported: 4, overdue: 0, rating: 'fair', reasons: ['未报送4项'], sheetRatings: { good: 2, fair: 0, poor: 2 } });
    expect(by.b).toMatchObject({ rating: 'good', reasons: [], sheetRatings: { good: 4, fair: 0, poor: 0 } });
    // c: one item still overdue at the end: 中 (two sheets rated it 差 on the way).
    expect(by.c).toMatchObject({ overdue: 1, overdueItems: ['5'], rating: 'fair', sheetRatings: { good: 0, fair: 2, poor: 2 } });
    // Both 中: fewer overdue first.
    expect(e.units.map((u) => [u.unitId, u.rank])).toEqual([['b', 1], ['a', 2], ['c', 3]]);
    expect(e.totals).toEqual({ units: 3, ratings: { good: 1, fair: 2, poor: 0 } });
  });

  it('rates 差 on overdue items at the end and on reports missed in more than half of what was owed', () => {
    const sheets = [1, 2, 3].map((seq) => ({ seq, units: [row('a', 'poor', { notReported: 2, overdue: 2 }), row('b', 'fair', { notReported: seq === 1 ? 1 : 2 })] }));
    const e = evaluate(sheets, period, DEFAULT_RATING_RULES);
    expect(e.units.map((u) => [u.unitId, u.rating, u.reasons])).toEqual([
      ['b', 'poor', ['未报送5项（应报6项）']],
      ['a', 'poor', ['逾期未完成2项', '未报送6项（应报6项）']],
    ]);
  });

  it('has no units without sheets; a unit on only some sheets is judged on those, one gone by the last sheet not at all', () => {
    expect(evaluate([], period, DEFAULT_RATING_RULES).units).toEqual([]);
    const e = evaluate([{ seq: 7, units: [row('b', 'poor', { overdue: 3 })] }, { seq: 8, units: [row('a', 'good')] }], period, DEFAULT_RATING_RULES);
    // b's items left (reassigned, cancelled) before the period ended: not rated on figures it no longer has.
    expect(e.units).toMatchObject([{ unitId: 'a', periods: 1, rating: 'good' }]);
  });
});

describe('the wording of a listing that counts evaluations', () => {
  const campaign = { campaignTitle: '百日攻坚行动', campaignDocNumber: null, officeName: '市整改办' };
  const head = (type: LetterType) => ({ ...sampleHead(type), docNumber: '测办函〔2026〕1号' });
  const text = (type: LetterType, facts: object) => composeLetter(DEFAULT_TEMPLATES[type], facts, head(type)).paragraphs.map((p) => p.text).join('\n');

  it('names the periods as evaluations (第1次、第2次考评) in notices and letters; dispatch periods read as before', () => {
    expect(periodsText([1, 2], 'evaluation')).toBe('第1次、第2次考评');
    expect(periodsText([3, 4], 'dispatch')).toBe('第3期、第4期');
    const notice = listingNoticeText({ kind: 'listed_supervision', campaignTitle: '百日攻坚', unitName: '洮北区', poorPeriods: [1, 2], basis: 'evaluation', reasons: ['逾期未完成2项'] });
    expect(notice.body).toContain('洮北区在“百日攻坚”第1次、第2次考评连续评为“差”（逾期未完成2项）');
    const before = listingNoticeText({ kind: 'listed_supervision', campaignTitle: '百日攻坚', unitName: '洮北区', poorPeriods: [1, 2], reasons: [] });
    expect(before.body).toContain('调度中第1期、第2期连续评为“差”');

    const listing = text('listed_supervision', listingLetterFacts(campaign, '洮北区', [1, 2], ['逾期未完成2项'], '2026-07-10', '', 'evaluation'));
    expect(listing).toContain('洮北区在《百日攻坚行动》第1次、第2次考评中连续评定为“差”（逾期未完成2项）');
    expect(listing).toContain('连续两次考评评定为“好”的，予以摘牌');
    const summons = text('summons', listingLetterFacts(campaign, '洮北区', [1, 2], [], '2026-07-10', '市农业农村局', 'evaluation'));
    expect(summons).toContain('第1次、第2次考评中连续评定为“差”');
    expect(summons).toContain('对洮北区主要负责同志和联系部门市农业农村局主要负责同志进行双约谈');
    // Facts stored before evaluations (no ratedIn) compose to the very same words: old letters regenerate byte for byte.
    const old = text('listed_supervision', listingLetterFacts(campaign, '洮北区', [3, 4], [], '2026-07-10'));
    expect(old).toContain('洮北区在《百日攻坚行动》调度中第3期、第4期连续评定为“差”');
    expect(old).toContain('连续两期评定为“好”的，予以摘牌');
  });

  it('a monthly bulletin carries its own number and period and the quarter’s evaluation', () => {
    const unit = (unitId: string, name: string, rank: number, rating: Rating) => ({ unitId, name, rank, rating, ratingLabel: RATING_LABELS[rating], reasons: [] }) as never;
    const sheet = { seq: 13, periodStart: '2026-03-19T16:00:00.000Z', periodEnd: '2026-03-26T16:00:00.000Z', totals: { items: 3, closed: 1, overdue: 2, notReported: 2, completionRate: 33.3 } as never, units: [unit('b', '市财政局', 1, 'good'), unit('a', '市住建局', 2, 'poor')] };
    const evaluation = { seq: 1, periodStart: '2026-01-05T00:00:00.000Z', periodEnd: '2026-03-31T16:00:00.000Z', units: [unit('a', '市住建局', 2, 'poor'), unit('b', '市财政局', 1, 'good')] };
    const facts = bulletinFacts(campaign, sheet, [], { seq: 3, periodStart: '2026-02-27T16:00:00.000Z', periodEnd: '2026-03-31T16:00:00.000Z', evaluation, ratedIn: '考评' });
    const doc = composeLetter(DEFAULT_TEMPLATES.bulletin, facts, head('bulletin'));
    const body = doc.paragraphs.map((p) => p.text).join('\n');
    expect(doc.title).toBe('关于百日攻坚行动推进情况的通报（第3期）');
    expect(body).toContain('第3期（2026年2月28日至2026年3月31日）');
    expect(body).toContain('截至2026年3月26日');
    expect(body).toContain('第1次考评（2026年1月5日至2026年3月31日）：评定为“好”的有市财政局；评定为“差”的有市住建局。');
    expect(body).toContain('对连续两次考评评定为“差”的单位');
  });
});
