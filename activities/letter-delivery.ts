/**
 * The delivery ledger of an issued letter, called by its own workflow (workflows/letter.ts): one
 * row per recipient unit × channel, each sent once, then the wait for 签收. Every step is keyed,
 * so a retry, a replay or a worker killed half-way never makes a second delivery:
 *
 *  - planDeliveries: the ledger rows, one per recipient unit × channel (its inbox and the
 *    channels in the directory), keyed by letter, unit, channel and address.
 *  - deliver: one ledger row. 'sent' is final: never sent again. A row found in 'sending' means
 *    an earlier attempt died between handing the message over and writing the result — the one
 *    window no system can close — so it is sent again with the same message id (derived from the
 *    key; receivers discard the copy) and marked possibly_duplicated. The last attempt that
 *    fails marks the row failed and tells the office.
 *  - markDeliveryFailed: the same for a row whose last attempt never came back (timed out, lost
 *    its worker, threw): the workflow asks for it after the activity failed.
 *  - markReceiptOverdue: a letter not signed for (签收) in time is a late event of its own.
 */
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { CHANNEL_KINDS, DeliveryError, messageIdFor, type ChannelKind, type Channels, type OutgoingLetter } from '../delivery';
import { LETTER_TYPE_LABELS, type LetterType } from '../domain/letters/types';
import { effectivePolicy } from '../domain/policy';
import type { Sql } from '../infra/db';
import { createTemplateStore, type TemplateStore } from '../infra/template-store';
import { createLetterRenderer, type LetterRenderer } from '../letters/render';
import { appendLetterEvent, campaignOf, unitNames } from './letter-store';
import { inboxNotifier, type Notifier } from './notifier';


export interface DeliveryPlan {
  deliveries: { id: string; channel: string }[];
  /** Units that must sign for the letter. */
  to: string[];
  receiptDueAt: number | null;
  attempts: number;
}

export interface DeliverResult {
  status: 'sent' | 'receipted' | 'failed';
  /** This attempt re-sent a message an earlier attempt may already have handed over. */
  possiblyDuplicated: boolean;
}

/** Test hooks to stand in for a crash at the two interesting moments of a delivery. */
export interface DeliveryFaults {
  /** After the channel accepted the message, before the ledger says so (the window). */
  afterSend?(deliveryKey: string): void | Promise<void>;
  /** After the ledger says sent, before the activity completes. */
  afterLedgerWrite?(deliveryKey: string): void | Promise<void>;
}

export interface LetterDeliveryDeps {
  sql: Sql;
  channels?: Channels;
  notifier?: Notifier;
  /** For the default renderer. */
  templates?: TemplateStore;
  renderer?: LetterRenderer;
  /** Where people open a letter (and sign for it): `${publicUrl}/api/v1/letters/<id>`. */
  publicUrl?: string;
  mailDomain?: string;
  faults?: DeliveryFaults;
}

/** How often `deliver` heartbeats; the workflow's heartbeatTimeout (15 s) allows three missed. */
const DELIVER_HEARTBEAT_MS = 4_000;

const noChannels = (): Channels =>
  Object.fromEntries(
    CHANNEL_KINDS.map((k) => [k, { send: async () => Promise.reject(new DeliveryError(`channel ${k} is not configured on this worker`, true)) }]),
  ) as unknown as Channels;

