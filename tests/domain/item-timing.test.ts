/**
 * What the item workflow does by itself as time passes (domain/item-timing.ts), without Temporal:
 * which reminders and ladder steps fire, which are dropped, which report dues are missed, when it
 * wakes next. Instants are small numbers: the rules are arithmetic on the plan's instants.
 */
import { describe, expect, it } from 'vitest';
import { initialItemState, type ItemState, type ItemStatus } from '../../domain/item-lifecycle';
import { duePresses, itemFinished, lookBackFallsDue, nextWake, normalizeFired, stepKey, type ItemClock } from '../../domain/item-timing';
import { DEFAULT_POLICY } from '../../domain/policy';
import type { Plan, PlannedStep } from '../../domain/schedule';

const reminder = (key: string, at: number): PlannedStep => ({ key, kind: 'reminder', name: `提醒 ${key}`, at });
const ladder = (key: string, at: number): PlannedStep => ({ key, kind: 'ladder', name: key, ladderStep: 'reminder_letter', at });

// Assigned at 0, near at 800, due at 1000; reminders at 700 and 900, the 提醒函 at 1100.
const PLAN: Plan = {
  calendarVersion: 1,
  policyVersion: 'default-1',
  deadlineDate: '2026-12-31',
  dueAt: 1000,
  nearAt: 800,
  steps: [reminder('r1', 700), reminder('r2', 900), ladder('l1', 1100)],
  reportDues: [],
};

function clock(over: { state?: Partial<ItemState>; plan?: Partial<Plan> | null; fired?: string[]; lastReportDueAt?: number; planVersion?: number } = {}): ItemClock {
  const state: ItemState = {
    ...initialItemState({ itemId: 'i', kind: 'time_limited', campaignEnd: '2027-12-31', units: [{ unitId: 'u', role: 'lead' }], deadline: '2026-12-31' }),
    ...over.state,
  };
  return {
    state,
    plan: over.plan === null ? null : { ...PLAN, ...over.plan },
    planVersion: over.planVersion ?? state.deadlineVersion,
    fired: new Set(over.fired ?? []),
    lastReportDueAt: over.lastReportDueAt ?? 0,
    assignedAt: 0,
    lights: DEFAULT_POLICY.lights,
  };
}

const fired = (c: ItemClock, now: number) => duePresses(c, now).steps.map((s) => `${s.step.key}${s.send ? '' : ' (dropped)'}`);

describe('steps due (reminders before the deadline, the ladder after it)', () => {
  it.each<[string, Parameters<typeof clock>[0], number, string[]]>([
    ['nothing before the first reminder', {}, 699, []],
    ['the first reminder at its instant', {}, 700, ['r1']],
    ['every step whose time came, in order', {}, 1100, ['r1 (dropped)', 'r2 (dropped)', 'l1']],
    ['each once: fired steps are not due again', { fired: ['r1:v1'] }, 950, ['r2']],
    ['a new deadline version re-arms every step', { fired: ['r1:v1'], state: { deadlineVersion: 2 } }, 750, ['r1']],
    ['nothing while paused (暂缓)', { state: { paused: { since: 'x', reason: 'y' } } }, 1100, []],
    ['nothing while the plan is for an older deadline', { planVersion: 0 }, 1100, []],
    ['nothing before the first plan', { plan: null }, 1100, []],
    ['while submitted the ladder waits and reminders wait too', { state: { status: 'submitted' } }, 1100, []],
    ['after close-out a due reminder is marked, not sent', { state: { status: 'closed' } }, 750, ['r1 (dropped)']],
    ['after close-out the ladder does not press', { state: { status: 'closed' } }, 1100, ['r1 (dropped)', 'r2 (dropped)']],
    ['a reminder past the deadline (held while submitted, then rejected) is dropped', { state: { status: 'in_progress' } }, 1050, ['r1 (dropped)', 'r2 (dropped)']],
  ])('%s', (_name, over, now, expected) => {
    expect(fired(clock(over), now)).toEqual(expected);
  });

  it('keys a step by its key and deadline version, one format (also in old fired sets)', () => {
    expect(stepKey({ key: 'ladder:urging_letter' }, 3)).toBe('ladder:urging_letter:v3');
    expect(normalizeFired(['reminder:3WD@v1', 'ladder:summons:v2', 'a@v12'])).toEqual(['reminder:3WD:v1', 'ladder:summons:v2', 'a:v12']);
    expect(duePresses(clock(), 700).steps[0]!.key).toBe('r1:v1');
  });
});

