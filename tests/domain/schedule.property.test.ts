/**
 * Planning an item for any deadline in the window, with any policy whose offsets lie in their
 * domain: the plan always comes back (never spins), its instants are finite and ordered, reminders
 * fall before the deadline and report dues within the campaign. Specs outside the domain throw
 * the domain error, never hang and never anything else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CalendarDomainError, MAX_DURATION_DAYS, MAX_OFFSET_WORKING_DAYS } from '../../domain/bounds';
import { policySchema, LADDER_STEPS } from '../../domain/policy';
import { MAX_REPORT_DUES, planItem, resolveDeadline, shiftDeadline } from '../../domain/schedule';
import { addDays, instantAt, iso } from '../../domain/time';
import { anyText, CountingCalendar, orDomainError, SEED, windowDate } from './property-kit';

const cal = new CountingCalendar();

const offset = fc.oneof(
  fc.integer({ min: 0, max: MAX_OFFSET_WORKING_DAYS }).map((n) => `${n}WD`),
  fc.integer({ min: 0, max: 30 }).map((n) => `${n}WD`),
  fc.integer({ min: 0, max: MAX_DURATION_DAYS }).map((n) => `P${n}D`),
  fc.integer({ min: 0, max: 48 }).map((n) => `PT${n}H`),
);
const deadline = fc.oneof(
  windowDate,
  offset,
  fc.tuple(windowDate, fc.integer({ min: 0, max: 23 })).map(([d, h]) => `${d}T${String(h).padStart(2, '0')}:00:00+08:00`),
);
const policy = fc
  .record({
    reminders: fc.array(offset, { maxLength: 3 }),
    ladder: fc.array(fc.record({ step: fc.constantFrom(...LADDER_STEPS), after: offset, listInBulletin: fc.boolean() }), { maxLength: 4 }),
    reportCadence: fc.oneof(
      fc.constant(null),
      fc.record({ every: fc.constantFrom('weekly', 'xun', 'fortnightly', 'monthly'), weekday: fc.integer({ min: 1, max: 7 }) }),
      fc.record({ every: fc.oneof(offset, fc.constantFrom('0WD', 'PT0S', 'PT1S')) }),
    ),
    delivery: fc.oneof(fc.constant(null), fc.constant({ at: '09:00', until: '18:00' })),
    lights: fc.record({ nearWithin: offset }),
  })
  .map((p) => policySchema.parse(p));

describe('item plans (property)', () => {
  it('any deadline in the window, any bounded policy: a finite, ordered plan, never a hang', () => {
    fc.assert(
      fc.property(deadline, windowDate, fc.integer({ min: 0, max: 800 }), fc.integer({ min: -30, max: 400 }), policy, (spec, assignedOn, campaignDays, fromDays, pol) => {
        const assignedAt = instantAt(assignedOn, '10:00');
        const from = assignedAt + fromDays * 86_400_000;
        const campaignEnd = addDays(assignedOn, campaignDays);
        const plan = planItem({ deadline: spec, assignedAt, from, campaignEnd, policy: pol }, cal.reset());
        expect(plan.dueAt !== null && Number.isFinite(plan.dueAt)).toBe(true);
        expect(() => iso(plan.dueAt!)).not.toThrow();
        const ats = plan.steps.map((s) => s.at);
        expect(ats.every(Number.isFinite)).toBe(true);
        expect([...ats].sort((a, b) => a - b)).toEqual(ats);
        for (const s of plan.steps) if (s.kind === 'reminder') expect(s.at < plan.dueAt!).toBe(true);
        if (/^\d{4}-\d{2}-\d{2}$/.test(spec)) {
          expect(plan.deadlineDate).toBe(spec);
          expect(plan.dueAt).toBe(instantAt(addDays(spec, 1)));
        }
        expect(plan.reportDues.length).toBeLessThanOrEqual(MAX_REPORT_DUES);
        const end = instantAt(addDays(campaignEnd, 1));
        for (const t of plan.reportDues) expect(t > from && t <= end).toBe(true);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('a pause shifts a deadline in the window: a deadline or the domain error, never a hang', () => {
    fc.assert(
      fc.property(deadline, windowDate, fc.integer({ min: 0, max: 3 * 366 }), fc.integer({ min: 0, max: 400 }), (spec, assignedOn, pauseStart, pauseDays) => {
        const assignedAt = instantAt(assignedOn, '10:00');
        const pFrom = assignedAt + pauseStart * 86_400_000;
        const shifted = orDomainError(() => shiftDeadline(spec, assignedAt, { from: pFrom, to: pFrom + pauseDays * 86_400_000 }, cal.reset()));
        if (shifted !== undefined) expect(typeof shifted).toBe('string');
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('any string as a deadline: resolved, or the domain error — nothing else, and never a hang', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, deadline, fc.constantFrom('9999-12-31', '3000000WD', 'P99999999W', '0000-01-01', '2026-02-30T00:00:00Z')), (spec) => {
        orDomainError(() => resolveDeadline(spec, instantAt('2026-09-18', '10:00'), cal.reset()));
      }),
      { seed: SEED, numRuns: 3000 },
    );
    for (const bad of ['9999-12-31', '3000000WD', 'P99999999W', '2026-02-30T00:00:00Z']) {
      expect(() => resolveDeadline(bad, Date.now(), cal.reset())).toThrow(CalendarDomainError);
    }
  });
});