export function createLetterDeliveryActivities(deps: LetterDeliveryDeps) {
  const { sql } = deps;
  const notifier = deps.notifier ?? inboxNotifier(sql);
  const renderer = deps.renderer ?? createLetterRenderer({ sql, templates: deps.templates ?? createTemplateStore(sql) });
  const channels = deps.channels ?? noChannels();

  /** A row that is settled already — sent, signed for, or failed (the office told, again: keyed) — or null. */
  async function settled(d: DeliveryRow): Promise<DeliverResult | null> {
    if (d.status === 'sent' || d.status === 'receipted') return { status: d.status, possiblyDuplicated: d.possiblyDuplicated };
    // Failed already: make sure the office was told (an attempt may have died in between).
    if (d.status === 'failed') return tellFailure(d, d.lastError ?? 'failed');
    return null;
  }

  /** Gives the row up: failed, and the office told. A row that got sent meanwhile stays sent. */
  async function deliveryFailed(d: DeliveryRow, reason: string): Promise<DeliverResult> {
    const [failed] = await sql`
      update letter_deliveries set status = 'failed', failed_at = now(), last_error = ${reason}, updated_at = now()
      where id = ${d.id} and status in ('intended', 'sending')
      returning id`;
    if (!failed) {
      const now = await settled(await deliveryRow(sql, d.id));
      if (now) return now;
    }
    return tellFailure(d, reason);
  }

  /** The failure on the letter's trail and in the office's inbox, keyed: a retry tells it once. */
  async function tellFailure(d: DeliveryRow, reason: string): Promise<DeliverResult> {
    await appendLetterEvent(sql, { key: `delivery_failed:${d.id}`, letterId: d.letterId, type: 'delivery_failed', unitId: d.unitId, payload: { channel: d.channel, address: d.address, reason } });
    // Surfaced to the office: someone has to reach this unit another way.
    await notifier.notify({
      idempotencyKey: `delivery_failed:${d.id}`,
      itemId: d.itemIds[0] ?? null,
      campaignId: d.campaignId ?? undefined,
      recipients: [],
      title: `【送达失败】${d.docNumber}`,
      body: `${d.docNumber}《${d.title}》经${d.attempts}次尝试未能通过${CHANNEL_LABELS[d.channel]}（${d.address || '站内'}）送达${d.unitName}：${reason}。请核实该单位的联系方式或改用其他方式送达。`,
    });
    log.warn('delivery failed', { deliveryId: d.id, channel: d.channel, reason });
    return { status: 'failed', possiblyDuplicated: d.possiblyDuplicated };
  }

  return {
    /** The delivery ledger rows of a letter: every recipient unit × its inbox and its channels. */
    async planDeliveries(r: { letterId: string }): Promise<DeliveryPlan> {
      const [letter] = await sql<{ idempotencyKey: string; campaignId: string | null; receiptDueAt: string | null }[]>`
        select idempotency_key, campaign_id, receipt_due_at from letters where id = ${r.letterId}`;
      if (!letter) throw ApplicationFailure.nonRetryable(`letter ${r.letterId} not found`);
      const recipients = await sql<{ unitId: string; role: 'to' | 'cc' }[]>`select unit_id, role from letter_recipients where letter_id = ${r.letterId} order by role desc, unit_id`;
      const channels = recipients.length
        ? await sql<{ unitId: string; channel: ChannelKind; address: string }[]>`
            select unit_id, channel, address from unit_channels where enabled and unit_id in ${sql(recipients.map((x) => x.unitId))} order by created_at`
        : [];
      const rows = recipients.flatMap((x) =>
        [{ channel: 'inbox', address: '' }, ...channels.filter((ch) => ch.unitId === x.unitId)].map((ch) => {
          const key = `${letter.idempotencyKey}/${x.unitId}/${ch.channel}/${ch.address}`;
          return { idempotencyKey: key, letterId: r.letterId, unitId: x.unitId, role: x.role, channel: ch.channel, address: ch.address, messageId: messageIdFor(key, deps.mailDomain) };
        }),
      );
      if (rows.length) await sql`insert into letter_deliveries ${sql(rows)} on conflict (idempotency_key) do nothing`;
      const planned = await sql<{ id: string; channel: string }[]>`select id, channel from letter_deliveries where letter_id = ${r.letterId} order by intended_at, id`;
      const policy = letter.campaignId ? effectivePolicy((await campaignOf(sql, letter.campaignId)).policy) : effectivePolicy(null);
      return {
        deliveries: planned,
        to: recipients.filter((x) => x.role === 'to').map((x) => x.unitId),
        receiptDueAt: letter.receiptDueAt ? Date.parse(letter.receiptDueAt) : null,
        attempts: policy.letters.deliveryAttempts,
      };
    },

    /** Sends one ledger row, once, heartbeating. */
    async deliver(r: { deliveryId: string; maxAttempts: number }): Promise<DeliverResult> {
      // Heartbeat while the delivery runs (rendering, a slow mail server): a delivery lost with
      // its worker is retried after the heartbeat timeout (workflows/letter.ts), not the whole
      // start-to-close timeout.
      const ctx = Context.current();
      ctx.heartbeat();
      const beat = setInterval(() => ctx.heartbeat(), DELIVER_HEARTBEAT_MS);
      try {
        return await deliverOnce(r);
      } finally {
        clearInterval(beat);
      }
    },

    /**
     * A delivery whose last attempt never came back — timed out, lost with its worker, or threw
     * instead of returning 'failed' — given up the way `deliver`'s own last attempt gives up: the
     * row failed (unless it did get sent) and the office told. Keyed by the row: idempotent.
     */
    async markDeliveryFailed(r: { deliveryId: string; reason: string }): Promise<DeliverResult> {
      const d = await deliveryRow(sql, r.deliveryId);
      return (await settled(d)) ?? deliveryFailed(d, r.reason);
    },

    /**
     * The letter's time to sign for it has passed: every addressee (主送) still not signed is a
     * late event, on the letter's trail and in the inbox of the unit and the office — once.
     */
    async markReceiptOverdue(r: { letterId: string; at: number }): Promise<string[]> {
      await sql`
        update letter_recipients set overdue_at = ${new Date(r.at)}
        where letter_id = ${r.letterId} and role = 'to' and receipted_at is null and overdue_at is null`;
      // Every addressee marked late and still unsigned — also those marked by an attempt that died
      // before telling anyone: the events and notices below are keyed, so telling again is harmless.
      const late = await sql<{ unitId: string }[]>`
        select unit_id from letter_recipients
        where letter_id = ${r.letterId} and role = 'to' and receipted_at is null and overdue_at is not null`;
      const [l] = await sql<{ docNumber: string; title: string; campaignId: string | null; itemIds: string[] }[]>`
        select doc_number, title, campaign_id, item_ids from letters where id = ${r.letterId}`;
      const names = await unitNames(sql, late.map((x) => x.unitId));
      for (const { unitId } of late) {
        const key = `receipt_overdue:${r.letterId}:${unitId}`;
        await appendLetterEvent(sql, { key, letterId: r.letterId, type: 'receipt_overdue', unitId, occurredAt: new Date(r.at) });
        const title = `【逾期未签收】${l!.docNumber}`;
        const body = `${names.get(unitId) ?? ''}未在规定时间内签收${l!.docNumber}《${l!.title}》。`;
        await notifier.notify({ idempotencyKey: key, itemId: l!.itemIds[0] ?? null, campaignId: l!.campaignId ?? undefined, recipients: [unitId], title, body: `${body}请立即签收并按要求办理。` });
        await notifier.notify({ idempotencyKey: key, itemId: l!.itemIds[0] ?? null, campaignId: l!.campaignId ?? undefined, recipients: [], title, body });
      }
      if (late.length) log.info('letter not signed for in time', { letterId: r.letterId, units: late.length });
      return late.map((x) => x.unitId);
    },
  };

  /** Sends one ledger row, once (see the top of this file for the crash window). */
  async function deliverOnce(r: { deliveryId: string; maxAttempts: number }): Promise<DeliverResult> {
    const d = await deliveryRow(sql, r.deliveryId);
    const done = await settled(d);
    if (done) return done;
    // Claim the row. A row already in 'sending' was handed over by an attempt that never wrote back.
    const [claim] = await sql<{ attempts: number; possiblyDuplicated: boolean }[]>`
      update letter_deliveries set possibly_duplicated = possibly_duplicated or status = 'sending',
             status = 'sending', attempts = attempts + 1, updated_at = now()
      where id = ${d.id} and status in ('intended', 'sending')
      returning attempts, possibly_duplicated`;
    if (!claim) return { status: (await deliveryRow(sql, d.id)).status as DeliverResult['status'], possiblyDuplicated: d.possiblyDuplicated };
    if (claim.possiblyDuplicated && !d.possiblyDuplicated) log.warn('resending a delivery an earlier attempt may have sent (same message id)', { deliveryId: d.id, messageId: d.messageId });

    let providerMessageId: string;
    try {
      providerMessageId = d.channel === 'inbox' ? await toInbox(d) : (await channels[d.channel as ChannelKind].send(d.address, await outgoing(d))).providerMessageId;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof DeliveryError ? err.permanent : false;
      const attempt = Context.current().info.attempt;
      if (permanent || attempt >= r.maxAttempts) return deliveryFailed({ ...d, attempts: claim.attempts, possiblyDuplicated: claim.possiblyDuplicated }, reason);
      await sql`update letter_deliveries set status = 'intended', last_error = ${reason}, updated_at = now() where id = ${d.id} and status = 'sending'`;
      throw ApplicationFailure.retryable(`delivery ${d.channel} to ${d.unitName} failed (attempt ${attempt} of ${r.maxAttempts}): ${reason}`, 'DeliveryFailed');
    }
    await deps.faults?.afterSend?.(d.idempotencyKey);
    await sql`
      update letter_deliveries set status = 'sent', sent_at = now(), provider_message_id = ${providerMessageId}, last_error = null, updated_at = now()
      where id = ${d.id} and status = 'sending'`;
    await appendLetterEvent(sql, {
      key: `delivered:${d.id}`,
      letterId: d.letterId,
      type: 'delivered',
      unitId: d.unitId,
      payload: { channel: d.channel, address: d.address, messageId: d.messageId, providerMessageId, possiblyDuplicated: claim.possiblyDuplicated },
    });
    await deps.faults?.afterLedgerWrite?.(d.idempotencyKey);
    return { status: 'sent', possiblyDuplicated: claim.possiblyDuplicated };
  }

  /** The unit's inbox copy: linked by letter_id (the item's and campaign's notices stay their own). */
  async function toInbox(d: DeliveryRow): Promise<string> {
    await sql`
      insert into notifications (idempotency_key, recipient, item_id, campaign_id, title, body, letter_id)
      values (${d.idempotencyKey}, ${d.unitId}, null, null, ${`${d.docNumber} ${d.title}`},
              ${`${d.role === 'cc' ? '【抄送】' : ''}${LETTER_TYPE_LABELS[d.type]}：${d.docNumber}《${d.title}》已送达，请查阅${d.role === 'to' ? '并签收' : ''}。`}, ${d.letterId})
      on conflict do nothing`;
    const [n] = await sql<{ id: string }[]>`select id::text from notifications where idempotency_key = ${d.idempotencyKey} and recipient = ${d.unitId}`;
    return `inbox-${n!.id}`;
  }

  async function outgoing(d: DeliveryRow): Promise<OutgoingLetter> {
    const composed = await renderer.document(d.letterId);
    const { doc } = composed;
    const attachments =
      d.channel === 'email'
        ? await Promise.all(
            (['docx', 'pdf'] as const).map(async (f) => {
              const r = await renderer.renderComposed(composed, f);
              return { filename: r.filename, content: r.bytes, contentType: r.contentType };
            }),
          )
        : [];
    return {
      messageId: d.messageId,
      idempotencyKey: d.idempotencyKey,
      docNumber: d.docNumber,
      title: d.title,
      typeLabel: LETTER_TYPE_LABELS[d.type],
      unitName: d.unitName,
      role: d.role,
      issuingBody: doc.issuingBodyMark,
      issuedOn: d.issuedOn,
      summary: doc.paragraphs
        .slice(0, 3)
        .map((p) => p.text)
        .join('\n'),
      url: deps.publicUrl ? `${deps.publicUrl.replace(/\/$/, '')}/api/v1/letters/${d.letterId}` : null,
      attachments,
    };
  }
}

