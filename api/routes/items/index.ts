import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ITEM_STATUS_LABELS, isOfficeAction, type ItemAction } from '../../../domain/item-lifecycle';
import { LIGHT_LABELS } from '../../../domain/lights';
import { actionBodies, itemDetailSchema, itemPageSchema, itemParams, itemQuery, listItemsQuery, refusalSchema } from './schemas';
import { idempotencyKeyHeaders } from '../idempotent';

/** URL segment → workflow update, with what the OpenAPI docs say about it. */
export const ACTIONS: Record<string, { action: ItemAction; summary: string }> = {
  acknowledge: { action: 'acknowledge', summary: 'Acknowledge (签收) the item for your unit' },
  'report-progress': { action: 'reportProgress', summary: 'Report progress (进展报告) with evidence' },
  submit: { action: 'submit', summary: 'Submit the item for close-out (提交销号申请); lead unit only' },
  'request-extension': { action: 'requestExtension', summary: 'Ask for a later deadline (延期申请); lead unit only' },
  close: { action: 'close', summary: 'Verify and close the item (销号); office only' },
  reject: { action: 'reject', summary: 'Send a submitted item back (退回) with reasons; the ladder resumes; office only' },
  'decide-extension': { action: 'decideExtension', summary: 'Approve (the deadline moves, every timer re-arms) or refuse an extension; office only' },
  pause: { action: 'pause', summary: 'Pause (暂缓) the item: its clock stops; office only' },
  resume: { action: 'resume', summary: 'Resume a paused item with the time it had left; office only' },
  reassign: { action: 'reassign', summary: 'Change the lead and co-operating units; office only' },
  cancel: { action: 'cancel', summary: 'Cancel (撤销) the item; office only' },
  reopen: { action: 'reopen', summary: 'Reopen a closed item (awaiting its look-back) with a new deadline; office only' },
  'change-deadline': { action: 'changeDeadline', summary: 'Set a new deadline (e.g. an edited import); every timer re-arms; office only' },
  recheck: { action: 'recheck', summary: 'Record the look-back (回头看) result: passed, or failed (reopens with a new deadline); office only' },
};

const actionResult = z.object({
  id: z.uuid(),
  status: z.string(),
  statusLabel: z.string(),
  progressPercent: z.number(),
  acknowledgedUnits: z.array(z.string()),
  deadline: z.string().nullable(),
  deadlineDate: z.string().nullable(),
  deadlineVersion: z.number(),
  light: z.string(),
  lightLabel: z.string(),
  paused: z.boolean(),
  pendingExtension: z.object({ requestedBy: z.string(), newDeadline: z.string(), reason: z.string(), at: z.string() }).nullable(),
  lookBackAt: z.string().nullable(),
});

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get('/items', {
    schema: {
      tags: ['items'],
      summary: 'List items, filtered by campaign, unit and status; `asOf`: as they stood at a past day or instant (回溯, from the audit trail)',
      querystring: listItemsQuery,
      response: { 200: itemPageSchema },
    },
    handler: async (req) => {
      req.authorize('item:read');
      return app.items.list(req.query);
    },
  });

  app.get('/items/:id', {
    schema: {
      tags: ['items'],
      summary: 'Get an item: its state and its history (audit trail); `asOf`: as it stood then, its history up to then',
      params: itemParams,
      querystring: itemQuery,
      response: { 200: itemDetailSchema },
    },
    handler: async (req) => {
      req.authorize('item:read');
      return app.items.get(req.params.id, req.query.asOf);
    },
  });

  for (const [segment, { action, summary }] of Object.entries(ACTIONS)) {
    app.post(`/items/:id/${segment}`, {
      schema: {
        tags: ['item actions'],
        summary,
        description: 'Send `Idempotency-Key` to make a retried request safe. 409 when the action is not allowed now (with the reason in English and Chinese).',
        params: itemParams,
        body: actionBodies[action] as z.ZodType,
        headers: idempotencyKeyHeaders,
        response: { 200: actionResult, 409: refusalSchema },
      },
      handler: async (req) => {
        const unitIds = await app.items.unitsOf(req.params.id);
        const actor = req.authorize(isOfficeAction(action) ? 'item:verify' : 'item:act', { itemUnitIds: unitIds });
        const s = await app.items.act(req.params.id, action, (req.body ?? {}) as object, actor, req.headers['idempotency-key']);
        return {
          id: s.itemId,
          status: s.status,
          statusLabel: ITEM_STATUS_LABELS[s.status],
          progressPercent: s.progressPercent,
          acknowledgedUnits: s.acknowledgedUnits,
          deadline: s.deadline,
          deadlineDate: s.deadlineDate,
          deadlineVersion: s.deadlineVersion,
          light: s.light,
          lightLabel: LIGHT_LABELS[s.light],
          paused: s.paused !== null,
          pendingExtension: s.pendingExtension,
          lookBackAt: s.lookBackAt,
        };
      },
    });
  }
};
export default routes;
