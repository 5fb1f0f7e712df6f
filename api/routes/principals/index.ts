import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createPrincipalBody, issuedTokenSchema, principalSchema } from './schemas';

const routes: FastifyPluginAsyncZod = async (app) => {
  app.post('/principals', {
    schema: {
      tags: ['principals'],
      summary: 'Issue an API token for the office, a unit or a leader',
      body: createPrincipalBody,
      response: { 201: issuedTokenSchema },
    },
    handler: async (req, reply) => {
      req.authorize('principal:write');
      return reply.status(201).send(await app.principals.issue(req.body));
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
