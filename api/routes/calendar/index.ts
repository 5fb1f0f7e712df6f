import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IDEMPOTENT_CREATE, idempotencyKeyHeaders, sendAnswer } from '../idempotent';
import { addWorkingDaysQuery, addWorkingDaysSchema, dayParams, daySchema, effectSchema, noticeBody, versionParams, versionSchema } from './schemas';

const routes: FastifyPluginAsyncZod = async (app) => {
  // Calendar arithmetic is public information: no principal needed.
  app.get('/calendar/days/:date', {
    schema: { tags: ['calendar'], summary: 'Is this a working day, and why (weekend, holiday, make-up working day)?', security: [], params: dayParams, response: { 200: daySchema } },
    handler: async (req) => app.calendar.day(req.params.date),
  });
  app.get('/calendar/add-working-days', {
    schema: { tags: ['calendar'], summary: 'The date N working days after a date, as offices count "N个工作日内"', security: [], querystring: addWorkingDaysQuery, response: { 200: addWorkingDaysSchema } },
    handler: async (req) => app.calendar.addWorkingDays(req.query.from, req.query.days),
  });

  app.get('/calendar/versions', {
    schema: { tags: ['calendar'], summary: 'Calendar versions (built-in and loaded notices)', response: { 200: z.object({ versions: z.array(versionSchema) }) } },
    handler: async (req) => {
      req.authorize('directory:read');
      return { versions: (await app.calendar.list()) as z.infer<typeof versionSchema>[] };
    },
  });
  app.post('/calendar/versions', {
    schema: {
      tags: ['calendar'],
      summary: "Load a year's State Council holiday notice as a draft version",
      description: IDEMPOTENT_CREATE,
      body: noticeBody,
      headers: idempotencyKeyHeaders,
      response: { 201: z.object({ version: z.number(), status: z.literal('draft') }) },
    },
    handler: async (req, reply) => {
      const by = req.authorize('directory:write');
      const key = req.headers['idempotency-key'];
      const load = async () => ({ status: 201, body: await app.calendar.load(req.body) });
      return sendAnswer(reply, await app.idempotency.once({ by, scope: 'calendar:create', key, body: req.body }, load));
    },
  });
  app.get('/calendar/versions/:version/preview', {
    schema: { tags: ['calendar'], summary: 'Which open items a version would move, and by how much', params: versionParams, response: { 200: effectSchema } },
    handler: async (req) => {
      req.authorize('directory:write');
      return app.calendar.preview(req.params.version);
    },
  });
  app.post('/calendar/versions/:version/activate', {
    schema: { tags: ['calendar'], summary: 'Activate a version: every open item plans again on it; answers what moved', params: versionParams, response: { 200: effectSchema } },
    handler: async (req) => {
      req.authorize('directory:write');
      return app.calendar.activate(req.params.version);
    },
  });
};
export default routes;
