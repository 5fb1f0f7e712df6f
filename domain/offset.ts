/**
 * Offsets in policies and deadlines: working days ("3WD", as offices count 工作日), or any
 * ISO 8601 duration of weeks, days, hours, minutes and seconds ("P3D" natural days, "PT30S" for
 * tests and demos). Months and years are refused: their length is ambiguous.
 */
import { z } from 'zod';

export type Offset = { kind: 'working_days'; days: number } | { kind: 'duration'; ms: number };

const WD = /^(\d+)WD$/;
const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseOffset(text: string): Offset | undefined {
  const wd = WD.exec(text);
  if (wd) return { kind: 'working_days', days: Number(wd[1]) };
  const m = ISO.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m;
  const ms = ((Number(w ?? 0) * 7 + Number(d ?? 0)) * 86_400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0)) * 1000;
  return { kind: 'duration', ms };
}

export const offsetSchema = z
  .string()
  .trim()
  .refine((s) => parseOffset(s) !== undefined, {
    message: 'expected working days like "3WD" or an ISO 8601 duration like "P3D" or "PT30S"',
  })
  .describe('"3WD" (working days) or an ISO 8601 duration ("P3D", "PT2H", "PT30S")');
