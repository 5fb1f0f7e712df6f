/**
 * China's official working-day calendar: weekends, the public holidays and the make-up working
 * days (调休) of the State Council's yearly notice. A calendar is plain data, versioned in the
 * database; the built-in version comes from the maintained `chinese-days` package, and the office
 * loads a new year's notice at run time (domain/calendar-notice.ts). Pure: no I/O, no clock.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json';
import { addDays, daysBetween, isoWeekday, type DateStr } from './time';

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
    const step = n >= 0 ? 1 : -1;
    let left = Math.abs(n);
    let d = date;
    while (left > 0) {
      d = addDays(d, step);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /** `date` itself if it is a working day, otherwise the next working day. */
  onOrAfterWorkingDay(date: DateStr): DateStr {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  /** `date` itself if it is a working day, otherwise the working day before it. */
  onOrBeforeWorkingDay(date: DateStr): DateStr {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, -1);
    return d;
  }

  /** Working days in (from, to]: how many working days pass going from `from` to `to`. */
  workingDaysBetween(from: DateStr, to: DateStr): number {
    const sign = daysBetween(from, to) >= 0 ? 1 : -1;
    let count = 0;
    for (let d = from; d !== to; ) {
      d = addDays(d, sign);
      if (this.isWorkingDay(d)) count += sign;
    }
    return count;
  }
}
