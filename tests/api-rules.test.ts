/**
 * The API's rules that live in one place each, checked without servers: Temporal failures as
 * HTTP answers (api/services/temporal-errors.ts, by type, never by message text), the public-route
 * rule (api/plugins/auth.ts isPublic), the rate limit's bucket (api/plugins/rate-limit.ts) and the
 * configuration the API and the database client are given (infra/config.ts, infra/db.ts).
 */
import {
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError } from '../api/errors';
import { isPublic } from '../api/plugins/auth';
import { rateLimitKey } from '../api/plugins/rate-limit';
import { GRPC_STATUS, apiCode, temporalFailure, temporalHttpError } from '../api/services/temporal-errors';
import type { TemporalProbe } from '../api/services/temporal-probe';
import { ConfigError, loadConfig } from '../infra/config';
import { pgTimeouts } from '../infra/db';

/** A gRPC error as @grpc/grpc-js raises it, wrapped as the Temporal client does. */
const grpc = (code: number, details: string) => new ServiceError('Unexpected error while making gRPC request', { cause: Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} }) });
const probe = (ok: boolean): TemporalProbe => ({
  check: async () => (ok ? { ok: true, serverVersion: 'test' } : { ok: false, detail: 'no answer within 2500 ms' }),
  ensure: async () => {},
});
const asApp = (e: unknown) => {
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
};

describe('Temporal failures as HTTP answers (by type)', () => {
  it("answers the lifecycle's refusals 409 with their Chinese wording, refused input 422", () => {
    const refusal = { code: 'NOT_LEAD_UNIT', message: 'only a lead unit may submit', messageZh: '仅牵头单位可提交' };
    const refused = asApp(temporalHttpError(new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: refusal.code, message: refusal.message, details: [refusal], nonRetryable: true }))));
    expect([refused.statusCode, refused.code, refused.message, refused.extra.messageZh]).toEqual([409, 'NOT_LEAD_UNIT', refusal.message, refusal.messageZh]);
    const input = { code: 'INVALID_INPUT', message: 'invalid reportProgress input: percent: too big', messageZh: '报送进展的内容不符合要求' };
    const invalid = asApp(temporalHttpError(new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: input.code, message: input.message, details: [input], nonRetryable: true }))));
    expect([invalid.statusCode, invalid.code, invalid.extra.messageZh]).toEqual([422, 'INVALID_INPUT', input.messageZh]);
  });

  it('answers one style of codes whatever the workflow spells: not_listed and NOT_LISTED are NOT_LISTED', () => {
    for (const type of ['not_listed', 'NOT_LISTED']) {
      const e = asApp(temporalHttpError(new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message: 'this unit is not under listed supervision', nonRetryable: true }))));
      expect([e.statusCode, e.code]).toEqual([409, 'NOT_LISTED']);
      expect(e.extra.messageZh).toMatch(/挂牌督办/);
    }
    expect(apiCode('not-listed ')).toBe('NOT_LISTED');
    // A failure without a type: the caller's code.
    const untyped = asApp(temporalHttpError(new WorkflowUpdateFailedError('x', ApplicationFailure.create({ message: 'no' })), { refusedCode: 'DELIST_REFUSED' }));
    expect(untyped.code).toBe('DELIST_REFUSED');
  });

  it('answers Temporal away (gRPC UNAVAILABLE, RESOURCE_EXHAUSTED) 503 naming Temporal, with a fixed message', () => {
    for (const code of [GRPC_STATUS.UNAVAILABLE, GRPC_STATUS.RESOURCE_EXHAUSTED]) {
      const e = asApp(temporalHttpError(grpc(code, 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:7399')));
      expect([e.statusCode, e.code, e.extra.unavailable]).toEqual([503, 'TEMPORAL_UNAVAILABLE', 'temporal']);
      expect(e.message).toMatch(/Temporal 服务不可用/);
      expect(e.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|7399/); // the detail is the cause: logged, not sent
      expect(String((e.cause as Error).cause)).toMatch(/ECONNREFUSED/);
    }
    // Not by message text: an error that merely says "deadline exceeded" or "UNAVAILABLE" is not Temporal's.
    expect(temporalHttpError(new Error('14 UNAVAILABLE: deadline exceeded'))).toBeUndefined();
  });

  it('answers a deadline past a worker 503 WORKER_UNAVAILABLE, or TEMPORAL_UNAVAILABLE when the probe finds the server away', async () => {
    const timeout = new WorkflowUpdateRPCTimeoutOrCancelledError('Workflow update call timeout or cancelled', { cause: Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4, details: 'Deadline exceeded', metadata: {} }) });
    const worker = asApp(await temporalFailure(timeout, { worker: { timeoutMs: 20_000, probe: probe(true) } }));
    expect([worker.statusCode, worker.code]).toEqual([503, 'WORKER_UNAVAILABLE']);
    expect(worker.message).toMatch(/within 20 s.*Idempotency-Key/);
    const server = asApp(await temporalFailure(timeout, { worker: { timeoutMs: 20_000, probe: probe(false) } }));
    expect(server.code).toBe('TEMPORAL_UNAVAILABLE');
    // A start's deadline (no worker involved) is Temporal's.
    expect(asApp(temporalHttpError(grpc(GRPC_STATUS.DEADLINE_EXCEEDED, 'Deadline exceeded'))).code).toBe('TEMPORAL_UNAVAILABLE');
  });

  it("leaves a workflow that is gone to the caller's meaning, and passes on what it does not know", async () => {
    const gone = new WorkflowNotFoundError('workflow execution already completed', 'item-x', undefined);
    const closed = asApp(await temporalFailure(gone, { gone: () => new AppError(409, 'ITEM_CLOSED', 'closed') }));
    expect(closed.code).toBe('ITEM_CLOSED');
    expect(asApp(await temporalFailure(grpc(GRPC_STATUS.NOT_FOUND, 'workflow execution already completed'), { gone: () => new AppError(409, 'CAMPAIGN_CLOSED', 'closed') })).code).toBe('CAMPAIGN_CLOSED');
    expect(asApp(temporalHttpError(new WorkflowExecutionAlreadyStartedError('already started', 'campaign-x', 'campaign'))).statusCode).toBe(409);
    const other = new TypeError('a bug');
    expect(await temporalFailure(other)).toBe(other);
  });
});

