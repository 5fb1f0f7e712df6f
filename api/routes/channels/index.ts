/** A unit's delivery channels besides its inbox: read by anyone with directory access, replaced by the office. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { channelSchema, replaceChannelsBody, unitParams } from './schemas';

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get('/units/:id/channels', {
    schema: {
      tags: ['units'],
      summary: 'How a unit is reached besides its in-app inbox (e-mail, webhook, WeCom / DingTalk / Feishu robots)',
      params: unitParams,
      response: { 200: z.object({ channels: z.array(channelSchema) }) },
    },
    handler: async (req) => {
      req.authorize('directory:read');
      return { channels: await app.channels.list(req.params.id) };
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
