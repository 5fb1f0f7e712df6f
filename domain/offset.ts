/**
 * Offsets in policies and deadlines: working days ("3WD", as offices count 工作日), or any
 * ISO 8601 duration of weeks, days, hours, minutes and seconds ("P3D" natural days, "PT30S" for
 * tests and demos). Months and years are refused: their length is ambiguous. Bounded
 * (domain/bounds.ts): at most 1,000 working days, durations at most 3 years.
 */
import { z } from 'zod';
import { MAX_DURATION_DAYS, MAX_DURATION_MS, MAX_OFFSET_WORKING_DAYS } from './bounds';

export type Offset = { kind: 'working_days'; days: number } | { kind: 'duration'; ms: number };

const WD = /^(\d{1,12})WD$/;
const ISO = /^P(?:(\d{1,12})W)?(?:(\d{1,12})D)?(?:T(?:(\d{1,12})H)?(?:(\d{1,12})M)?(?:(\d{1,12}(?:\.\d{1,9})?)S)?)?$/;

export const OFFSET_FORMAT_MESSAGE = 'expected working days like "3WD" or an ISO 8601 duration like "P3D" or "PT30S"';

/** The offset, or why the text is not one (malformed, or outside its bounds). Never throws. */
export function checkOffset(text: string): { offset: Offset } | { error: string } {
  if (typeof text !== 'string' || text.length > 64) return { error: OFFSET_FORMAT_MESSAGE };
  const wd = WD.exec(text);
  if (wd) {
    const days = Number(wd[1]);
    if (days > MAX_OFFSET_WORKING_DAYS) {
      return { error: `at most ${MAX_OFFSET_WORKING_DAYS} working days (工作日数超出支持范围，最多 ${MAX_OFFSET_WORKING_DAYS} 个工作日)` };
    }
    return { offset: { kind: 'working_days', days } };
  }
  const m = ISO.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return { error: OFFSET_FORMAT_MESSAGE };
  const [, w, d, h, min, s] = m;
  const ms = Math.round(((Number(w ?? 0) * 7 + Number(d ?? 0)) * 86_400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0)) * 1000);
  if (!Number.isFinite(ms) || ms > MAX_DURATION_MS) {
    return { error: `a duration of at most ${MAX_DURATION_DAYS} days (3 years) (时长超出支持范围，最长 3 年)` };
  }
  return { offset: { kind: 'duration', ms } };
}

/** The offset, or undefined when the text is not one or is outside its bounds. Never throws. */
export function parseOffset(text: string): Offset | undefined {
  const r = checkOffset(text);
  return 'offset' in r ? r.offset : undefined;
}

export const offsetSchema = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    const r = checkOffset(s);
    if ('error' in r) ctx.addIssue({ code: 'custom', message: r.error });
  })
  .describe('"3WD" (working days, at most 1000WD) or an ISO 8601 duration up to 3 years ("P3D", "PT2H", "PT30S")');
