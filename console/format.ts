/** How the console writes dates, times and numbers: Asia/Shanghai, the way offices write them. */
import { chineseDate } from '../domain/letters/types';
import { dateOf, SHANGHAI_OFFSET_MS } from '../domain/time';

/** 2026年11月29日 */
export const day = (d: string | null | undefined): string => (d ? chineseDate(d.length === 10 ? d : dateOf(d)) : '—');

/** 2026-11-29 16:05 (Asia/Shanghai) */
export function dateTime(instant: string | number | null | undefined): string {
  if (instant === null || instant === undefined) return '—';
  const t = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(t)) return '—';
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

export const percent = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : `${Math.round(n * 10) / 10}%`);

/** A period closes at the end of its day: the day, not the midnight after it. */
export const closingDay = (end: string): string => day(new Date(Date.parse(end) - 1).toISOString());
