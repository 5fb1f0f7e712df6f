/**
 * Temporal failures as HTTP answers, in one place, by the error's type — never by its message
 * text. Every service that talks to Temporal (item actions, the campaign's delist and state, the
 * workflow starts) and the error handler, for what escapes them, go through here:
 *
 *   - an Update refused by the workflow (WorkflowUpdateFailedError → ApplicationFailure): the
 *     failure's `type` is the code — the lifecycle's refusal codes (domain/item-lifecycle.ts,
 *     with their Chinese wording in the details) and the campaign's (`not_listed` → NOT_LISTED:
 *     one style of codes, whatever spelling the workflow uses); 409, or 422 for an input the
 *     workflow refuses as such (INVALID_INPUT)
 *   - the workflow is not there, or has completed (WorkflowNotFoundError, gRPC NOT_FOUND): what
 *     that means is the caller's to say (an item closed, a campaign closed, a 404)
 *   - a start that finds the id taken by a closed run (WorkflowExecutionAlreadyStartedError):
 *     409 — the outbox treats it as done (api/services/outbox.ts)
 *   - the call ran past its deadline (WorkflowUpdateRPCTimeoutOrCancelledError, gRPC
 *     DEADLINE_EXCEEDED): for a call that waits for a worker (an Update, a Query), 503
 *     WORKER_UNAVAILABLE — unless the probe finds Temporal itself away; for a start, 503
 *     TEMPORAL_UNAVAILABLE
 *   - Temporal does not answer or sheds load (gRPC UNAVAILABLE, RESOURCE_EXHAUSTED): 503
 *     TEMPORAL_UNAVAILABLE
 * Anything else is not an answer the API can give: it goes on as it is (a 500, logged).
 */
import {
  QueryNotRegisteredError,
  QueryRejectedError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DELISTING_REFUSALS_ZH } from '../../domain/delisting';
import type { Refusal, RefusalCode } from '../../domain/item-lifecycle';
import { AppError, temporalUnavailable, workerUnavailable } from '../errors';
import type { TemporalProbe } from './temporal-probe';

/** gRPC status codes (grpc.io/docs/guides/status-codes), as the Temporal client reports them. */
export const GRPC_STATUS = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, RESOURCE_EXHAUSTED: 8, UNAVAILABLE: 14 } as const;

/** Refusals that mean "this input, not this state": 422. */
const UNPROCESSABLE: ReadonlySet<string> = new Set<RefusalCode>(['INVALID_INPUT']);

/** Refusals a workflow raises without details: their Chinese wording. */
const WORKFLOW_REFUSALS_ZH: Record<string, string> = { ...DELISTING_REFUSALS_ZH };

/** A workflow's failure type as an API code: `not_listed` and `NOT_LISTED` are both NOT_LISTED. */
export const apiCode = (type: string): string => type.trim().replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();

/**
 * The gRPC status of the error or of what it wraps (the client wraps them in ServiceError & co).
 * A numeric `code` is a gRPC status wherever it comes from (grpc-js, the native bridge, an
 * interceptor): PostgreSQL's and Node's codes are strings.
 */
export function grpcStatus(err: unknown): number | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && Number.isInteger(code)) return code;
  }
  return undefined;
}

/** Temporal does not answer (or sheds load): a 503 naming it. */
export function isTemporalDown(err: unknown): boolean {
  const code = grpcStatus(err);
  return code === GRPC_STATUS.UNAVAILABLE || code === GRPC_STATUS.RESOURCE_EXHAUSTED;
}

/** The call ran past its deadline (ours, set with connection.withDeadline, or the server's). */
export function isDeadline(err: unknown): boolean {
  return err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || grpcStatus(err) === GRPC_STATUS.DEADLINE_EXCEEDED;
}

/** The workflow is not there: never started, or completed (an Update to a closed run is NOT_FOUND). */
export function isWorkflowGone(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || grpcStatus(err) === GRPC_STATUS.NOT_FOUND;
}

