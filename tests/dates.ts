/**
 * Dates for the tests that run on the real clock (tests/harness.ts: a real Temporal dev server,
 * whose clock no test can set). Such a test must pass on whatever day it runs — on 12-31 and
 * 01-01, the day before 春节 or 国庆, a Sunday, years after the built-in holiday data ends — so it
 * never writes a date that is "in the future" or "in the past" as a constant: it computes it from
 * today in Asia/Shanghai (the product's day, domain/time.ts), and, where working days or holidays
 * matter, on the product's own calendar (domain/calendar.ts). A test that needs a fixed date
 * belongs on the time-skipping server with its clock set (tests/time-harness.ts).
 *
 * Dates in the past stay constants only when "past" is all a test relies on and it only grows
 * truer (e.g. a deadline of 2026-11-01 is overdue on every later day).
 */
import { builtinCalendarData, WorkCalendar } from '../domain/calendar';
import { addDays, dateOf, type DateStr } from '../domain/time';

/** Today in Asia/Shanghai, as the API and the workflows count days. */
export const today = (): DateStr => dateOf(Date.now());

/** The date `n` calendar days from today (negative: before). */
export const daysFromToday = (n: number): DateStr => addDays(today(), n);

export const thisYear = (): number => Number(today().slice(0, 4));

/**
 * A deadline so far ahead that nothing about it moves while a test runs, whatever the weekday or
 * holiday: its light stays green (yellow comes 3 working days before the deadline, or when the
 * elapsed share of the item's time is 10 points ahead of its progress: here after about 18 days),
 * no reminder or ladder step falls due, it is not overdue. Inside `runningCampaign()`.
 */
export const FAR_AHEAD_DAYS = 180;
export const farDeadline = (days = FAR_AHEAD_DAYS): DateStr => daysFromToday(days);

/**
 * A campaign that is running today and for a year, so every deadline a test sets lies inside it:
 * its items report on the cadence, long-term items may not close yet, and its end (which closes a
 * last dispatch period and may close the campaign) is never near.
 */
export const runningCampaign = (): { startDate: DateStr; endDate: DateStr } => ({ startDate: today(), endDate: daysFromToday(366) });

/**
 * The calendar a fresh database starts with (version 1): the built-in schedule of chinese-days.
 * Count working days on it (`addWorkingDays`, `workingDaysBetween`) as the product does.
 */
export const builtinCalendar = (): WorkCalendar => new WorkCalendar(builtinCalendarData(), 1);

/**
 * The year whose State Council notice a test loads as "next year's": after this year and after
 * every year the built-in data knows, so on any day it still has no official schedule (only
 * weekends are off) until the notice is loaded — also once chinese-days ships the next year.
 */
export function yearWithoutBuiltinSchedule(): number {
  return Math.max(thisYear(), ...builtinCalendarData().years) + 1;
}
