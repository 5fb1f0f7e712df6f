import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IDEMPOTENT_CREATE, idempotencyKeyHeaders, sendAnswer } from '../idempotent';
import { createUnitBody, listUnitsQuery, setContactBody, unitParams, unitSchema } from './schemas';

const routes: FastifyPluginAsyncZod = async (app) => {
  app.post('/units', {
    schema: {
      tags: ['units'],
      summary: 'Add a responsible unit (责任单位) to the directory',
      description: `409 \`NAME_TAKEN\` when the name or an alias belongs to another unit. ${IDEMPOTENT_CREATE}`,
      body: createUnitBody,
      headers: idempotencyKeyHeaders,
      response: { 201: unitSchema },
    },
    handler: async (req, reply) => {
      const by = req.authorize('directory:write');
      const key = req.headers['idempotency-key'];
      const create = async () => ({ status: 201, body: await app.units.create(req.body) });
      return sendAnswer(reply, await app.idempotency.once({ by, scope: 'units:create', key, body: req.body }, create));
    },
  });
  app.put('/units/:id/contact', {
    schema: {
      tags: ['units'],
      summary: 'Set the unit’s contact department (联系部门): a listing then summons both heads (双约谈)',
      params: unitParams,
      body: setContactBody,
      response: { 200: unitSchema },
    },
    handler: async (req) => {
      req.authorize('directory:write');
      return app.units.setContact(req.params.id, req.body.contactUnit);
    },
  });
  app.get('/units', {
    schema: { tags: ['units'], summary: 'List the directory', querystring: listUnitsQuery, response: { 200: z.object({ units: z.array(unitSchema) }) } },
    handler: async (req) => {
      req.authorize('directory:read');
      return { units: await app.units.list(req.query) };
    },
  });
};
export default routes;
