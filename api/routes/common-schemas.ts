/**
 * Shared input primitives: every date, id and number a route takes has a domain (domain/bounds.ts)
 * enforced here, at the edge, so a request outside it is a 400 naming the field and the reason.
 *   - dates: real dates in 1949-10-01 … 2100-12-31 ('2026-02-30' and '0000-01-01' are refused)
 *   - ids: UUIDs in any case, normalised to lower case (the form stored and used in workflow ids)
 *   - integers: int32 where the column is int/int4, safe integers for bigint cursors
 */
import { z } from 'zod';
import { DATE_WINDOW_MESSAGE, INT32_MAX, MAX_DATE, MIN_DATE } from '../../domain/bounds';
import { DATE_RE, endOfDay, instantAt, isSupportedDate, parseInstant } from '../../domain/time';

/** A UUID in any letter case, normalised to lower case. */
export const uuid = z.uuid().overwrite((s) => s.toLowerCase());

/** 'YYYY-MM-DD', a real date within the supported window. */
export const date = z.iso
  .date()
  .superRefine((s, ctx) => {
    if (s < MIN_DATE || s > MAX_DATE) ctx.addIssue({ code: 'custom', message: DATE_WINDOW_MESSAGE });
  })
  .describe(`YYYY-MM-DD, ${MIN_DATE} to ${MAX_DATE}`);

/** A query/path integer that fits PostgreSQL int (int4). */
export const int32 = (min = 0) => z.coerce.number().int().min(min).max(INT32_MAX);

/** A query/path integer that fits a bigint identity and a JS number exactly. */
export const safeInt = (min = 0) => z.coerce.number().int().min(min).max(Number.MAX_SAFE_INTEGER);

/** A unit id, name or alias: a UUID is normalised to lower case, a name is kept as written. */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const unitRef = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .overwrite((s) => (UUID_RE.test(s) ? s.toLowerCase() : s))
  .describe('unit id, name or alias');

/**
 * 回溯 `asOf`: a day ('2026-10-15': the view at the close of that day in Asia/Shanghai) or an
 * exact instant with its offset ('2026-10-15T09:30:00+08:00'), as epoch milliseconds. Whether it
 * lies in the future is judged against the app's clock by the service (`pastInstant`).
 */
export const asOf = z
  .string()
  .trim()
  .max(40)
  .transform((s, ctx) => {
    const t = DATE_RE.test(s) ? (isSupportedDate(s) ? endOfDay(s) : undefined) : parseInstant(s);
    if (t === undefined || t < instantAt(MIN_DATE)) {
      ctx.addIssue({ code: 'custom', message: `回溯时点应为日期（YYYY-MM-DD）或带时区的时刻（如 2026-10-15T09:30:00+08:00），不早于 ${MIN_DATE}` });
      return z.NEVER;
    }
    return t;
  })
  .optional()
  .describe('回溯: the view as of this day (its close, Asia/Shanghai) or instant; not in the future');
