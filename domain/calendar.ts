/**
 * China's official working-day calendar: weekends, the public holidays and the make-up working
 * days (调休) of the State Council's yearly notice. A calendar is plain data, versioned in the
 * database; the built-in version comes from the maintained `chinese-days` package, and the office
 * loads a new year's notice at run time (domain/calendar-notice.ts). Pure: no I/O, no clock.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json';
import { CalendarDomainError, MAX_DAY_STEPS } from './bounds';
import { addDays, daysBetween, isoWeekday, isValidDate, type DateStr } from './time';

/** Throws CalendarDomainError unless `date` is a real 'YYYY-MM-DD' date. */
function checkDate(date: DateStr): void {
  if (typeof date !== 'string' || !isValidDate(date)) throw new CalendarDomainError(`not a date: "${String(date).slice(0, 40)}"`, `日期格式不正确：“${String(date).slice(0, 40)}”`);
}

/** The hard cap of every loop over days: more steps than any date in the window can need. */
function tooFar(what: string, date: DateStr): CalendarDomainError {
  return new CalendarDomainError(
    `${what} from ${date} needs more than ${MAX_DAY_STEPS} calendar days: outside the supported range`,
    `自 ${date} 起${what === 'counting working days' ? '计算工作日' : '查找工作日'}超过 ${MAX_DAY_STEPS} 天，超出支持范围`,
  );
}

export interface CalendarData {
  /** date → holiday name, e.g. '国庆节' (days off, including moved weekend days). */
  holidays: Record<DateStr, string>;
  /** date → the holiday it makes up for (weekend days that are working days, 调休上班). */
  workdays: Record<DateStr, string>;
  /** Years whose official schedule is known; outside them only weekends count. */
  years: number[];
}

export type DayReason = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

export interface DayInfo {
  date: DateStr;
  working: boolean;
  reason: DayReason;
  /** The holiday (or, for a make-up day, the holiday it makes up for), in Chinese. */
  holiday: string | null;
  /** Whether the official schedule of this year is loaded (false: weekends only). */
  officialScheduleKnown: boolean;
}

/** chinese-days names look like 'National Day,国庆节,3': keep the Chinese name. */
function zhName(raw: string): string {
  const parts = raw.split(',');
  return parts[1] ?? parts[0] ?? raw;
}

export function builtinCalendarData(): CalendarData {
  const src = chineseDays as { holidays: Record<string, string>; workdays: Record<string, string> };
  const holidays: Record<string, string> = {};
  const workdays: Record<string, string> = {};
  const years = new Set<number>();
  for (const [d, n] of Object.entries(src.holidays)) {
    holidays[d] = zhName(n);
    years.add(Number(d.slice(0, 4)));
  }
  for (const [d, n] of Object.entries(src.workdays)) workdays[d] = zhName(n);
  return { holidays, workdays, years: [...years].sort() };
}

export class WorkCalendar {
  private readonly years: Set<number>;
  constructor(
    readonly data: CalendarData,
    /** Which stored calendar version this is (recorded with every computed instant). */
    readonly version: number = 0,
  ) {
    this.years = new Set(data.years);
  }

  day(date: DateStr): DayInfo {
    const officialScheduleKnown = this.years.has(Number(date.slice(0, 4)));
    const holiday = this.data.holidays[date];
    if (holiday) return { date, working: false, reason: 'holiday', holiday, officialScheduleKnown };
    const makeup = this.data.workdays[date];
    if (makeup) return { date, working: true, reason: 'makeup_workday', holiday: makeup, officialScheduleKnown };
    const weekend = isoWeekday(date) >= 6;
    return { date, working: !weekend, reason: weekend ? 'weekend' : 'workday', holiday: null, officialScheduleKnown };
  }

  isWorkingDay(date: DateStr): boolean {
    return this.day(date).working;
  }

  /**
   * The date `n` working days after `date`, as offices count "N个工作日内" (the start day itself
   * does not count). Negative `n` counts back ("3 working days before the deadline").
   */
  addWorkingDays(date: DateStr, n: number): DateStr {
    checkDate(date);
    if (!Number.isSafeInteger(n) || Math.abs(n) > MAX_DAY_STEPS) {
      throw new CalendarDomainError(`cannot count ${n} working days: at most ${MAX_DAY_STEPS}`, `无法计算 ${n} 个工作日：超出支持范围`);
    }
    const step = n >= 0 ? 1 : -1;
    let left = Math.abs(n);
    let d = date;
    // Hard cap: a calendar whose data says no day works (or a walk off the calendar) throws, never spins.
    for (let steps = 0; left > 0; steps++) {
      if (steps >= MAX_DAY_STEPS) throw tooFar('counting working days', date);
      d = addDays(d, step);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /** `date` itself if it is a working day, otherwise the next working day. */
  onOrAfterWorkingDay(date: DateStr): DateStr {
    return this.nearestWorkingDay(date, 1);
  }

  /** `date` itself if it is a working day, otherwise the working day before it. */
  onOrBeforeWorkingDay(date: DateStr): DateStr {
    return this.nearestWorkingDay(date, -1);
  }

  private nearestWorkingDay(date: DateStr, step: 1 | -1): DateStr {
    checkDate(date);
    let d = date;
    for (let steps = 0; !this.isWorkingDay(d); steps++) {
      if (steps >= MAX_DAY_STEPS) throw tooFar('looking for a working day', date);
      d = addDays(d, step);
    }
    return d;
  }

  /** Working days in (from, to]: how many working days pass going from `from` to `to`. */
  workingDaysBetween(from: DateStr, to: DateStr): number {
    checkDate(from);
    checkDate(to);
    const span = daysBetween(from, to);
    if (Math.abs(span) > MAX_DAY_STEPS) throw tooFar('counting working days', from);
    const sign = span >= 0 ? 1 : -1;
    let count = 0;
    for (let d = from; d !== to; ) {
      d = addDays(d, sign);
      if (this.isWorkingDay(d)) count += sign;
    }
    return count;
  }
}
