import { z } from 'zod';
import { date, uuid } from '../common-schemas';
import { LETTER_TYPES } from '../../../domain/letters/types';
import { CHANNEL_KINDS } from '../../../delivery/types';
import { LETTER_STATUSES } from '../../services/letters';

export const letterParams = z.object({ id: uuid });
export const documentParams = z.object({ id: uuid, format: z.enum(['docx', 'pdf', 'html']) });

export const letterQuery = z.object({
  campaignId: uuid.optional(),
  unitId: uuid.optional().describe('letters addressed or copied to this unit (a unit sees only its own)'),
  itemId: uuid.optional(),
  type: z.enum(LETTER_TYPES).optional(),
  status: z.enum(LETTER_STATUSES).optional().describe('awaiting_receipt: an addressee has not signed yet; receipt_overdue: one did not sign in time; delivery_failed: a delivery gave up'),
  issuedOnOrBefore: date.optional().describe('回溯: only letters issued on or before this day'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: uuid.optional().describe('the `next` of the previous page'),
});

const recipient = z.object({
  unitId: z.string(),
  unitName: z.string(),
  role: z.enum(['to', 'cc']).describe('to: 主送 (must sign for it); cc: 抄送'),
  receiptedAt: z.string().nullable(),
  receiptedBy: z.string().nullable(),
  overdueAt: z.string().nullable().describe('not signed for in time: a late event'),
});

export const letterSchema = z.object({
  id: z.string(),
  docNumber: z.string().describe('发文字号, e.g. 白振办函〔2023〕12号'),
  type: z.enum(LETTER_TYPES),
  typeLabel: z.string(),
  title: z.string(),
  campaignId: z.string().nullable(),
  itemIds: z.array(z.string()),
  issuedOn: z.string().describe('成文日期'),
  templateVersion: z.number().describe('0: the built-in wording'),
  receiptDueAt: z.string().nullable(),
  createdAt: z.string(),
  recipients: z.array(recipient),
  deliveries: z.object({ total: z.number(), sent: z.number(), receipted: z.number(), failed: z.number(), pending: z.number(), possiblyDuplicated: z.number() }),
  links: z.object({ docx: z.string(), pdf: z.string(), html: z.string(), workflow: z.string() }),
});

export type LetterDto = z.infer<typeof letterSchema>;

export const deliverySchema = z.object({
  id: z.string(),
  letterId: z.string().optional(),
  docNumber: z.string().optional(),
  type: z.string().optional(),
  unitId: z.string(),
  unitName: z.string(),
  role: z.enum(['to', 'cc']),
  channel: z.enum(['inbox', ...CHANNEL_KINDS]),
  address: z.string(),
  messageId: z.string().describe('derived from the idempotency key: a resend carries the same one'),
  status: z.enum(['intended', 'sending', 'sent', 'receipted', 'failed']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  possiblyDuplicated: z.boolean().describe('resent after a crash between hand-over and the ledger write: the receiver may have it twice (same Message-ID)'),
  intendedAt: z.string(),
  sentAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  receiptedAt: z.string().nullable(),
});

export const letterDetailSchema = letterSchema.extend({
  deliveryLedger: z.array(deliverySchema),
  events: z.array(z.object({ type: z.string(), unitId: z.string().nullable(), unitName: z.string().nullable(), payload: z.unknown(), occurredAt: z.string() })),
});

export const ledgerQuery = z.object({
  campaignId: uuid.optional(),
  status: z.enum(['intended', 'sending', 'sent', 'receipted', 'failed']).optional(),
  channel: z.enum(['inbox', ...CHANNEL_KINDS]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: uuid.optional().describe('the `next` of the previous page'),
});
