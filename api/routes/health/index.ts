import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const check = z.object({ ok: z.boolean(), detail: z.string() });
const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  unavailable: z.array(z.string()).describe('the parts that do not answer'),
  checks: z.object({ postgres: check, temporal: check, worker: check }),
});

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', {
    config: { public: true },
    schema: { tags: ['health'], summary: 'Are PostgreSQL, Temporal and a worker reachable?', security: [], response: { 200: healthSchema, 503: healthSchema } },
    handler: async (_req, reply) => {
      const r = await app.health.check();
      const unavailable = Object.entries(r.checks).filter(([, c]) => !c.ok).map(([name]) => name);
      return reply.status(r.ok ? 200 : 503).send({ status: r.ok ? 'ok' : 'unavailable', unavailable, checks: r.checks });
    },
  });
};
export default routes;
