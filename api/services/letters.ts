/**
 * Letters as people use them: find them (by campaign, unit, type, item, status), read one with
 * its recipients, deliveries and trail, download it (.docx, .pdf, .html — rendered from the
 * template version and facts it was issued with, the same bytes every time), sign for it (签收),
 * and the delivery ledger. A receipt is written here first (PostgreSQL is the record), then
 * signalled to the letter's workflow so it stops waiting.
 */
import type { Client } from '@temporalio/client';
import { LETTER_TYPE_LABELS, type LetterType } from '../../domain/letters/types';
import { canSeeLetter, deliveryRowVisible, letterEventVisible, letterScope } from '../../domain/access';
import type { Principal } from '../../domain/principal';
import type { Sql } from '../../infra/db';
import { createTemplateStore } from '../../infra/template-store';
import { createLetterRenderer, LetterNotFound, type LetterFormat } from '../../letters/render';
import { letterWorkflowId, receiptedSignal } from '../../workflows/letter';
import { forbidden, notFound } from '../errors';
import { isWorkflowGone } from './temporal-errors';

export const LETTER_STATUSES = ['awaiting_receipt', 'receipted', 'receipt_overdue', 'delivery_failed'] as const;
export type LetterStatus = (typeof LETTER_STATUSES)[number];

/** Where a letter is downloaded, in each format (the inbox links to these too). */
export const letterDocumentLinks = (letterId: string) => ({
  docx: `/api/v1/letters/${letterId}/document.docx`,
  pdf: `/api/v1/letters/${letterId}/document.pdf`,
  html: `/api/v1/letters/${letterId}/document.html`,
});

export interface LetterFilter {
  campaignId?: string;
  unitId?: string;
  itemId?: string;
  type?: LetterType;
  status?: LetterStatus;
  /** 回溯: issued on or before this day. */
  issuedOnOrBefore?: string;
  limit: number;
  /** The issue order of the last letter of the previous page. */
  after?: string;
}

interface LetterRow {
  id: string;
  docNumber: string;
  type: LetterType;
  title: string | null;
  campaignId: string | null;
  itemIds: string[];
  issuedOn: string;
  templateVersion: number;
  receiptDueAt: string | null;
  createdAt: string;
  recipients: { unitId: string; unitName: string; role: 'to' | 'cc'; receiptedAt: string | null; receiptedBy: string | null; overdueAt: string | null }[];
  deliveries: { total: number; sent: number; receipted: number; failed: number; pending: number; possiblyDuplicated: number };
}

export interface DeliveryDto {
  id: string;
  letterId?: string;
  docNumber?: string;
  type?: string;
  unitId: string;
  unitName: string;
  role: 'to' | 'cc';
  channel: 'inbox' | 'email' | 'webhook' | 'wecom' | 'dingtalk' | 'feishu';
  address: string;
  messageId: string;
  status: 'intended' | 'sending' | 'sent' | 'receipted' | 'failed';
  attempts: number;
  lastError: string | null;
  providerMessageId: string | null;
  possiblyDuplicated: boolean;
  intendedAt: string;
  sentAt: string | null;
  failedAt: string | null;
  receiptedAt: string | null;
}

const STATUS_SQL = (sql: Sql, s: LetterStatus | undefined) => {
  switch (s) {
    case 'awaiting_receipt':
      return sql`and exists (select 1 from letter_recipients r where r.letter_id = l.id and r.role = 'to' and r.receipted_at is null and r.overdue_at is null)`;
    case 'receipted':
      return sql`and not exists (select 1 from letter_recipients r where r.letter_id = l.id and r.role = 'to' and r.receipted_at is null)`;
    case 'receipt_overdue':
      return sql`and exists (select 1 from letter_recipients r where r.letter_id = l.id and r.overdue_at is not null and r.receipted_at is null)`;
    case 'delivery_failed':
      return sql`and exists (select 1 from letter_deliveries d where d.letter_id = l.id and d.status = 'failed')`;
    default:
      return sql``;
  }
};

