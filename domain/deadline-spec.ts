/**
 * An item's deadline as stored: 'YYYY-MM-DD' (due by the end of that day), an offset from
 * assignment ("10WD", "P30D", "PT2M"), or an exact ISO instant with its offset. Each within its
 * domain (domain/bounds.ts): dates and instants in 1949-10-01 … 2100-12-31, at most 1,000
 * working days, durations at most 3 years. Outside it: a message saying why, in English and Chinese.
 */
import { z } from 'zod';
import { DATE_WINDOW_MESSAGE, MAX_DATE, MIN_DATE } from './bounds';
import { checkOffset, OFFSET_FORMAT_MESSAGE } from './offset';
import { DATE_RE, dateOf, isValidDate, parseInstant } from './time';

export const DEADLINE_FORMAT_MESSAGE =
  'expected a date (YYYY-MM-DD), working days ("10WD"), an ISO 8601 duration ("P30D", "PT2M") or an ISO instant ("2026-10-31T18:00:00+08:00")';

/** Which of the three forms a deadline is written in (the one place that tells them apart). */
export type DeadlineForm = 'date' | 'instant' | 'offset';
const INSTANT_START_RE = /^\d{4}-\d{2}-\d{2}T/;
export const deadlineForm = (spec: string): DeadlineForm => (DATE_RE.test(spec) ? 'date' : INSTANT_START_RE.test(spec) ? 'instant' : 'offset');

/** Why `spec` is not a deadline within its domain, or undefined when it is one. Never throws. */
export function deadlineSpecProblem(spec: string): string | undefined {
  if (typeof spec !== 'string') return DEADLINE_FORMAT_MESSAGE;
  const form = deadlineForm(spec);
  if (form === 'date') {
    if (!isValidDate(spec)) return `no such date: ${spec} (日期不存在：${spec})`;
    return spec < MIN_DATE || spec > MAX_DATE ? DATE_WINDOW_MESSAGE : undefined;
  }
  if (form === 'instant') {
    const t = parseInstant(spec);
    if (t === undefined) return `not a valid ISO instant: "${spec.slice(0, 40)}" (时间格式不正确或不存在)`;
    const d = dateOf(t);
    return d < MIN_DATE || d > MAX_DATE ? DATE_WINDOW_MESSAGE : undefined;
  }
  const r = checkOffset(spec);
  if ('error' in r) return r.error === OFFSET_FORMAT_MESSAGE ? DEADLINE_FORMAT_MESSAGE : r.error;
  return undefined;
}

export const deadlineSpecSchema = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    const problem = deadlineSpecProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