export type LetterDeliveryActivities = ReturnType<typeof createLetterDeliveryActivities>;

const CHANNEL_LABELS: Record<string, string> = { inbox: '站内信', email: '电子邮件', webhook: 'Webhook', wecom: '企业微信', dingtalk: '钉钉', feishu: '飞书' };

interface DeliveryRow {
  id: string;
  idempotencyKey: string;
  letterId: string;
  unitId: string;
  unitName: string;
  role: 'to' | 'cc';
  channel: string;
  address: string;
  messageId: string;
  status: string;
  attempts: number;
  lastError: string | null;
  possiblyDuplicated: boolean;
  docNumber: string;
  title: string;
  type: LetterType;
  issuedOn: string;
  campaignId: string | null;
  itemIds: string[];
}

async function deliveryRow(sql: Sql, id: string): Promise<DeliveryRow> {
  const [d] = await sql<DeliveryRow[]>`
    select d.id, d.idempotency_key, d.letter_id, d.unit_id, u.name as unit_name, d.role, d.channel, d.address, d.message_id,
           d.status, d.attempts, d.last_error, d.possibly_duplicated, l.doc_number, l.title, l.type, to_char(l.issued_on, 'YYYY-MM-DD') as issued_on,
           l.campaign_id, l.item_ids
    from letter_deliveries d join letters l on l.id = d.letter_id join units u on u.id = d.unit_id
    where d.id = ${id}`;
  if (!d) throw ApplicationFailure.nonRetryable(`delivery ${id} not found`);
  return d;
}