export function createLetterService({ sql, temporal, temporalUiUrl, namespace }: { sql: Sql; temporal: Client; temporalUiUrl: string; namespace: string }) {
  const renderer = createLetterRenderer({ sql, templates: createTemplateStore(sql) });

  const select = (sql: Sql) => sql`
    select l.id, l.doc_number, l.type, l.title, l.campaign_id, l.item_ids, l.issued_on, l.template_version, l.receipt_due_at, l.created_at,
      coalesce((select json_agg(json_build_object('unitId', r.unit_id, 'unitName', u.name, 'role', r.role, 'receiptedAt', r.receipted_at,
                                                  'receiptedBy', r.receipted_by, 'overdueAt', r.overdue_at) order by r.role desc, u.name)
                from letter_recipients r join units u on u.id = r.unit_id where r.letter_id = l.id), '[]') as recipients,
      (select json_build_object('total', count(*), 'sent', count(*) filter (where d.status = 'sent'),
                                'receipted', count(*) filter (where d.status = 'receipted'), 'failed', count(*) filter (where d.status = 'failed'),
                                'pending', count(*) filter (where d.status in ('intended', 'sending')),
                                'possiblyDuplicated', count(*) filter (where d.possibly_duplicated))
       from letter_deliveries d where d.letter_id = l.id) as deliveries
    from letters l`;

  const dto = (l: LetterRow) => {
    // Recipients' timestamps come out of json_build_object as PostgreSQL text; normalise to ISO.
    const isoOrNull = (t: string | null) => (t === null ? null : new Date(t).toISOString());
    return {
      ...l,
      title: l.title ?? '',
      typeLabel: LETTER_TYPE_LABELS[l.type],
      recipients: l.recipients.map((r) => ({ ...r, receiptedAt: isoOrNull(r.receiptedAt), overdueAt: isoOrNull(r.overdueAt) })),
      links: {
        ...letterDocumentLinks(l.id),
        workflow: `${temporalUiUrl}/namespaces/${namespace}/workflows/${letterWorkflowId(l.id)}`,
      },
    };
  };

  async function one(id: string) {
    const [l] = await sql<LetterRow[]>`${select(sql)} where l.id = ${id}`;
    if (!l) throw notFound('letter', id);
    return l;
  }

  /** Who sees which letter is domain/access.ts's call; a letter a unit is not on is a 403. */
  function mustSee(l: LetterRow, p: Principal) {
    const d = canSeeLetter(p, l.recipients.map((r) => r.unitId));
    if (!d.allowed) throw forbidden(d.reason);
  }

  return {
    async list(f: LetterFilter, p: Principal) {
      const scope = letterScope(p);
      const unitId = scope.all ? f.unitId : scope.unitId;
      const rows = await sql<LetterRow[]>`
        ${select(sql)}
          where true
          ${f.campaignId ? sql`and l.campaign_id = ${f.campaignId}` : sql``}
          ${f.type ? sql`and l.type = ${f.type}` : sql``}
          ${f.issuedOnOrBefore ? sql`and l.issued_on <= ${f.issuedOnOrBefore}` : sql``}
          ${f.itemId ? sql`and ${f.itemId}::uuid = any(l.item_ids)` : sql``}
          ${unitId ? sql`and exists (select 1 from letter_recipients r where r.letter_id = l.id and r.unit_id = ${unitId})` : sql``}
          ${STATUS_SQL(sql, f.status)}
          ${f.after ? sql`and (l.created_at, l.id) < (select created_at, id from letters where id = ${f.after})` : sql``}
          order by l.created_at desc, l.id desc
          limit ${f.limit}`;
      return { letters: rows.map(dto), next: rows.length === f.limit ? rows[rows.length - 1]!.id : null };
    },

    async get(id: string, p: Principal) {
      const l = await one(id);
      mustSee(l, p);
      const deliveries = await sql<DeliveryDto[]>`
        select d.id, d.unit_id, u.name as unit_name, d.role, d.channel, d.address, d.message_id, d.status, d.attempts, d.last_error,
               d.provider_message_id, d.possibly_duplicated, d.intended_at, d.sent_at, d.failed_at, d.receipted_at
        from letter_deliveries d join units u on u.id = d.unit_id where d.letter_id = ${id} order by d.intended_at, d.id`;
      const events = await sql<{ type: string; unitId: string | null; unitName: string | null; payload: unknown; occurredAt: string }[]>`
        select e.type, e.unit_id, u.name as unit_name, e.payload, e.occurred_at
        from letter_events e left join units u on u.id = e.unit_id where e.letter_id = ${id} order by e.id`;
      // Delivery rows and per-unit events carry channel, address and Message-ID: the office sees
      // all, a unit its own (a copied unit never sees the lead unit's), a leader none.
      return {
        ...dto(l),
        deliveryLedger: deliveries.filter((d) => deliveryRowVisible(p, d.unitId)),
        events: events.filter((e) => letterEventVisible(p, e.unitId)),
      };
    },

    async render(id: string, format: LetterFormat, p: Principal) {
      const l = await one(id);
      mustSee(l, p);
      try {
        return await renderer.render(id, format);
      } catch (err) {
        if (err instanceof LetterNotFound) throw notFound('letter document', id);
        throw err;
      }
    },

    /**
     * 签收: the calling unit signs for a letter addressed (or copied) to it. Idempotent: signing
     * again answers with the first signature. A receipt after the time is still taken (the
     * lateness stays on record).
     */
    async receipt(id: string, p: Principal, authorize: (unitIds: string[]) => void) {
      const l = await one(id);
      authorize(l.recipients.map((r) => r.unitId));
      const unitId = p.unitId!;
      await sql.begin(async (tx) => {
        const [r] = await tx<{ receiptedAt: string }[]>`
          update letter_recipients set receipted_at = now(), receipted_by = ${p.name}
          where letter_id = ${id} and unit_id = ${unitId} and receipted_at is null returning receipted_at`;
        if (!r) return;
        await tx`update letter_deliveries set status = 'receipted', receipted_at = ${r.receiptedAt}, updated_at = now()
                 where letter_id = ${id} and unit_id = ${unitId} and status = 'sent'`;
        await tx`insert into letter_events (key, letter_id, type, unit_id, payload, occurred_at)
                 values (${`receipted:${id}:${unitId}`}, ${id}, 'receipted', ${unitId}, ${tx.json({ by: p.name } as never)}, ${r.receiptedAt})
                 on conflict do nothing`;
      });
      // The record is written; the workflow only needs to stop waiting. Finished already (every
      // delivery done and the time passed, or no receipt asked): nothing to tell it.
      await temporal.workflow
        .getHandle(letterWorkflowId(id))
        .signal(receiptedSignal, { unitId })
        .catch((err: unknown) => {
          if (!isWorkflowGone(err)) throw err; // else Temporal away and the like: answered by the error handler (temporal-errors.ts)
        });
      return dto(await one(id));
    },

    /** The delivery ledger across letters: what was sent where, what failed and why. */
    async ledger(f: { campaignId?: string; status?: string; channel?: string; limit: number; after?: string }) {
      const rows = await sql<DeliveryDto[]>`
        select d.id, d.letter_id, l.doc_number, l.type, d.unit_id, u.name as unit_name, d.role, d.channel, d.address, d.message_id,
               d.status, d.attempts, d.last_error, d.provider_message_id, d.possibly_duplicated, d.intended_at, d.sent_at, d.failed_at, d.receipted_at
        from letter_deliveries d join letters l on l.id = d.letter_id join units u on u.id = d.unit_id
        where true
        ${f.campaignId ? sql`and l.campaign_id = ${f.campaignId}` : sql``}
        ${f.status ? sql`and d.status = ${f.status}` : sql``}
        ${f.channel ? sql`and d.channel = ${f.channel}` : sql``}
        ${f.after ? sql`and (d.updated_at, d.id) < (select updated_at, id from letter_deliveries where id = ${f.after})` : sql``}
        order by d.updated_at desc, d.id desc
        limit ${f.limit}`;
      return { deliveries: [...rows], next: rows.length === f.limit ? rows[rows.length - 1]!.id : null };
    },
  };
}

export type LetterService = ReturnType<typeof createLetterService>;
