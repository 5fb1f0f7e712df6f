/**
 * Dates and instants in Asia/Shanghai. China has used UTC+8 all year since 1991, so a local
 * date-time maps to an instant with a fixed offset — no time-zone database needed, and the
 * same code runs inside workflows. Dates are 'YYYY-MM-DD' strings; instants are ISO strings
 * or epoch milliseconds.
 */
import { CalendarDomainError, MAX_DATE, MIN_DATE } from './bounds';

export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export type DateStr = string; // 'YYYY-MM-DD'

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(d: string): boolean {
  if (!DATE_RE.test(d)) return false;
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}

/** A real calendar date within the supported window (domain/bounds.ts: 1949-10-01 … 2100-12-31). */
export function isSupportedDate(d: string): boolean {
  return isValidDate(d) && d >= MIN_DATE && d <= MAX_DATE;
}

const INSTANT_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * The epoch milliseconds of a strict ISO 8601 instant with an explicit offset
 * ('2026-03-02T09:00:00+08:00', '…Z'), or undefined: unlike Date.parse, nothing rolls over
 * ('2026-02-30T00:00:00Z' and '24:00' are refused).
 */
export function parseInstant(s: string): number | undefined {
  const m = INSTANT_RE.exec(s);
  if (!m) return undefined;
  const [, date, hh, mm, ss, frac, zone, sign, oh, om] = m;
  if (!isValidDate(date!) || Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? 0) > 59) return undefined;
  if (zone !== 'Z' && (Number(oh) > 14 || Number(om) > 59)) return undefined;
  const ms = (frac ?? '').padEnd(3, '0').slice(0, 3);
  const t = Date.parse(`${date}T${hh}:${mm}:${ss ?? '00'}.${ms}${zone === 'Z' ? 'Z' : `${sign}${oh}:${om}`}`);
  return Number.isNaN(t) ? undefined : t;
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

/** The last millisecond of a Shanghai day: what "as of that day" means (回溯). */
export function endOfDay(date: DateStr): number {
  return instantAt(date) + 86_400_000 - 1;
}

/** Minutes since Shanghai midnight of an instant. */
export function minuteOfDay(instant: number): number {
  const local = new Date(instant + SHANGHAI_OFFSET_MS);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

/**
 * The date `n` days after `date`. Stays within four-digit years: a date that is not
 * 'YYYY-MM-DD', a non-integer `n`, or a result before 0000-01-01 or after 9999-12-31 throws
 * CalendarDomainError (year 10000 would print as '+010000-01-01' and parse back as garbage).
 */
export function addDays(date: DateStr, n: number): DateStr {
  const t = DATE_RE.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  if (Number.isNaN(t)) throw new CalendarDomainError(`not a date: "${String(date).slice(0, 40)}"`, `日期格式不正确：“${String(date).slice(0, 40)}”`);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 4_000_000) throw new CalendarDomainError(`cannot add ${n} days to a date`, `无法在日期上加 ${n} 天`);
  const out = new Date(t + n * DAY_MS).toISOString().slice(0, 10);
  if (!DATE_RE.test(out)) throw new CalendarDomainError(`${date} plus ${n} days leaves the calendar (years 0000–9999)`, `${date} 加 ${n} 天超出日历范围`);
  return out;
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
