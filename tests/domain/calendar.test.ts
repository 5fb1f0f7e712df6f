/** The official calendar and the plan computed on it, around the 2026 National Day holiday. */
import { describe, expect, it } from 'vitest';
import { builtinCalendarData, WorkCalendar } from '../../domain/calendar';
import { parseOffset } from '../../domain/offset';
import { DEFAULT_POLICY, effectivePolicy, policySchema } from '../../domain/policy';
import { deliveryInstant, planItem, shiftDeadline } from '../../domain/schedule';
import { instantAt, iso } from '../../domain/time';

const cal = new WorkCalendar(builtinCalendarData(), 1);
const at = (date: string, hhmm = '09:00') => iso(instantAt(date, hhmm));

describe('working-day calendar (China, 2026)', () => {
  it('knows holidays, weekends and make-up working days, and says why', () => {
    expect(cal.day('2026-10-01')).toMatchObject({ working: false, reason: 'holiday', holiday: '国庆节' });
    expect(cal.day('2026-09-25')).toMatchObject({ working: false, reason: 'holiday', holiday: '中秋' });
    expect(cal.day('2026-09-20')).toMatchObject({ working: true, reason: 'makeup_workday', holiday: '国庆节' }); // a Sunday
    expect(cal.day('2026-10-10')).toMatchObject({ working: true, reason: 'makeup_workday' }); // a Saturday
    expect(cal.day('2026-10-11')).toMatchObject({ working: false, reason: 'weekend', holiday: null });
    expect(cal.day('2026-10-09')).toMatchObject({ working: true, reason: 'workday', officialScheduleKnown: true });
    expect(cal.day('2031-05-01')).toMatchObject({ officialScheduleKnown: false });
  });

  it('counts working days as offices do ("N个工作日内"), across the holiday', () => {
    expect(cal.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(cal.addWorkingDays('2026-09-24', 1)).toBe('2026-09-28');
    expect(cal.addWorkingDays('2026-09-18', 1)).toBe('2026-09-20'); // the make-up Sunday counts
    expect(cal.addWorkingDays('2026-10-08', 3)).toBe('2026-10-12'); // 9th, the make-up 10th, 12th
    expect(cal.addWorkingDays('2026-10-08', -3)).toBe('2026-09-28');
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-09')).toBe(2);
  });
});

describe('offsets', () => {
  it('reads working days and ISO 8601 durations, and refuses the rest', () => {
    expect(parseOffset('3WD')).toEqual({ kind: 'working_days', days: 3 });
    expect(parseOffset('P3D')).toEqual({ kind: 'duration', ms: 3 * 86_400_000 });
    expect(parseOffset('PT30S')).toEqual({ kind: 'duration', ms: 30_000 });
    expect(parseOffset('P1W')).toEqual({ kind: 'duration', ms: 7 * 86_400_000 });
    for (const bad of ['P1M', '3 days', 'PT', 'P', '']) expect(parseOffset(bad)).toBeUndefined();
    expect(policySchema.safeParse({ reminders: ['3 days'] }).success).toBe(false);
  });
});

describe('plan of an item due 2026-09-30 (default policy)', () => {
  const plan = planItem({ deadline: '2026-09-30', assignedAt: instantAt('2026-09-18', '16:00'), from: instantAt('2026-09-18', '16:00'), campaignEnd: '2026-12-31', policy: DEFAULT_POLICY }, cal);
  const steps = Object.fromEntries(plan.steps.map((s) => [s.key, iso(s.at)]));

  it('reminds 3 and 1 working days before, skipping the Mid-autumn holiday', () => {
    expect(steps['reminder:3WD']).toBe(at('2026-09-24'));
    expect(steps['reminder:1WD']).toBe(at('2026-09-29'));
  });

  it('starts the ladder on the first working morning after National Day and counts make-up days', () => {
    expect(iso(plan.dueAt!)).toBe(at('2026-10-01', '00:00'));
    expect(steps['ladder:reminder_letter']).toBe(at('2026-10-08'));
    expect(steps['ladder:urging_letter']).toBe(at('2026-10-12'));
    expect(steps['ladder:supervision_letter']).toBe(at('2026-10-16'));
    expect(steps['ladder:summons']).toBe(at('2026-10-28'));
    expect(plan.steps.find((s) => s.key === 'ladder:supervision_letter')!.listInBulletin).toBe(true);
  });

  it('turns the light yellow 3 working days before and plans weekly Friday reports', () => {
    expect(iso(plan.nearAt!)).toBe(at('2026-09-24', '00:00'));
    // Due by the end of each Friday; a Friday off (Mid-autumn 25th, National Day 2nd) moves to the next working day.
    expect(plan.reportDues.slice(0, 3).map(iso)).toEqual([at('2026-09-19', '00:00'), at('2026-09-29', '00:00'), at('2026-10-09', '00:00')]);
  });

  it('plans late items with only the highest rung already due', () => {
    const late = planItem({ deadline: '2026-09-30', assignedAt: instantAt('2026-10-20'), from: instantAt('2026-10-20'), campaignEnd: '2026-12-31', policy: DEFAULT_POLICY }, cal);
    expect(late.steps.map((s) => s.key)).toEqual(['ladder:supervision_letter', 'ladder:summons']);
  });
});

describe('delivery hours', () => {
  it('moves a notice due at 3 a.m. on a holiday to 09:00 on the next working day', () => {
    expect(iso(deliveryInstant(instantAt('2026-10-03', '03:00'), DEFAULT_POLICY, cal))).toBe(at('2026-10-08'));
    expect(iso(deliveryInstant(instantAt('2026-10-09', '20:00'), DEFAULT_POLICY, cal))).toBe(at('2026-10-10'));
    expect(iso(deliveryInstant(instantAt('2026-10-09', '11:00'), DEFAULT_POLICY, cal))).toBe(at('2026-10-09', '11:00'));
    const urgent = effectivePolicy({ delivery: null });
    expect(iso(deliveryInstant(instantAt('2026-10-03', '03:00'), urgent, cal))).toBe(at('2026-10-03', '03:00'));
  });

  it('resumes a paused item with the working days it had left', () => {
    // Paused on the 29th with two working days left (29th, 30th); resumed on 10-09 they are
    // the 9th and the make-up Saturday 10th.
    expect(shiftDeadline('2026-09-30', 0, { from: instantAt('2026-09-29', '10:00'), to: instantAt('2026-10-09', '10:00') }, cal)).toBe('2026-10-10');
    expect(shiftDeadline('PT10M', Date.parse('2026-01-01T00:00:00Z'), { from: 0, to: 60_000 }, cal)).toBe('2026-01-01T00:11:00.000Z');
  });
});
