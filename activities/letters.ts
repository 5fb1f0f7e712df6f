/**
 * Letters (公文) from issue to receipt, each step keyed so that a retry, a replay or a worker
 * killed half-way never makes a second letter, a second number or a second delivery:
 *
 *  - issue: the letter row and its document number in one transaction, keyed by the idempotency
 *    key of the step that caused it (a ladder step, a listing, a dispatch period). A concurrent
 *    duplicate waits on the key's lock and gets the same letter; a failed transaction takes its
 *    number back, so the series has no gaps.
 *  - planDeliveries: the ledger rows, one per recipient unit × channel (its inbox and the
 *    channels in the directory), keyed by letter, unit, channel and address.
 *  - deliver: one ledger row. 'sent' is final: never sent again. A row found in 'sending' means
 *    an earlier attempt died between handing the message over and writing the result — the one
 *    window no system can close — so it is sent again with the same message id (derived from the
 *    key; receivers discard the copy) and marked possibly_duplicated.
 *  - markReceiptOverdue: a letter not signed for (签收) in time is a late event of its own.
 */
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { CHANNEL_KINDS, DeliveryError, messageIdFor, type ChannelKind, type Channels, type OutgoingLetter } from '../delivery';
import { composeLetter, TemplateError, type LetterHead } from '../domain/letters/compose';
import { bulletinFacts, itemLetterFacts, listingLetterFacts, missingOf, type CampaignFacts } from '../domain/letters/facts';
import { issuerOf } from '../domain/letters/policy';
import { chineseDate, DOC_KIND, docNumberText, LETTER_TYPE_LABELS, type LetterType } from '../domain/letters/types';
import type { ItemState, ItemUnit } from '../domain/item-lifecycle';
import type { DispatchSheet } from '../domain/dispatch';
import { effectivePolicy, type LadderStepName, type Policy, type PolicyInput } from '../domain/policy';
import { receiptDueAt, replyByDate } from '../domain/schedule';
import { daysBetween, dateOf } from '../domain/time';
import type { WorkCalendar } from '../domain/calendar';
import { createCalendarStore, type CalendarStore } from '../infra/calendar-store';
import type { Sql } from '../infra/db';
import { createTemplateStore, type TemplateStore } from '../infra/template-store';
import { createLetterRenderer, type LetterRenderer } from '../letters/render';
import { inboxNotifier, type Notifier } from './notifier';

/** The head of a letter as stored: everything but the number, which the issuing transaction assigns. */
export type StoredHead = Omit<LetterHead, 'type' | 'docNumber'>;

export interface IssueRequest {
  idempotencyKey: string;
  campaignId: string | null;
  type: LetterType;
  /** The issuing body's abbreviation in document numbers, e.g. 白振办. */
  issuingBody: string;
  /** The main addressee (主送) among the units, if one. */
  unitId: string | null;
  itemIds: string[];
  templateVersion: number;
  facts: object;
  /** 成文日期 (YYYY-MM-DD, Asia/Shanghai); its year is the number's year. */
  issuedOn: string;
  title?: string;
  head?: StoredHead;
  /** Every unit the letter is for: 'to' must sign for it, 'cc' gets a copy. */
  recipients?: { unitId: string; role: 'to' | 'cc' }[];
  itemSeq?: number | null;
  receiptDueAt?: number | null;
}

export interface IssuedLetter {
  id: string;
  idempotencyKey: string;
  type: LetterType;
  docNumber: string;
  number: number;
  year: number;
  issuedOn: string;
  /** False when the key had already issued it (a retry or a duplicate). */
  created: boolean;
}

export interface StepLetterRequest {
  itemId: string;
  /** The ladder step's idempotency key: the letter's key too. */
  idempotencyKey: string;
  ladderStep: LadderStepName;
  seq: number;
  occurredAt: string;
  units: ItemUnit[];
  state: Pick<ItemState, 'deadlineDate' | 'progressPercent' | 'lastReportAt' | 'status'>;
}

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

