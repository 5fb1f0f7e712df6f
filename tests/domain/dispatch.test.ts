import { describe, expect, it } from 'vitest';
import { builtinCalendarData, WorkCalendar } from '../../domain/calendar';
import { buildSheet, dispatchInstants, type PartFacts } from '../../domain/dispatch';
import { effectivePolicy } from '../../domain/policy';
import { applyRatings, DEFAULT_RATING_RULES, delistByOffice, rateUnit, type Rating } from '../../domain/ratings';
import { dateOf, instantAt } from '../../domain/time';

const cal = new WorkCalendar(builtinCalendarData(), 1);
const rules = DEFAULT_RATING_RULES;
// The day each period closes (its end instant is midnight after it).
const closingDays = (ts: number[]) => ts.map((t) => dateOf(t - 1));

describe('dispatch periods on the official calendar', () => {
  const start = instantAt('2026-09-18', '16:00'); // a Friday
  const plan = (every: string, until: string | null = '2026-12-31', after = start) =>
    closingDays(dispatchInstants({ cadence: { every } as never, startedAt: start, after, until, max: 8 }, cal));

  it('closes weekly on Fridays, on the working day before when Friday is a holiday (中秋, 国庆)', () => {
    // 09-18 is the first day (no sheet); 09-25 is 中秋 → 09-24; 10-02 is 国庆 → 09-30.
    expect(plan('weekly')).toEqual(['2026-09-24', '2026-09-30', '2026-10-09', '2026-10-16', '2026-10-23', '2026-10-30', '2026-11-06', '2026-11-13']);
  });

  it('closes every 旬 on the 10th, 20th and last day, monthly on the last working day, and stops at the end', () => {
    expect(plan('xun', '2026-10-31')).toEqual(['2026-09-20', '2026-09-30', '2026-10-10', '2026-10-20', '2026-10-30']);
    expect(plan('monthly', '2027-01-31')).toEqual(['2026-09-30', '2026-10-30', '2026-11-30', '2026-12-31', '2027-01-29']);
    // Fortnightly: every other Friday, a fixed rhythm.
    const f = plan('fortnightly');
    expect(f.length).toBe(7); // 15 weeks to the end date
    for (let i = 1; i < f.length; i++) expect([13, 14, 15, 16]).toContain((Date.parse(f[i]!) - Date.parse(f[i - 1]!)) / 86_400_000 + 0);
  });

  it('goes on after the end date while items are open (until = null), from the last period', () => {
    // (2027's holiday schedule is not published yet: 2027-01-01 counts as an ordinary Friday.)
    expect(plan('weekly', null, instantAt('2026-12-31', '00:00')).slice(0, 2)).toEqual(['2027-01-01', '2027-01-08']);
  });

  it('supports offset cadences for demos and tests', () => {
    const ts = dispatchInstants({ cadence: { every: 'PT1H' } as never, startedAt: start, after: start + 90 * 60_000, until: null, max: 3 }, cal);
    expect(ts.map((t) => (t - start) / 3_600_000)).toEqual([2, 3, 4]);
  });
});

describe('ratings 好 / 中 / 差 (default rules)', () => {
  it('rates by overdue items, reports and progress against 序时进度, with reasons in Chinese', () => {
    expect(rateUnit({ overdue: 0, toReport: 4, notReported: 0, lag: 5 }, rules)).toEqual({ rating: 'good', reasons: [] });
    expect(rateUnit({ overdue: 1, toReport: 4, notReported: 0, lag: 0 }, rules)).toEqual({ rating: 'fair', reasons: ['逾期未完成1项'] });
    expect(rateUnit({ overdue: 0, toReport: 4, notReported: 1, lag: 0 }, rules).rating).toBe('fair');
    expect(rateUnit({ overdue: 2, toReport: 4, notReported: 0, lag: 0 }, rules)).toEqual({ rating: 'poor', reasons: ['逾期未完成2项'] });
    expect(rateUnit({ overdue: 0, toReport: 4, notReported: 3, lag: 0 }, rules)).toEqual({ rating: 'poor', reasons: ['未报送3项（应报4项）'] });
    expect(rateUnit({ overdue: 0, toReport: 4, notReported: 0, lag: 31 }, rules)).toEqual({ rating: 'poor', reasons: ['滞后序时进度31个百分点'] });
  });

  it('takes stricter rules from the campaign policy', () => {
    const strict = effectivePolicy({ ratings: { poor: { overdueAtLeast: 1 }, listAfterPoor: 3 } as never }).ratings;
    expect(rateUnit({ overdue: 1, toReport: 1, notReported: 0, lag: 0 }, strict).rating).toBe('poor');
    expect(strict.listAfterPoor).toBe(3);
    expect(strict.good.lagAtMost).toBe(10);
  });
});

