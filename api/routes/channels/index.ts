/**
 * A unit's delivery channels besides its inbox, replaced by the office. Addresses (robot webhook
 * URLs carry their access key) are for the office and the unit itself; anyone else with directory
 * access sees only which channels exist (kind, enabled) — domain/access.ts `channel:address`.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allowed } from '../../../domain/access';
import { channelSchema, channelSummarySchema, replaceChannelsBody, unitParams } from './schemas';

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get('/units/:id/channels', {
    schema: {
      tags: ['units'],
      summary: 'How a unit is reached besides its in-app inbox (e-mail, webhook, WeCom / DingTalk / Feishu robots)',
      description: 'Addresses for the office and the unit itself; others see each channel’s kind and whether it is enabled.',
      params: unitParams,
      response: { 200: z.object({ channels: z.array(z.union([channelSchema, channelSummarySchema])) }) },
    },
    handler: async (req) => {
      const p = req.authorize('directory:read');
      const channels = await app.channels.list(req.params.id);
      if (allowed(p, 'channel:address', { unitId: req.params.id })) return { channels };
      return { channels: channels.map(({ id, channel, enabled }) => ({ id, channel, enabled })) };
    },
  });
  app.put('/units/:id/channels', {
    schema: {
      tags: ['units'],
      summary: "Replace a unit's channels (all or nothing)",
      description: 'E-mail channels need a mailbox, the others an http(s) URL; the same channel and address twice is a 400 naming the row (`channels.N.address`).',
      params: unitParams,
      body: replaceChannelsBody,
      response: { 200: z.object({ channels: z.array(channelSchema) }) },
    },
    handler: async (req) => {
      req.authorize('directory:write');
      return { channels: await app.channels.replace(req.params.id, req.body.channels) };
    },
  });
};
export default routes;
