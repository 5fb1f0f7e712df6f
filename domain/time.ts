/**
 * Dates and instants in Asia/Shanghai. China has used UTC+8 all year since 1991, so a local
 * date-time maps to an instant with a fixed offset — no time-zone database needed, and the
 * same code runs inside workflows. Dates are 'YYYY-MM-DD' strings; instants are ISO strings
 * or epoch milliseconds.
 */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export type DateStr = string; // 'YYYY-MM-DD'

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(d: string): boolean {
  if (!DATE_RE.test(d)) return false;
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}

/** The Shanghai calendar date of an instant. */
export function dateOf(instant: number | string): DateStr {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant;
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of a Shanghai wall-clock time ('HH:MM') on a date. */
export function instantAt(date: DateStr, hhmm = '00:00'): number {
  return Date.parse(`${date}T${hhmm}:00+08:00`);
}

/** Minutes since Shanghai midnight of an instant. */
export function minuteOfDay(instant: number): number {
  const local = new Date(instant + SHANGHAI_OFFSET_MS);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

export function addDays(date: DateStr, n: number): DateStr {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: DateStr): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function daysBetween(from: DateStr, to: DateStr): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function lastDayOfMonth(year: number, month: number): DateStr {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

export const iso = (ms: number): string => new Date(ms).toISOString();
