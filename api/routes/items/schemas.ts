import { z } from 'zod';
import {
  ITEM_KINDS,
  ITEM_STATUSES,
  acknowledgeInput,
  closeInput,
  reportProgressInput,
  submitInput,
} from '../../../domain/item-lifecycle';
import { ROLES } from '../../../domain/principal';

const unitRef = z.string().trim().min(1).max(100).describe('unit id, name or alias');

export const itemInput = z
  .object({
    number: z.string().trim().min(1).max(50).describe('the item number within the campaign, e.g. "3" or "5.②"; creating the same number again is a no-op'),
    category: z.string().trim().max(300).optional(),
    content: z.string().trim().min(1).max(10_000),
    kind: z.enum(ITEM_KINDS).default('time_limited'),
    deadline: z.iso.date().nullable().default(null).describe('YYYY-MM-DD (Asia/Shanghai); required for time-limited items'),
    leadUnits: z.array(unitRef).min(1, 'an item needs at least one lead unit'),
    coUnits: z.array(unitRef).default([]),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'time_limited' && !v.deadline) ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'a time-limited item needs a deadline' });
  });
export type ItemInput = z.infer<typeof itemInput>;

export const createItemsBody = z.object({ items: z.array(itemInput).min(1).max(2000) });

const actor = z.object({ role: z.enum(ROLES), name: z.string(), unitId: z.string().nullable() });

export const itemSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  number: z.string(),
  category: z.string().nullable(),
  content: z.string(),
  kind: z.enum(ITEM_KINDS),
  deadline: z.string().nullable(),
  units: z.array(z.object({ unitId: z.uuid(), name: z.string(), role: z.enum(['lead', 'co']), acknowledged: z.boolean() })),
  status: z.enum(ITEM_STATUSES),
  statusLabel: z.string().describe('the status as users read it, e.g. 已签收'),
  progressPercent: z.number(),
  lastReportAt: z.string().nullable(),
  updatedAt: z.string(),
  workflowId: z.string(),
});
export type ItemDto = z.infer<typeof itemSchema>;

export const itemEventSchema = z.object({
  seq: z.number(),
  type: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  actor,
  payload: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
});

export const itemDetailSchema = itemSchema.extend({
  history: z.array(itemEventSchema),
  links: z.object({ temporalUi: z.string() }),
});

export const createdItemsSchema = z.object({
  created: z.number().describe('items new in this request'),
  existing: z.number().describe('items that already existed (same number): left unchanged'),
  items: z.array(itemSchema),
});

export const listItemsQuery = z.object({
  campaignId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  status: z.enum(ITEM_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: z.coerce.number().int().min(0).optional().describe('cursor: `nextCursor` of the previous page'),
});
export const itemPageSchema = z.object({ items: z.array(itemSchema), nextCursor: z.number().nullable() });

export const itemParams = z.object({ id: z.uuid() });

export const actionBodies = {
  acknowledge: acknowledgeInput,
  reportProgress: reportProgressInput,
  submit: submitInput,
  close: closeInput,
} as const;

export const refusalSchema = z.object({
  statusCode: z.number(),
  error: z.string(),
  code: z.string(),
  message: z.string(),
  messageZh: z.string().optional(),
});
