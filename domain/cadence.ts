/**
 * Cadence days: which calendar days close a reporting period — every week (on a weekday), every
 * 旬 (the 10th, the 20th and the last day of the month), every other week, every month (its last
 * day), every quarter (the last day of March, June, September and December). Shared by item report dues and campaign dispatch sheets; which working day a holiday
 * moves to is the caller's rule.
 */
import { CADENCES } from './policy';
import { isoWeekday, lastDayOfMonth, type DateStr } from './time';

export type NamedCadence = (typeof CADENCES)[number];

export const isNamedCadence = (every: string): every is NamedCadence => (CADENCES as readonly string[]).includes(every);

export function isCadenceDay(every: NamedCadence, weekday: number, d: DateStr): boolean {
  const dayOfMonth = Number(d.slice(8, 10));
  switch (every) {
    case 'weekly':
      return isoWeekday(d) === weekday;
    case 'fortnightly':
      // Even ISO weeks since the epoch: a fixed rhythm that does not depend on when counting starts.
      return isoWeekday(d) === weekday && Math.floor((Date.parse(`${d}T00:00:00Z`) / 86_400_000 + 3) / 7) % 2 === 0;
    case 'xun':
      return dayOfMonth === 10 || dayOfMonth === 20 || d === lastDayOfMonth(Number(d.slice(0, 4)), Number(d.slice(5, 7)));
    case 'monthly':
      return d === lastDayOfMonth(Number(d.slice(0, 4)), Number(d.slice(5, 7)));
    case 'quarterly':
      return Number(d.slice(5, 7)) % 3 === 0 && d === lastDayOfMonth(Number(d.slice(0, 4)), Number(d.slice(5, 7)));
  }
}