/** A start found the id taken (a closed run under REJECT_DUPLICATE, or a running one without USE_EXISTING). */
export function isAlreadyStarted(err: unknown): boolean {
  return err instanceof WorkflowExecutionAlreadyStartedError || grpcStatus(err) === GRPC_STATUS.ALREADY_EXISTS;
}

/** An Update (or its validator) refused by the workflow: 409 (422 for refused input), its type as the code. */
export function refusalError(failure: ApplicationFailure, fallbackCode = 'ACTION_REFUSED'): AppError {
  const code = failure.type ? apiCode(failure.type) : fallbackCode;
  const refusal = failure.details?.[0] as Partial<Refusal> | undefined;
  const message = typeof refusal?.message === 'string' ? refusal.message : failure.message;
  const messageZh = typeof refusal?.messageZh === 'string' ? refusal.messageZh : WORKFLOW_REFUSALS_ZH[code];
  return new AppError(UNPROCESSABLE.has(code) ? 422 : 409, code, message, messageZh ? { messageZh } : {});
}

export interface TemporalCall {
  /** The workflow is not there or has completed: what that means for this call. Default: re-thrown. */
  gone?: (err: unknown) => AppError | Promise<AppError>;
  /**
   * The call waits for a worker (an Update, a Query) for this long: past it, 503 WORKER_UNAVAILABLE
   * — or TEMPORAL_UNAVAILABLE if the probe finds the server itself away. Unset: a deadline is Temporal's.
   */
  worker?: { timeoutMs: number; probe: TemporalProbe; retryHint?: string };
  /** Code of a refusal whose failure has no type. */
  refusedCode?: string;
}

/**
 * The HTTP answer for what a Temporal call threw, by type alone (no I/O): an AppError, or
 * undefined when it is not a failure the API answers for (the caller re-throws it).
 */
export function temporalHttpError(err: unknown, call: Omit<TemporalCall, 'gone' | 'worker'> & { worker?: Pick<NonNullable<TemporalCall['worker']>, 'timeoutMs' | 'retryHint'> } = {}): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return refusalError(err.cause, call.refusedCode);
  if (err instanceof ApplicationFailure) return refusalError(err, call.refusedCode);
  if (isAlreadyStarted(err)) return new AppError(409, 'WORKFLOW_ALREADY_STARTED', 'the workflow was started before and has completed', { messageZh: '流程已执行完毕，不能再次启动' }, err);
  if (isDeadline(err)) {
    if (!call.worker) return temporalUnavailable(err);
    return workerUnavailable(
      `no worker answered within ${call.worker.timeoutMs / 1000} s; ${call.worker.retryHint ?? 'repeat the request with the same Idempotency-Key'}`,
      err,
    );
  }
  if (isTemporalDown(err)) return temporalUnavailable(err);
  // The workflow is there but does not answer this query (a worker on older code, or refusing it).
  if (err instanceof QueryNotRegisteredError || err instanceof QueryRejectedError) {
    return new AppError(503, 'WORKFLOW_UNAVAILABLE', 'the workflow did not answer; retry later', { messageZh: '流程暂时无法应答，请稍后重试', unavailable: 'worker' }, err);
  }
  return undefined;
}

/**
 * What a service throws for a failed Temporal call: the answer above, with the caller's meaning
 * of a workflow that is gone, and — past a worker's deadline — the probe asked whether it was
 * the server. Returns the error to throw.
 */
export async function temporalFailure(err: unknown, call: TemporalCall = {}): Promise<unknown> {
  if (!(err instanceof AppError) && isWorkflowGone(err)) return call.gone ? await call.gone(err) : err;
  const mapped = temporalHttpError(err, call);
  if (!mapped) return err;
  if (mapped.code === 'WORKER_UNAVAILABLE' && call.worker) {
    const r = await call.worker.probe.check();
    if (!r.ok) return temporalUnavailable(new Error(r.detail, { cause: err }));
  }
  return mapped;
}