describe('report dues (定期报送)', () => {
  const plan = { reportDues: [100, 200, 300] };
  it.each<[string, Partial<ItemState>, number, number, { at: number; missed: boolean }[], boolean]>([
    ['no report by the first due: missed', {}, 0, 150, [{ at: 100, missed: true }], false],
    ['a report before the due: not missed', { lastReportAt: new Date(50).toISOString() }, 0, 150, [{ at: 100, missed: false }], false],
    ['one report covers one due only', { lastReportAt: new Date(50).toISOString() }, 0, 250, [{ at: 100, missed: false }, { at: 200, missed: true }], false],
    ['a report exactly at the previous due does not count for the next', { lastReportAt: new Date(100).toISOString() }, 100, 250, [{ at: 200, missed: true }], false],
    ['the last planned due used up: plan more', { lastReportAt: new Date(250).toISOString() }, 200, 300, [{ at: 300, missed: false }], true],
    ['dues already judged are not judged again', {}, 300, 400, [], true],
    ['no dues while not open', { status: 'submitted' }, 0, 400, [], false],
  ])('%s', (_name, state, lastReportDueAt, now, expected, more) => {
    const d = duePresses(clock({ state, plan, lastReportDueAt }), now);
    expect(d.reports).toEqual(expected);
    expect(d.planMoreReports).toBe(more);
  });
});

describe('waking up', () => {
  it.each<[string, Parameters<typeof clock>[0], number, number | null]>([
    ['at the next unfired step (on track: the light holds)', { state: { progressPercent: 90 } }, 0, 700],
    ['at the light turning yellow near the deadline', { state: { progressPercent: 90 }, fired: ['r1:v1'] }, 750, 800],
    ['at the light turning yellow before a later step (lagging behind 序时进度)', { plan: { steps: [ladder('l1', 1100)] } }, 0, 101],
    ['at the next report due', { plan: { reportDues: [50] } }, 0, 50],
    ['never while paused', { state: { paused: { since: 'x', reason: 'y' } } }, 0, null],
    ['for the look-back once closed', { state: { status: 'closed', lookBackAt: new Date(5000).toISOString() } }, 1200, 5000],
    ['not at all once closed without a look-back', { state: { status: 'closed' } }, 1200, null],
    ['while submitted, only for the light (the ladder waits)', { state: { status: 'submitted' } }, 0, null],
  ])('%s', (_name, over, now, expected) => {
    expect(nextWake(clock(over), now)).toBe(expected);
  });
});

describe('the end of an item', () => {
  const at = (status: ItemStatus, lookBack: Partial<ItemState> = {}) => ({ ...clock({ state: { status, ...lookBack } }).state });
  it('the look-back falls due once, at its instant, only after close-out', () => {
    expect(lookBackFallsDue(at('closed', { lookBackAt: new Date(500).toISOString() }), 499)).toBe(false);
    expect(lookBackFallsDue(at('closed', { lookBackAt: new Date(500).toISOString() }), 500)).toBe(true);
    expect(lookBackFallsDue(at('closed', { lookBackAt: new Date(500).toISOString(), lookBackDue: true }), 600)).toBe(false);
    expect(lookBackFallsDue(at('in_progress', { lookBackAt: new Date(500).toISOString() }), 600)).toBe(false);
  });
  it.each<[ItemStatus, boolean, boolean, boolean]>([
    ['cancelled', true, false, true],
    ['closed', false, false, true],
    ['closed', true, false, false],
    ['closed', true, true, true],
    ['in_progress', false, false, false],
    ['submitted', false, false, false],
  ])('%s, look-back policy %s, look-back passed %s: finished %s', (status, policy, passed, expected) => {
    expect(itemFinished(at(status), policy, passed)).toBe(expected);
  });
});
