/**
 * The domains of every date, offset and duration the engine accepts, in one place, and the typed
 * error calendar arithmetic throws when asked to leave them. The API refuses inputs outside these
 * windows with a 400 naming the field; the arithmetic itself is bounded too (every loop over days
 * has a hard cap), so nothing that slips past the edge can spin.
 *
 *   any date (deadline, calendar query, notice):  1949-10-01 … 2100-12-31
 *   a campaign:                                    start and end in that window, at most 5 years long
 *   working-day offsets ("NWD"):                   0 … 1,000 working days
 *   durations (ISO 8601, "P3D", "PT2H"):           at most 3 years (1,096 days)
 */

export const MIN_DATE = '1949-10-01';
export const MAX_DATE = '2100-12-31';
/** The longest a campaign may run, end date minus start date, in days (5 years). */
export const MAX_CAMPAIGN_DAYS = 5 * 366;
/** The most working days an offset may count ("1000WD"). */
export const MAX_OFFSET_WORKING_DAYS = 1000;
/** The longest duration an offset may be (3 years). */
export const MAX_DURATION_DAYS = 1096;
export const MAX_DURATION_MS = MAX_DURATION_DAYS * 86_400_000;
/**
 * Hard cap on the days any single calendar loop walks (more than the whole date window plus the
 * longest offset): a loop that would need more throws CalendarDomainError instead of spinning.
 */
export const MAX_DAY_STEPS = 60_000;
/** Calendar arithmetic stays within four-digit years (what 'YYYY-MM-DD' can say). */
export const ARITHMETIC_MIN_DATE = '0001-01-01';
export const ARITHMETIC_MAX_DATE = '9999-12-31';
/** PostgreSQL int / int4. */
export const INT32_MAX = 2_147_483_647;

export const DATE_WINDOW_MESSAGE = `date out of the supported range ${MIN_DATE} to ${MAX_DATE} (日期超出支持范围（${MIN_DATE} 至 ${MAX_DATE}）)`;

/**
 * A date, offset or duration outside its domain, or calendar arithmetic that would leave it.
 * Not retryable: the same input fails the same way every time. The API answers it with a 400.
 */
export class CalendarDomainError extends Error {
  override readonly name = 'CalendarDomainError';
  readonly code = 'OUT_OF_DOMAIN';
  constructor(
    message: string,
    /** The same in Chinese, for the people who read it. */
    readonly messageZh: string,
    /** The input that was out of its domain, when known (e.g. 'deadline'). */
    readonly field?: string,
  ) {
    super(message);
  }
}

export const isCalendarDomainError = (err: unknown): err is CalendarDomainError =>
  err instanceof CalendarDomainError || (err instanceof Error && err.name === 'CalendarDomainError');