export interface LetterDeps {
  sql: Sql;
  channels?: Channels;
  notifier?: Notifier;
  calendars?: CalendarStore;
  templates?: TemplateStore;
  renderer?: LetterRenderer;
  /**
   * Starts the letter's own workflow (idempotent by its id `letter-<letterId>`): built by the
   * worker from a Temporal client (worker/worker.ts).
   */
  startLetterWorkflow: (letterId: string) => Promise<void>;
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

export function createLetterActivities(deps: LetterDeps) {
  const { sql } = deps;
  const notifier = deps.notifier ?? inboxNotifier(sql);
  const calendars = deps.calendars ?? createCalendarStore(sql);
  const templates = deps.templates ?? createTemplateStore(sql);
  const renderer = deps.renderer ?? createLetterRenderer({ sql, templates });
  const channels = deps.channels ?? noChannels();

  async function issueLetter(r: IssueRequest): Promise<IssuedLetter> {
    return sql.begin(async (tx) => {
      // One issuer per key at a time: a concurrent duplicate waits here, then finds the letter.
      await tx`select pg_advisory_xact_lock(hashtextextended(${r.idempotencyKey}, 0))`;
      const [existing] = await tx<Omit<IssuedLetter, 'created'>[]>`
        select id, idempotency_key, type, doc_number, number, year, issued_on from letters where idempotency_key = ${r.idempotencyKey}`;
      if (existing) return { ...existing, created: false };
      const kind = DOC_KIND[r.type];
      const year = Number(r.issuedOn.slice(0, 4));
      // The sequence row is locked until commit: concurrent issuers of the series queue here.
      const [seq] = await tx<{ last: number }[]>`
        insert into doc_number_sequences (issuing_body, kind, year, last) values (${r.issuingBody}, ${kind}, ${year}, 1)
        on conflict (issuing_body, kind, year) do update set last = doc_number_sequences.last + 1
        returning last`;
      const number = seq!.last;
      const docNumber = docNumberText(r.issuingBody, r.type, year, number);
      const [row] = await tx<{ id: string }[]>`
        insert into letters (idempotency_key, campaign_id, type, issuing_body, kind, year, number, doc_number, unit_id, item_ids,
                             template_version, facts, issued_on, title, head, item_seq, receipt_due_at)
        values (${r.idempotencyKey}, ${r.campaignId}, ${r.type}, ${r.issuingBody}, ${kind}, ${year}, ${number}, ${docNumber},
                ${r.unitId}, ${r.itemIds}::uuid[], ${r.templateVersion}, ${tx.json(r.facts as never)}, ${r.issuedOn},
                ${r.title ?? null}, ${r.head ? tx.json(r.head as never) : null}, ${r.itemSeq ?? null},
                ${r.receiptDueAt == null ? null : new Date(r.receiptDueAt)})
        returning id`;
      const id = row!.id;
      if (r.recipients?.length) await tx`insert into letter_recipients ${tx(r.recipients.map((x) => ({ letterId: id, unitId: x.unitId, role: x.role })))}`;
      await tx`insert into letter_events (key, letter_id, type, payload) values (${`issued:${id}`}, ${id}, 'issued', ${tx.json({ docNumber, templateVersion: r.templateVersion } as never)})`;
      return { id, idempotencyKey: r.idempotencyKey, type: r.type, docNumber, number, year, issuedOn: r.issuedOn, created: true };
    }) as Promise<IssuedLetter>;
  }

  interface CampaignRow {
    id: string;
    title: string;
    docNumber: string | null;
    issuingBody: string | null;
    policy: PolicyInput;
  }
  const campaignOf = async (campaignId: string): Promise<CampaignRow> => {
    const [c] = await sql<CampaignRow[]>`select id, title, doc_number, issuing_body, policy from campaigns where id = ${campaignId}`;
    if (!c) throw ApplicationFailure.nonRetryable(`campaign ${campaignId} not found`);
    return c;
  };
  const unitNames = async (ids: string[]): Promise<Map<string, string>> =>
    ids.length ? new Map((await sql<{ id: string; name: string }[]>`select id, name from units where id in ${sql(ids)}`).map((u) => [u.id, u.name])) : new Map();

  /**
   * The template version new letters of this type use, checked against the facts: an edit that
   * names a fact this letter does not have falls back to the built-in wording (the letter
   * still goes out) and the letter's trail says so.
   */
  async function wording(campaignId: string, type: LetterType, facts: object, head: LetterHead): Promise<{ version: number; title: string; fallback: string | null }> {
    const t = await templates.latest(campaignId, type);
    try {
      return { version: t.version, title: composeLetter(t, facts, head).title, fallback: null };
    } catch (err) {
      if (!(err instanceof TemplateError) || t.version === 0) throw err;
      const builtin = (await templates.get(campaignId, type, 0))!;
      log.warn('template version failed on real facts; using the built-in wording', { campaignId, type, version: t.version, error: err.message });
      return { version: 0, title: composeLetter(builtin, facts, head).title, fallback: `template v${t.version}: ${err.message}` };
    }
  }

  /** Issues one letter of a campaign with its wording, head, recipients and receipt time. */
  async function issueFor(
    c: CampaignRow,
    policy: Policy,
    cal: WorkCalendar,
    o: { key: string; type: LetterType; at: number; unitId: string | null; recipients: { unitId: string; role: 'to' | 'cc' }[]; addressees: string[]; ccNames: string[]; itemIds: string[]; itemSeq: number | null; facts: object },
  ): Promise<IssuedLetter> {
    const issuer = issuerOf(policy.letters, c.issuingBody);
    const issuedOn = dateOf(o.at);
    const head: StoredHead = {
      issuingBodyMark: issuer.mark,
      signature: issuer.signature,
      date: chineseDate(issuedOn),
      addressees: o.addressees,
      cc: [...(policy.letters.cc[o.type] ?? []), ...o.ccNames],
    };
    let w: Awaited<ReturnType<typeof wording>>;
    try {
      w = await wording(c.id, o.type, o.facts, { type: o.type, docNumber: '', ...head });
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      // Even the built-in wording cannot say this (a bug): retrying will not help. The office
      // hears of it; the step that wanted the letter goes on without it.
      await notifier.notify({ idempotencyKey: `letter_unwritable:${o.key}`, itemId: o.itemIds[0] ?? null, campaignId: c.id, recipients: [], title: `【公文生成失败】${LETTER_TYPE_LABELS[o.type]}`, body: `${LETTER_TYPE_LABELS[o.type]}无法生成：${err.message}` });
      throw ApplicationFailure.nonRetryable(`the ${o.type} cannot be composed: ${err.message}`, 'LetterTemplateBroken');
    }
    const letter = await issueLetter({
      idempotencyKey: o.key,
      campaignId: c.id,
      type: o.type,
      issuingBody: issuer.abbreviation,
      unitId: o.unitId,
      itemIds: o.itemIds,
      templateVersion: w.version,
      facts: o.facts,
      issuedOn,
      title: w.title,
      head,
      recipients: o.recipients,
      itemSeq: o.itemSeq,
      receiptDueAt: receiptDueAt(o.at, policy.letters, cal),
    });
    if (letter.created && w.fallback) {
      await sql`insert into letter_events (key, letter_id, type, payload) values (${`template_fallback:${letter.id}`}, ${letter.id}, 'template_fallback', ${sql.json({ reason: w.fallback } as never)}) on conflict do nothing`;
    }
    if (letter.created) log.info('letter issued', { letterId: letter.id, docNumber: letter.docNumber, type: o.type, key: o.key });
    // Also on a retry: the attempt that issued it may have died before starting its workflow.
    await deps.startLetterWorkflow(letter.id);
    return letter;
  }

  async function deliveryFailed(d: DeliveryRow, reason: string): Promise<DeliverResult> {
    await sql`
      update letter_deliveries set status = 'failed', failed_at = now(), last_error = ${reason}, updated_at = now()
      where id = ${d.id} and status in ('intended', 'sending')`;
    return tellFailure(d, reason);
  }

  /** The failure on the letter's trail and in the office's inbox, keyed: a retry tells it once. */
  async function tellFailure(d: DeliveryRow, reason: string): Promise<DeliverResult> {
    await sql`
      insert into letter_events (key, letter_id, type, unit_id, payload)
      values (${`delivery_failed:${d.id}`}, ${d.letterId}, 'delivery_failed', ${d.unitId}, ${sql.json({ channel: d.channel, address: d.address, reason } as never)})
      on conflict do nothing`;
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
    issueLetter,

    /** The letter a ladder step (提醒函, 催办函, 督办函, 约谈通知) sends the lead unit, copied to the co-operating ones. */
    async issueStepLetter(r: StepLetterRequest): Promise<IssuedLetter> {
      const [item] = await sql<{ campaignId: string; number: string; content: string; policy: Partial<PolicyInput> | null }[]>`
        select campaign_id, number, content, policy from items where id = ${r.itemId}`;
      if (!item) throw ApplicationFailure.nonRetryable(`item ${r.itemId} not found`);
      const c = await campaignOf(item.campaignId);
      const policy = effectivePolicy(c.policy, item.policy);
      const at = Date.parse(r.occurredAt);
      const leads = r.units.filter((u) => u.role === 'lead').map((u) => u.unitId);
      const cos = policy.letters.copyCoUnits ? r.units.filter((u) => u.role === 'co').map((u) => u.unitId) : [];
      const names = await unitNames([...leads, ...cos]);
      const deadline = r.state.deadlineDate;
      const cal = await calendars.active();
      const facts = itemLetterFacts(
        campaignFacts(c, policy),
        leads.map((u) => names.get(u) ?? '').join('、'),
        [
          {
            number: item.number,
            content: item.content,
            deadlineDate: deadline,
            daysLate: deadline ? Math.max(0, daysBetween(deadline, dateOf(at))) : 0,
            missing: missingOf(r.state),
          },
        ],
        replyByDate(at, policy.letters, cal),
      );
      return issueFor(c, policy, cal, {
        key: r.idempotencyKey,
        type: r.ladderStep,
        at,
        unitId: leads[0] ?? null,
        recipients: [...leads.map((unitId) => ({ unitId, role: 'to' as const })), ...cos.map((unitId) => ({ unitId, role: 'cc' as const }))],
        addressees: leads.map((u) => names.get(u) ?? ''),
        ccNames: cos.map((u) => names.get(u) ?? ''),
        itemIds: [r.itemId],
        itemSeq: r.seq,
        facts,
      });
    },

    /** The bulletin (通报) of one dispatch period, to every unit on its sheet; none for an empty sheet. */
    async issueBulletin(r: { campaignId: string; seq: number; at: number }): Promise<IssuedLetter | null> {
      const c = await campaignOf(r.campaignId);
      const policy = effectivePolicy(c.policy);
      const [sheet] = await sql<Pick<DispatchSheet, 'seq' | 'periodStart' | 'periodEnd' | 'totals' | 'units'>[]>`
        select seq, period_start, period_end, totals, units from dispatch_sheets where campaign_id = ${r.campaignId} and seq = ${r.seq}`;
      if (!sheet || !sheet.units.length) return null;
      const listed = await sql<{ name: string }[]>`
        select u.name from listed_supervisions l join units u on u.id = l.unit_id
        where l.campaign_id = ${r.campaignId} and l.listed_seq <= ${r.seq} and (l.delisted_seq is null or l.delisted_seq > ${r.seq})
        order by l.listed_seq, u.name`;
      return issueFor(c, policy, await calendars.active(), {
        key: `${r.campaignId}:bulletin:${r.seq}`,
        type: 'bulletin',
        at: r.at,
        unitId: null,
        recipients: sheet.units.map((u) => ({ unitId: u.unitId, role: 'to' as const })),
        addressees: ['各有关单位'],
        ccNames: [],
        itemIds: [],
        itemSeq: null,
        facts: bulletinFacts(campaignFacts(c, policy), sheet, listed.map((l) => l.name)),
      });
    },

    /** The listed-supervision notice (挂牌督办通知) and the summons (约谈通知) for each unit listed in a period. */
    async issueListingLetters(r: { campaignId: string; seq: number; at: number; listed: { unitId: string; poorPeriods: number[] }[] }): Promise<IssuedLetter[]> {
      if (!r.listed.length) return [];
      const c = await campaignOf(r.campaignId);
      const policy = effectivePolicy(c.policy);
      const names = await unitNames(r.listed.map((l) => l.unitId));
      const [sheet] = await sql<{ units: DispatchSheet['units'] }[]>`select units from dispatch_sheets where campaign_id = ${r.campaignId} and seq = ${r.seq}`;
      const cal = await calendars.active();
      const replyBy = replyByDate(r.at, policy.letters, cal);
      const out: IssuedLetter[] = [];
      for (const l of r.listed) {
        const reasons = sheet?.units.find((u) => u.unitId === l.unitId)?.reasons ?? [];
        const unitName = names.get(l.unitId) ?? '';
        for (const type of ['listed_supervision', 'summons'] as const) {
          out.push(
            await issueFor(c, policy, cal, {
              key: `${r.campaignId}:${type}:${l.unitId}:${r.seq}`,
              type,
              at: r.at,
              unitId: l.unitId,
              recipients: [{ unitId: l.unitId, role: 'to' }],
              addressees: [unitName],
              ccNames: [],
              itemIds: [],
              itemSeq: null,
              facts: listingLetterFacts(campaignFacts(c, policy), unitName, l.poorPeriods, reasons, replyBy),
            }),
          );
        }
      }
      return out;
    },

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
      const policy = letter.campaignId ? effectivePolicy((await campaignOf(letter.campaignId)).policy) : effectivePolicy(null);
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
     * The letter's time to sign for it has passed: every addressee (主送) still not signed is a
     * late event, on the letter's trail and in the inbox of the unit and the office — once.
     */    async markReceiptOverdue(r: { letterId: string; at: number }): Promise<string[]> {
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
      const names = await unitNames(late.map((x) => x.unitId));
      for (const { unitId } of late) {
        const key = `receipt_overdue:${r.letterId}:${unitId}`;
        await sql`
          insert into letter_events (key, letter_id, type, unit_id, occurred_at) values (${key}, ${r.letterId}, 'receipt_overdue', ${unitId}, ${new Date(r.at)})
          on conflict do nothing`;
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
    if (d.status === 'sent' || d.status === 'receipted') return { status: d.status, possiblyDuplicated: d.possiblyDuplicated };
    // Failed already: make sure the office was told (an attempt may have died in between).
    if (d.status === 'failed') return tellFailure(d, d.lastError ?? 'failed');
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
    await sql`
      insert into letter_events (key, letter_id, type, unit_id, payload)
      values (${`delivered:${d.id}`}, ${d.letterId}, 'delivered', ${d.unitId},
              ${sql.json({ channel: d.channel, address: d.address, messageId: d.messageId, providerMessageId, possiblyDuplicated: claim.possiblyDuplicated } as never)})
      on conflict do nothing`;
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

export type LetterActivities = ReturnType<typeof createLetterActivities>;

const CHANNEL_LABELS: Record<string, string> = { inbox: '站内信', email: '电子邮件', webhook: 'Webhook', wecom: '企业微信', dingtalk: '钉钉', feishu: '飞书' };

function campaignFacts(c: { title: string; docNumber: string | null }, policy: Policy): CampaignFacts {
  return { campaignTitle: c.title, campaignDocNumber: c.docNumber, officeName: policy.letters.officeName };
}

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
