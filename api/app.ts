/**
 * Builds the Fastify app from its dependencies (no listening, no connecting): the start command,
 * api/main.ts and the tests all call this.
 */
import Fastify, { LogController } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import crypto from 'node:crypto';
import type { Config } from '../infra/config';
import { evidenceStoreOptions } from '../infra/evidence-store';
import type { Logger } from '../infra/logger';
import auth from './plugins/auth';
import errorHandler from './plugins/error-handler';
import errorResponses from './plugins/error-responses';
import rateLimit, { DEFAULT_RATE_LIMIT, type RateLimitOptions } from './plugins/rate-limit';
import services, { type ServiceDeps } from './plugins/services';
import swagger from './plugins/swagger';
import textGuard from './plugins/text-guard';
import calendarRoutes from './routes/calendar';
import campaignRoutes from './routes/campaigns';
import channelRoutes from './routes/channels';
import dispatchRoutes from './routes/dispatch';
import healthRoutes from './routes/health';
import importRoutes from './routes/imports';
import inboxRoutes from './routes/inbox';
import simulationRoutes from './routes/simulations/index';
import itemRoutes from './routes/items';
import letterRoutes from './routes/letters';
import principalRoutes from './routes/principals';
import templateRoutes from './routes/templates';
import unitRoutes from './routes/units';
import evidenceRoutes from './routes/evidence';
import consolePlugin from '../console/plugin';

export async function buildApp(deps: ServiceDeps & { logger: Logger | false; rateLimit?: RateLimitOptions }) {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // Honour a caller's X-Request-Id so a request can be followed across services.
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    // One line per request (the onResponse hook below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // On shutdown, don't wait for clients holding idle keep-alive connections.
    forceCloseConnections: 'idle',
    // A client that sends its request slowly cannot hold a connection open for ever.
    requestTimeout: 120_000,
    connectionTimeout: 130_000,
    // A "__proto__" key in a JSON body is dropped, like any other key no schema knows (zod strips
    // unknown keys): the request goes on, and the prototype is never touched.
    onProtoPoisoning: 'remove',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorHandler);
  await app.register(errorResponses);
  // Before any route (the docs' too). Keyed by the resolved principal: its hook is each route's
  // own, and a route's hooks run after the app's — after auth's below (rate-limit.ts).
  await app.register(rateLimit, deps.rateLimit ?? DEFAULT_RATE_LIMIT);
  await app.register(swagger);
  await app.register(services, deps);
  await app.register(textGuard); // before auth: a header with NUL never reaches the token lookup
  await app.register(auth);

  await app.register(healthRoutes);
  await app.register(
    async (v1) => {
      await v1.register(unitRoutes);
      await v1.register(principalRoutes);
      await v1.register(campaignRoutes);
      await v1.register(itemRoutes);
      await v1.register(evidenceRoutes);
      await v1.register(calendarRoutes);
      await v1.register(importRoutes);
      await v1.register(dispatchRoutes);
      await v1.register(letterRoutes);
      await v1.register(templateRoutes);
      await v1.register(channelRoutes);
      await v1.register(inboxRoutes);
      await v1.register(simulationRoutes);
    },
    { prefix: '/api/v1' },
  );
  // The web console (督办工作台) at `/`: a client of the API above (console/plugin.ts).
  await app.register(consolePlugin, { sql: deps.sql });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

/** The app as the start command and api/main.ts run it: everything from the configuration. */
export function buildAppFromConfig(
  cfg: Pick<
    Config,
    | 'TEMPORAL_NAMESPACE'
    | 'TEMPORAL_TASK_QUEUE'
    | 'TEMPORAL_UI_URL'
    | 'OFFICE_TOKEN'
    | 'RATE_LIMIT_PER_MINUTE'
    | 'TEMPORAL_PROBE_TIMEOUT_MS'
    | 'OUTBOX_SWEEP_MS'
    | 'IDEMPOTENCY_KEY_RETENTION_DAYS'
    | 'RECTIFY_EVIDENCE_STORE'
    | 'S3_ENDPOINT'
    | 'S3_BUCKET'
    | 'S3_REGION'
    | 'S3_ACCESS_KEY_ID'
    | 'S3_SECRET_ACCESS_KEY'
    | 'S3_FORCE_PATH_STYLE'
  >,
  deps: { sql: ServiceDeps['sql']; temporal: ServiceDeps['temporal']; logger: Logger; temporalUiUrl?: string },
) {
  return buildApp({
    sql: deps.sql,
    temporal: deps.temporal,
    namespace: cfg.TEMPORAL_NAMESPACE,
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    temporalUiUrl: deps.temporalUiUrl ?? cfg.TEMPORAL_UI_URL,
    officeToken: cfg.OFFICE_TOKEN,
    temporalProbeTimeoutMs: cfg.TEMPORAL_PROBE_TIMEOUT_MS,
    outboxSweepMs: cfg.OUTBOX_SWEEP_MS,
    idempotencyKeyRetentionDays: cfg.IDEMPOTENCY_KEY_RETENTION_DAYS,
    evidenceStore: evidenceStoreOptions(cfg),
    logger: deps.logger,
    rateLimit: { max: cfg.RATE_LIMIT_PER_MINUTE, windowMs: 60_000 },
  });
}
