/**
 * Deadlines as officials write them (整改时限), resolved against a campaign's dates:
 *   "2020-10-31", "2020年10月31日", "8月15日前", "10月底前", "10月中旬前" (上旬 10th, 中旬 20th,
 *   下旬/底 the last day), "11月份" (within November: its last day), "15个工作日内",
 *   "立行立改" (immediate: 5 working days from assignment by default), "长期坚持" (long-term).
 * A month without a year is the first such month on or after the campaign's start.
 */
import type { ItemKind } from './item-lifecycle';
import { DATE_WINDOW_MESSAGE, MAX_DATE, MIN_DATE } from './bounds';
import { checkOffset } from './offset';
import { isValidDate, lastDayOfMonth } from './time';

const inWindow = (d: string) => d >= MIN_DATE && d <= MAX_DATE;

export interface ResolvedDeadline {
  kind: ItemKind;
  /** The deadline spec stored on the item: a date, "NWD", or null (long-term). */
  deadline: string | null;
  /** What to show back to the person who wrote the phrase. */
  shown: string;
}

export const IMMEDIATE_DEADLINE = '5WD';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Never throws: any string (empty, NUL, lone surrogates, huge numbers) resolves or gives an
 * error saying why; what it resolves to lies within the domains of domain/bounds.ts.
 */
export function resolveDeadlinePhrase(raw: string, campaign: { startDate: string }): ResolvedDeadline | { error: string } {
  if (typeof raw !== 'string') return { error: 'empty deadline' };
  if (raw.length > 200) return { error: `cannot read a deadline of ${raw.length} characters (整改时限过长)` };
  const text = raw.replace(/\s+/g, '').replace(/[（(].*?[)）]/g, '');
  if (!text) return { error: 'empty deadline' };
  if (/长期坚持|长期/.test(text)) return { kind: 'long_term', deadline: null, shown: '长期坚持（按调度周期报送，至专项行动结束）' };
  if (/立行立改|立即/.test(text)) return { kind: 'immediate', deadline: IMMEDIATE_DEADLINE, shown: '立行立改（交办后5个工作日内）' };
  const wd = /^(\d+)个?工作日(内|之内)?$/.exec(text);
  if (wd) {
    const days = Number(wd[1]);
    const checked = checkOffset(`${days}WD`);
    if ('error' in checked || !Number.isSafeInteger(days)) return { error: `"${raw}": ${'error' in checked ? checked.error : 'too many working days'}` };
    return { kind: 'time_limited', deadline: `${days}WD`, shown: `交办后${days}个工作日内` };
  }
  if (isValidDate(text)) return inWindow(text) ? { kind: 'time_limited', deadline: text, shown: text } : { error: `"${raw}": ${DATE_WINDOW_MESSAGE}` };

  const startYear = Number(campaign.startDate.slice(0, 4));
  const startMonth = Number(campaign.startDate.slice(5, 7));
  const m = /^(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日|(上旬|中旬|下旬|底|末|份))?(前|之前|以前|内|完成)?$/.exec(text);
  if (!m) return { error: `cannot read "${raw}": write a date (2020-10-31), "8月15日前", "10月底前", "10月中旬前", "11月份", "15个工作日内", "立行立改" or "长期坚持"` };
  const month = Number(m[2]);
  if (month < 1 || month > 12) return { error: `no month ${month} in "${raw}"` };
  const year = m[1] ? Number(m[1]) : month >= startMonth ? startYear : startYear + 1;
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return { error: `"${raw}": ${DATE_WINDOW_MESSAGE}` };
  const last = Number(lastDayOfMonth(year, month).slice(8, 10));
  let day: number;
  if (m[3]) day = Number(m[3]);
  else if (m[4] === '上旬') day = 10;
  else if (m[4] === '中旬') day = 20;
  else day = last; // 下旬, 底, 末, 份, or the month alone
  const date = `${year}-${pad(month)}-${pad(day)}`;
  if (!isValidDate(date)) return { error: `no such date: ${year}年${month}月${day}日` };
  if (!inWindow(date)) return { error: `"${raw}": ${DATE_WINDOW_MESSAGE}` };
  return { kind: 'time_limited', deadline: date, shown: date };
}
