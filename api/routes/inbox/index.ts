/** The caller's in-app inbox: list (unread count, paging) and mark read. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { inboxQuery, inboxSchema, notificationParams, notificationSchema } from './schemas';

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get('/inbox', {
    schema: {
      tags: ['inbox'],
      summary: "The caller's in-app inbox (a unit's own notices; the office's for the office), newest first",
      description: 'Leaders have no inbox (403). Page with `after` = the previous answer’s `next`; `unread` counts the whole inbox.',
      querystring: inboxQuery,
      response: { 200: inboxSchema },
    },
    handler: async (req) => {
      const p = req.authorize('inbox:read');
      return app.inbox.list(p, req.query);
    },
  });
  app.post('/inbox/:id/read', {
    schema: {
      tags: ['inbox'],
      summary: 'Mark a notice read (idempotent)',
      description: '404 for a notice that is not in the caller’s inbox.',
      params: notificationParams,
      response: { 200: notificationSchema },
    },
    handler: async (req) => {
      const p = req.authorize('inbox:read');
      return app.inbox.markRead(p, req.params.id);
    },
  });
};
export default routes;
