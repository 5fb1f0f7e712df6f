import { z } from 'zod';
import { MAX_FILES_PER_ACTION } from '../../../domain/evidence';
import { asOf, safeInt, unitRef, uuid } from '../common-schemas';
import { ACTION_INPUTS, ITEM_KINDS, ITEM_STATUSES, deadlineSpecSchema } from '../../../domain/item-lifecycle';
import { LIGHTS } from '../../../domain/lights';
import { policySchema } from '../../../domain/policy';
import { ROLES } from '../../../domain/principal';


export const itemInput = z
  .object({
    number: z.string().trim().min(1).max(50).describe('the item number within the campaign, e.g. "3" or "5.②"; creating the same number again is a no-op'),
    category: z.string().trim().max(300).optional(),
    content: z.string().trim().min(1).max(10_000),
    kind: z.enum(ITEM_KINDS).default('time_limited'),
    deadline: deadlineSpecSchema
      .nullable()
      .default(null)
      .describe('YYYY-MM-DD (Asia/Shanghai), working days after assignment ("10WD"), or an ISO 8601 duration ("P30D"; "PT2M" for demos); required unless long-term'),
    policy: policySchema.partial().optional().describe('overrides of the campaign policy for this item'),
    leadUnits: z.array(unitRef).min(1, 'an item needs at least one lead unit'),
    coUnits: z.array(unitRef).default([]),
  })
  .superRefine((v, ctx) => {
    if (v.kind !== 'long_term' && !v.deadline) ctx.addIssue({ code: 'custom', path: ['deadline'], message: `a ${v.kind === 'immediate' ? 'immediate' : 'time-limited'} item needs a deadline` });
    if (v.kind === 'long_term' && v.deadline) ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'a long-term item has no deadline: it reports on the cadence until the campaign ends' });
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
  units: z
    .array(
      z.object({
        unitId: z.uuid(),
        name: z.string(),
        role: z.enum(['lead', 'co']),
        acknowledged: z.boolean(),
        reports: z.number().describe("this unit's own progress reports on the item"),
        lastReportAt: z.string().nullable(),
        lastPercent: z.number().nullable(),
      }),
    )
    .describe('each lead and co-operating unit with its own part: acknowledgement and reports'),
  status: z.enum(ITEM_STATUSES),
  statusLabel: z.string().describe('the status as users read it, e.g. 已签收'),
  deadlineDate: z.string().nullable().describe('the deadline resolved on the official calendar'),
  dueAt: z.string().nullable().describe('the instant the item becomes overdue'),
  deadlineVersion: z.number(),
  light: z.enum(LIGHTS),
  lightLabel: z.string(),
  overdueDays: z.number().describe('days past the deadline (0 when not overdue)'),
  pausedReason: z.string().nullable(),
  pendingExtension: z.object({ requestedBy: z.string(), newDeadline: z.string(), reason: z.string(), at: z.string() }).nullable(),
  missedReports: z.number(),
  rejections: z.number(),
  lookBackAt: z.string().nullable(),
  lookBackDue: z.boolean(),
  progressPercent: z.number(),
  lastReportAt: z.string().nullable(),
  updatedAt: z.string(),
  workflowId: z.string(),
});
export type ItemDto = z.infer<typeof itemSchema>;

export const itemEventSchema = z.object({
  seq: z.number(),
  type: z.string().describe('an action, "assigned", "reminder", "ladder", "report_missed", "look_back" or "light_changed"'),
  label: z.string().describe('what happened, as users read it'),
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
  campaignId: uuid.optional(),
  unitId: uuid.optional(),
  status: z.enum(ITEM_STATUSES).optional(),
  light: z.enum(LIGHTS).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('only items past their deadline and not closed'),
  dueWithinDays: z.coerce.number().int().min(0).max(3650).optional().describe('only open items due within N days from today'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: safeInt(0).optional().describe('cursor: `nextCursor` of the previous page'),
  asOf,
});
/** 回溯: one item as it stood at a past day or instant, its timeline up to then. */
export const itemQuery = z.object({ asOf });
export const itemPageSchema = z.object({ items: z.array(itemSchema), nextCursor: z.number().nullable() });

export const itemParams = z.object({ id: uuid });

/** Action bodies are the domain's own schemas; reassign takes unit names as well as ids. */
/** In a request, evidence files are cited by the ids their upload answered (POST /items/{id}/evidence). */
const citedFiles = z.array(uuid).max(MAX_FILES_PER_ACTION).optional().describe('ids of evidence files uploaded for this item (POST /items/{id}/evidence); the audit trail records each with its SHA-256');
export const actionBodies = {
  ...ACTION_INPUTS,
  reportProgress: ACTION_INPUTS.reportProgress.extend({ files: citedFiles }),
  submit: ACTION_INPUTS.submit.extend({ files: citedFiles }),
  reassign: z.object({ leadUnits: z.array(unitRef).min(1), coUnits: z.array(unitRef).default([]) }),
} as const;

export const refusalSchema = z.object({
  statusCode: z.number(),
  error: z.string(),
  code: z.string(),
  message: z.string(),
  messageZh: z.string().optional(),
});