describe('the public-route rule and the rate-limit bucket', () => {
  it('counts config.public, an OpenAPI `security: []` and the docs as public, nothing else', () => {
    expect(isPublic({ config: { public: true }, url: '/health' })).toBe(true);
    expect(isPublic({ schema: { security: [] }, url: '/api/v1/calendar/days/2026-01-01' })).toBe(true);
    expect(isPublic({ url: '/docs/json' })).toBe(true);
    expect(isPublic({ schema: { security: [{ bearer: [] }] }, url: '/api/v1/units' })).toBe(false);
    expect(isPublic({ url: '/api/v1/units' })).toBe(false);
  });

  it('puts a resolved principal in its own bucket and everyone else (no token, a made-up one) in their address', () => {
    const req = (principal: unknown, authorization?: string) => ({ principal, ip: '203.0.113.7', headers: { authorization } }) as unknown as FastifyRequest;
    expect(rateLimitKey(req({ role: 'unit', name: '洮北区 联络员', unitId: 'u-1' }, 'Bearer a'))).toBe('principal:unit:u-1');
    expect(rateLimitKey(req({ role: 'unit', name: '洮北区 另一联络员', unitId: 'u-1' }, 'Bearer b'))).toBe('principal:unit:u-1');
    expect(rateLimitKey(req(null, 'Bearer made-up-1'))).toBe('ip:203.0.113.7');
    expect(rateLimitKey(req(null, 'Bearer made-up-2'))).toBe('ip:203.0.113.7');
    expect(rateLimitKey(req(null))).toBe('ip:203.0.113.7');
  });
});

describe('configuration is validated once and passed on', () => {
  it('keeps the defaults and validates the retention of Idempotency-Keys', () => {
    const cfg = loadConfig({});
    expect([cfg.PG_CONNECT_TIMEOUT_S, cfg.PG_STATEMENT_TIMEOUT_MS, cfg.TEMPORAL_PROBE_TIMEOUT_MS, cfg.OUTBOX_SWEEP_MS, cfg.IDEMPOTENCY_KEY_RETENTION_DAYS]).toEqual([5, 30_000, 2_500, 2_000, 7]);
    expect(loadConfig({ IDEMPOTENCY_KEY_RETENTION_DAYS: '30' }).IDEMPOTENCY_KEY_RETENTION_DAYS).toBe(30);
    expect(() => loadConfig({ IDEMPOTENCY_KEY_RETENTION_DAYS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ IDEMPOTENCY_KEY_RETENTION_DAYS: 'a week' })).toThrow(/IDEMPOTENCY_KEY_RETENTION_DAYS/);
  });

  it('gives the database client the configured timeouts (0: no statement timeout)', () => {
    expect(pgTimeouts(loadConfig({ PG_CONNECT_TIMEOUT_S: '9', PG_STATEMENT_TIMEOUT_MS: '0' }))).toEqual({ connectTimeoutS: 9, statementTimeoutMs: 0 });
    expect(() => loadConfig({ PG_CONNECT_TIMEOUT_S: '0' })).toThrow(/PG_CONNECT_TIMEOUT_S/);
  });
});
