import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createdItemsSchema, createItemsBody } from '../items/schemas';
import { asOf } from '../common-schemas';
import { campaignParams, campaignSchema, createCampaignBody, statsSchema } from './schemas';

const routes: FastifyPluginAsyncZod = async (app) => {
  app.post('/campaigns', {
    schema: {
      tags: ['campaigns'],
      summary: 'Create a campaign (专项行动 / 整改工作方案)',
      body: createCampaignBody,
      response: { 201: campaignSchema, 200: campaignSchema },
    },
    handler: async (req, reply) => {
      req.authorize('campaign:write');
      const { campaign, created } = await app.campaigns.create(req.body);
      return reply.status(created ? 201 : 200).send(campaign);
    },
  });
  app.get('/campaigns', {
    schema: { tags: ['campaigns'], summary: 'List campaigns', response: { 200: z.object({ campaigns: z.array(campaignSchema) }) } },
    handler: async (req) => {
      req.authorize('campaign:read');
      return { campaigns: await app.campaigns.list() };
    },
  });
  app.get('/campaigns/:id', {
    schema: { tags: ['campaigns'], summary: 'Get a campaign with its item counts', params: campaignParams, response: { 200: campaignSchema } },
    handler: async (req) => {
      req.authorize('campaign:read');
      return app.campaigns.get(req.params.id);
    },
  });
  app.get('/campaigns/:id/stats', {
    schema: {
      tags: ['campaigns'],
      summary: 'Statistics: per campaign and per unit (on-time completion, overdue now, average days late, lights) and the ranking of units; `asOf`: as they stood then (回溯)',
      params: campaignParams,
      querystring: z.object({ asOf }),
      response: { 200: statsSchema },
    },
    handler: async (req) => {
      req.authorize('campaign:read');
      return app.stats.campaign(req.params.id, req.query.asOf);
    },
  });
  app.post('/campaigns/:id/items', {
    schema: {
      tags: ['items'],
      summary: 'Add items to a campaign (all or nothing); each gets its workflow',
      description: 'Items are keyed by number within the campaign: sending the same number again changes nothing and starts no second workflow.',
      params: campaignParams,
      body: createItemsBody,
      response: { 201: createdItemsSchema },
    },
    handler: async (req, reply) => {
      const by = req.authorize('campaign:write');
      return reply.status(201).send(await app.items.create(req.params.id, req.body.items, by));
    },
  });
};
export default routes;
