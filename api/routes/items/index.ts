import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ITEM_STATUS_LABELS, type ItemAction } from '../../../domain/item-lifecycle';
import { actionBodies, itemDetailSchema, itemPageSchema, itemParams, listItemsQuery, refusalSchema } from './schemas';

/** URL segment → workflow update, with what the OpenAPI docs say about it. */
const ACTIONS: Record<string, { action: ItemAction; summary: string }> = {
  acknowledge: { action: 'acknowledge', summary: 'Acknowledge (签收) the item for your unit' },
  'report-progress': { action: 'reportProgress', summary: 'Report progress (进展报告) with evidence' },
  submit: { action: 'submit', summary: 'Submit the item for close-out (提交销号申请); lead unit only' },
  close: { action: 'close', summary: 'Verify and close the item (销号); supervising office only' },
};

const actionResult = z.object({
  id: z.uuid(),
  status: z.string(),
  statusLabel: z.string(),
  progressPercent: z.number(),
  acknowledgedUnits: z.array(z.string()),
});

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get('/items', {
    schema: { tags: ['items'], summary: 'List items, filtered by campaign, unit and status', querystring: listItemsQuery, response: { 200: itemPageSchema } },
    handler: async (req) => {
      req.authorize('item:read');
      return app.items.list(req.query);
    },
  });

  app.get('/items/:id', {
    schema: { tags: ['items'], summary: 'Get an item: its state and its history (audit trail)', params: itemParams, response: { 200: itemDetailSchema } },
    handler: async (req) => {
      req.authorize('item:read');
      return app.items.get(req.params.id);
    },
  });

  for (const [segment, { action, summary }] of Object.entries(ACTIONS)) {
    app.post(`/items/:id/${segment}`, {
      schema: {
        tags: ['item actions'],
        summary,
        description: 'Send `Idempotency-Key` to make a retried request safe. 409 when the action is not allowed now (with the reason in English and Chinese).',
        params: itemParams,
        body: actionBodies[action],
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        response: { 200: actionResult, 409: refusalSchema },
      },
      handler: async (req) => {
        const unitIds = await app.items.unitsOf(req.params.id);
        const actor = req.authorize(action === 'close' ? 'item:verify' : 'item:act', { itemUnitIds: unitIds });
        const s = await app.items.act(req.params.id, action, req.body ?? {}, actor, req.headers['idempotency-key']);
        return { id: s.itemId, status: s.status, statusLabel: ITEM_STATUS_LABELS[s.status], progressPercent: s.progressPercent, acknowledgedUnits: s.acknowledgedUnits };
      },
    });
  }
};
export default routes;
