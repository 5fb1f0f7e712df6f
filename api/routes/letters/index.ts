import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fileResponse } from '../../plugins/error-responses';
import { DOCUMENT_TYPES, sendDocument } from '../send-document';
import { deliverySchema, documentParams, ledgerQuery, letterDetailSchema, letterParams, letterQuery, letterSchema } from './schemas';

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get('/letters', {
    schema: {
      tags: ['letters'],
      summary: 'Letters (提醒函, 催办函, 督办函, 通报, 约谈通知, 挂牌督办通知), newest first',
      description: 'A unit sees the letters addressed or copied to it. Page with `after` = the previous answer’s `next`.',
      querystring: letterQuery,
      response: { 200: z.object({ letters: z.array(letterSchema), next: z.string().nullable() }) },
    },
    handler: async (req) => {
      const p = req.authorize('campaign:read');
      return app.letters.list(req.query, p);
    },
  });
  app.get('/letters/:id', {
    schema: { tags: ['letters'], summary: 'One letter: recipients and their receipts, the delivery ledger, its trail', params: letterParams, response: { 200: letterDetailSchema } },
    handler: async (req) => {
      const p = req.authorize('campaign:read');
      return app.letters.get(req.params.id, p);
    },
  });
  app.get('/letters/:id/document.:format', {
    schema: {
      tags: ['letters'],
      summary: 'The letter as .docx (Word, WPS), .pdf (print) or .html (preview)',
      description: 'Rendered from the template version and facts it was issued with: the same bytes on every download, and the same as the e-mail attachment.',
      params: documentParams,
      response: { 200: fileResponse('The letter document', DOCUMENT_TYPES) },
    },
    handler: async (req, reply) => {
      const p = req.authorize('campaign:read');
      return sendDocument(reply, await app.letters.render(req.params.id, req.params.format, p), req.params.format, 'letter');
    },
  });
  app.post('/letters/:id/receipt', {
    schema: {
      tags: ['letters'],
      summary: 'Sign for a letter (签收) as the unit it is addressed or copied to',
      description: 'Idempotent: signing again answers with the first signature. Stops the letter’s wait for receipts.',
      params: letterParams,
      response: { 200: letterSchema },
    },
    handler: async (req) => {
      const p = req.authorize('campaign:read');
      return app.letters.receipt(req.params.id, p, (letterUnitIds) => req.authorize('letter:receipt', { letterUnitIds }));
    },
  });
  app.get('/deliveries', {
    schema: {
      tags: ['letters'],
      summary: 'The delivery ledger: every letter × recipient × channel, newest change first',
      description:
        'The office only (a unit sees its own deliveries on each letter). status=failed lists what the office must deliver another way; possiblyDuplicated marks resends inside the crash window. Page with `after` = the previous answer’s `next`.',
      querystring: ledgerQuery,
      response: { 200: z.object({ deliveries: z.array(deliverySchema), next: z.string().nullable() }) },
    },
    handler: async (req) => {
      req.authorize('delivery:read');
      return app.letters.ledger(req.query);
    },
  });
};
export default routes;
