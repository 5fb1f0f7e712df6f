/**
 * Properties of calendar arithmetic over the whole input space, bounds included: dates round-trip,
 * working-day counts are exact and monotonic, and every call returns or throws the domain error
 * (CalendarDomainError) within a bounded number of day look-ups — it never spins.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CalendarDomainError, MAX_DATE, MAX_OFFSET_WORKING_DAYS, MIN_DATE } from '../../domain/bounds';
import { addDays, DATE_RE, daysBetween, isoWeekday, isValidDate } from '../../domain/time';
import { anyDate, anyInt, CountingCalendar, orDomainError, SEED, STEP_LIMIT, windowDate } from './property-kit';

const cal = new CountingCalendar();
const wd = fc.integer({ min: -MAX_OFFSET_WORKING_DAYS, max: MAX_OFFSET_WORKING_DAYS });

describe('dates (property)', () => {
  it('addDays round-trips and agrees with daysBetween across the window', () => {
    fc.assert(
      fc.property(windowDate, fc.integer({ min: -100_000, max: 100_000 }), (d, n) => {
        const e = addDays(d, n);
        expect(isValidDate(e)).toBe(true);
        expect(addDays(e, -n)).toBe(d);
        expect(daysBetween(d, e)).toBe(n);
        expect(isoWeekday(e)).toBe(((((isoWeekday(d) - 1 + n) % 7) + 7) % 7) + 1);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('addDays on any four-digit date and any integer gives a YYYY-MM-DD date or the domain error', () => {
    fc.assert(
      fc.property(anyDate, anyInt, (d, n) => {
        const e = orDomainError(() => addDays(d, n));
        if (e !== undefined) {
          expect(e).toMatch(DATE_RE);
          expect(daysBetween(d, e)).toBe(n);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
    expect(() => addDays('9999-12-31', 1)).toThrow(CalendarDomainError);
    expect(() => addDays('0000-01-01', -1)).toThrow(CalendarDomainError);
  });
});

describe('working days (property)', () => {
  it('addWorkingDays lands on a working day exactly n working days away, and back', () => {
    fc.assert(
      fc.property(windowDate, wd, (d, n) => {
        const e = cal.reset().addWorkingDays(d, n);
        if (n === 0) expect(e).toBe(d);
        else {
          expect(cal.isWorkingDay(e)).toBe(true);
          expect(Math.sign(daysBetween(d, e))).toBe(Math.sign(n));
        }
        expect(cal.workingDaysBetween(d, e)).toBe(n);
        // Round trip from a working day: n forward and n back is where we started.
        if (cal.isWorkingDay(d)) expect(cal.addWorkingDays(e, -n)).toBe(d);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('is monotonic in n and in the start date', () => {
    fc.assert(
      fc.property(windowDate, wd, wd, fc.integer({ min: 0, max: 400 }), (d, a, b, k) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(cal.reset().addWorkingDays(d, lo) <= cal.reset().addWorkingDays(d, hi)).toBe(true);
        const later = addDays(d, k);
        expect(cal.reset().addWorkingDays(d, a) <= cal.reset().addWorkingDays(later, a)).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('onOrAfter/onOrBefore give the nearest working day, with no working day skipped', () => {
    fc.assert(
      fc.property(windowDate, (d) => {
        const after = cal.reset().onOrAfterWorkingDay(d);
        const before = cal.reset().onOrBeforeWorkingDay(d);
        expect(cal.isWorkingDay(after) && cal.isWorkingDay(before)).toBe(true);
        expect(before <= d && d <= after).toBe(true);
        for (let x = d; x < after; x = addDays(x, 1)) expect(cal.isWorkingDay(x)).toBe(false);
        for (let x = d; x > before; x = addDays(x, -1)) expect(cal.isWorkingDay(x)).toBe(false);
        expect(cal.isWorkingDay(d)).toBe(cal.day(d).working);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('never spins: any date, any n returns or throws the domain error within a bounded number of look-ups', () => {
    fc.assert(
      fc.property(anyDate, anyInt, (d, n) => {
        const ops: (() => unknown)[] = [
          () => cal.reset().addWorkingDays(d, n),
          () => cal.reset().onOrAfterWorkingDay(d),
          () => cal.reset().onOrBeforeWorkingDay(d),
          () => cal.reset().workingDaysBetween(d, orDomainError(() => addDays(d, n % 5000)) ?? d),
        ];
        for (const op of ops) {
          const t0 = performance.now();
          orDomainError(op); // a non-domain error ("spinning", RangeError) fails the property
          expect(cal.calls).toBeLessThanOrEqual(STEP_LIMIT);
          expect(performance.now() - t0).toBeLessThan(1000);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('refuses the hostile inputs of the hardening issue with the domain error, at once', () => {
    expect(() => cal.reset().addWorkingDays('9999-12-31', 1)).toThrow(CalendarDomainError);
    expect(() => cal.reset().addWorkingDays(MAX_DATE, 3_000_000)).toThrow(CalendarDomainError);
    expect(() => cal.reset().onOrBeforeWorkingDay('0000-01-01')).toThrow(CalendarDomainError); // a Saturday: no Friday before it
    expect(() => cal.reset().addWorkingDays('not a date', 1)).toThrow(CalendarDomainError);
    // The window's own bounds compute fine with the largest offset.
    expect(cal.reset().addWorkingDays(MAX_DATE, MAX_OFFSET_WORKING_DAYS) > MAX_DATE).toBe(true);
    expect(cal.reset().addWorkingDays(MIN_DATE, -MAX_OFFSET_WORKING_DAYS) < MIN_DATE).toBe(true);
  });
});