describe('listed supervision (挂牌督办)', () => {
  const run = (seq: (Rating | null)[]) => {
    let s = {};
    const events: string[] = [];
    seq.forEach((rating, i) => {
      const r = applyRatings(s, [{ unitId: 'u', rating }], rules, i + 1);
      s = r.standings;
      for (const l of r.listed) events.push(`listed@${i + 1}:${l.poorPeriods.join(',')}`);
      for (const d of r.delisted) events.push(`delisted@${i + 1}:since${d.listedSince}`);
    });
    return { events, standings: s as Record<string, { listedSince: number | null }> };
  };

  it('lists after two consecutive 差 and takes off after two consecutive 好', () => {
    expect(run(['poor', 'fair', 'poor', 'poor', 'poor', 'good', 'fair', 'good', 'good']).events).toEqual(['listed@4:3,4', 'delisted@9:since4']);
  });

  it('a period without items (not rated) neither breaks nor extends a streak', () => {
    expect(run(['poor', null, 'poor']).events).toEqual(['listed@3:1,3']);
  });

  it('the office can take a unit off the list; its streaks start again', () => {
    const { standings } = run(['poor', 'poor']);
    expect(standings.u!.listedSince).toBe(2);
    const after = delistByOffice(standings as never, 'u');
    expect(after.u).toEqual({ poorStreak: 0, poorPeriods: [], goodStreak: 0, listedSince: null });
    expect(applyRatings(after, [{ unitId: 'u', rating: 'poor' }], rules, 3).listed).toEqual([]);
  });
});

describe('the dispatch sheet (调度表)', () => {
  const day = 86_400_000;
  const t0 = instantAt('2026-11-02', '09:00');
  const part = (over: Partial<PartFacts>): PartFacts => ({
    itemId: 'i1', number: '1', unitId: 'a', unitName: '市住建局', role: 'lead', status: 'in_progress',
    dueAt: t0 + 10 * day, assignedAt: t0, closedAt: null, progressPercent: 50, reportedInPeriod: true, ...over,
  });

  it('counts each unit part, rates and ranks the units, and totals each item once', () => {
    const end = t0 + 7 * day;
    const sheet = buildSheet(
      [
        part({}),
        part({ unitId: 'b', unitName: '市财政局', role: 'co', reportedInPeriod: false }),
        part({ itemId: 'i2', number: '2', unitId: 'b', unitName: '市财政局', dueAt: t0 + 3 * day, progressPercent: 10, reportedInPeriod: false }),
        part({ itemId: 'i3', number: '3', unitId: 'b', unitName: '市财政局', dueAt: t0 + 4 * day, progressPercent: 10 }),
        part({ itemId: 'i4', number: '4', status: 'closed', closedAt: t0 + 2 * day, dueAt: t0 + 5 * day }),
        part({ itemId: 'i5', number: '5', status: 'cancelled' }),
      ],
      { seq: 3, start: t0, end },
      rules,
    );
    const [a, b] = sheet.units;
    expect(a).toMatchObject({ name: '市住建局', rank: 1, rating: 'good', items: 2, closed: 1, closedOnTime: 1, overdue: 0, toReport: 1, reported: 1, dueInPeriod: 1 });
    // 序时进度 for item 1 at day 7 of 10 is 70%, progress 50 → 20 behind; item 4 closed counts 100/100.
    expect(a!.target).toBe(85);
    expect(a!.progress).toBe(75);
    expect(b).toMatchObject({ name: '市财政局', rank: 2, rating: 'poor', ratingLabel: '差', overdue: 2, overdueItems: ['2', '3'], notReported: 2, notReportedItems: ['1', '2'] });
    expect(b!.reasons).toContain('逾期未完成2项');
    expect(sheet.totals).toMatchObject({ items: 4, closed: 1, overdue: 2, notReported: 2, completionRate: 25, ratings: { good: 1, fair: 0, poor: 1 } });
  });
});
