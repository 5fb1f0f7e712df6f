/** Errors the services throw; the error-handler plugin turns them into HTTP answers. */
export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  /**
   * `cause` is what went wrong underneath (a driver or gRPC error): logged with the answer,
   * never sent — a client learns which part is down, not its addresses or internals.
   */
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

export const badRequest = (message: string, details: FieldError[]) => new AppError(400, 'VALIDATION_FAILED', message, { details });
export const unauthorized = (message: string) => new AppError(401, 'UNAUTHORIZED', message);
export const forbidden = (message: string) => new AppError(403, 'FORBIDDEN', message);
export const notFound = (what: string, id: string) => new AppError(404, 'NOT_FOUND', `${what} ${id} not found`);
export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) => new AppError(409, code, message, extra);

/** The Idempotency-Key was sent before, by the same caller for the same action, with another body. */
export const idempotencyKeyReused = (key: string) =>
  new AppError(422, 'IDEMPOTENCY_KEY_REUSED', `Idempotency-Key "${key}" was already used with a different request; use a new key for a new request`, {
    messageZh: '该幂等键已用于另一请求，请为新请求使用新的幂等键',
  });
/** The first request with this key (and this body) has not answered yet: retry in a moment to get its answer. */
export const idempotencyKeyInUse = (key: string) =>
  new AppError(409, 'IDEMPOTENCY_KEY_IN_USE', `a request with Idempotency-Key "${key}" is still being processed; retry shortly with the same key to get its answer`, {
    messageZh: '同一请求正在处理，请稍后重试',
  });
/**
 * The parts the API depends on are away: 503 with a fixed message naming the part (never the
 * driver's text, which carries addresses and internals); what went wrong is the `cause`, logged.
 */
/** The Temporal server does not answer. */
export const temporalUnavailable = (cause?: unknown) =>
  new AppError(503, 'TEMPORAL_UNAVAILABLE', 'Temporal 服务不可用，请稍后重试 (Temporal is unavailable: retry later)', { messageZh: 'Temporal 服务不可用，请稍后重试', unavailable: 'temporal' }, cause);
/** Temporal answers but no worker took the action in time (it may still be applied: retry with the same key). */
export const workerUnavailable = (message: string, cause?: unknown) =>
  new AppError(503, 'WORKER_UNAVAILABLE', message, { messageZh: '工作进程未响应，请使用相同的幂等键重试', unavailable: 'worker' }, cause);
/** PostgreSQL does not answer (refused, connect or statement timeout). */
export const databaseUnavailable = (cause?: unknown) =>
  new AppError(503, 'DATABASE_UNAVAILABLE', 'PostgreSQL 数据库不可用，请稍后重试 (PostgreSQL is unavailable: retry later)', { messageZh: 'PostgreSQL 数据库不可用，请稍后重试', unavailable: 'postgres' }, cause);

/**
 * The evidence file store (S3) does not answer, or refuses (credentials, bucket), or holds a file
 * whose store is not configured: uploads and downloads of evidence wait; nothing else does.
 */
export const evidenceStoreUnavailable = (cause?: unknown) =>
  new AppError(
    503,
    'EVIDENCE_STORE_UNAVAILABLE',
    '佐证材料存储服务不可用，请稍后重试 (the evidence file store is unavailable: retry later)',
    { messageZh: '佐证材料存储服务不可用，请稍后重试', unavailable: 'evidence-store' },
    cause,
  );

const PG_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);
/**
 * PostgreSQL is away: postgres.js connection errors, a statement cancelled by statement_timeout
 * (57014), the server shutting down or refusing connections (57P01-57P03, 53300).
 */
export function isDatabaseDown(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown; address?: unknown; name?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : typeof e.errno === 'string' ? e.errno : '';
  if (['57014', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006'].includes(code)) return true;
  // Node socket errors are only PostgreSQL's when postgres.js raised them (they carry the address/query).
  return PG_DOWN_CODES.has(code) && ('address' in e || 'query' in e || String(code).startsWith('CONNECT'));
}
