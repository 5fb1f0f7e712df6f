/** 试运行: start a simulation (a workflow of its own), follow its progress, read its report. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { simulationRequestSchema } from '../../../simulation/request';
import { uuid } from '../common-schemas';

const simulationSchema = z.object({
  id: z.string(),
  requestedBy: z.string(),
  request: z.unknown().describe('the request as given'),
  status: z.enum(['running', 'done', 'failed']),
  progress: z.object({ run: z.number(), runs: z.number(), day: z.number(), days: z.number() }).describe('run n of runs (one per policy), day of days'),
  result: z.unknown().optional().describe('once done: the behaviour used and, per policy, the report week by week (simulation/report.ts)'),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  links: z.object({ workflow: z.string() }),
});

const routes: FastifyPluginAsyncZod = async (app) => {
  app.post('/simulations', {
    schema: {
      tags: ['simulations'],
      summary: '试运行: live a campaign forward in compressed time under one policy or two, before anything is sent',
      description:
        'Runs as its own workflow (`simulation-<id>`) on a time-skipping test server with a database of its own: production data is never touched. ' +
        'Source: seed 002, an existing campaign (its open items from today), or a synthetic list. Answers 202 at once; follow `progress` with GET until `status` is done.',
      body: simulationRequestSchema,
      response: { 202: simulationSchema },
    },
    handler: async (req, reply) => {
      const by = req.authorize('simulation:run');
      return reply.status(202).send(await app.simulations.start(req.body, by));
    },
  });
  app.get('/simulations', {
    schema: { tags: ['simulations'], summary: 'Simulations, newest first (without their reports)', querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }), response: { 200: z.object({ simulations: z.array(simulationSchema) }) } },
    handler: async (req) => {
      req.authorize('simulation:read');
      return { simulations: await app.simulations.list(req.query.limit) };
    },
  });
  app.get('/simulations/:id', {
    schema: { tags: ['simulations'], summary: 'One simulation: its progress, and its report once done', params: z.object({ id: uuid }), response: { 200: simulationSchema } },
    handler: async (req) => {
      req.authorize('simulation:read');
      return app.simulations.get(req.params.id);
    },
  });
};
export default routes;
