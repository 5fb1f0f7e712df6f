import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IDEMPOTENT_CREATE, idempotencyKeyHeaders, sendAnswer } from '../idempotent';
import { createPrincipalBody, issuedTokenSchema, principalSchema } from './schemas';

const routes: FastifyPluginAsyncZod = async (app) => {
  app.post('/principals', {
    schema: {
      tags: ['principals'],
      summary: 'Issue an API token for the office, a unit or a leader',
      description: `${IDEMPOTENT_CREATE} A replay carries the same token: the one issued the first time.`,
      body: createPrincipalBody,
      headers: idempotencyKeyHeaders,
      response: { 201: issuedTokenSchema },
    },
    handler: async (req, reply) => {
      const by = req.authorize('principal:write');
      const key = req.headers['idempotency-key'];
      // The replay carries the token, so the answer kept with the key holds it. A retry exists
      // because the caller lost the first answer: one without the token would leave a live
      // credential nobody holds (and no route revokes tokens), and the caller would issue
      // another anyway. The copy adds no new exposure — principals keeps every token as it is,
      // as its primary key — and goes with the key when the outbox sweep purges keys older than
      // IDEMPOTENCY_KEY_RETENTION_DAYS (7 by default). Should tokens ever be stored hashed, this
      // copy must go too (replay without the token, or keep it encrypted).
      const issue = async () => ({ status: 201, body: await app.principals.issue(req.body) });
      return sendAnswer(reply, await app.idempotency.once({ by, scope: 'principals:create', key, body: req.body }, issue));
    },
  });
  app.get('/me', {
    schema: { tags: ['principals'], summary: 'Who am I?', response: { 200: principalSchema } },
    handler: async (req) => {
      const p = req.authorize('directory:read');
      return { role: p.role, name: p.name, unitId: p.unitId ?? null };
    },
  });
};
export default routes;
