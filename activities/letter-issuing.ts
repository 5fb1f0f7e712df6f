/**
 * Issuing letters (公文): the document number, the wording and the head, composed from the facts
 * of the step that causes the letter (an item's ladder step, a campaign's dispatch period or
 * listing). Called by the item and campaign workflows; each letter then has its own workflow
 * (workflows/letter.ts) for its deliveries (letter-delivery.ts).
 *
 * The letter row and its number are written in one transaction, keyed by the idempotency key of
 * the step that caused it: a retry, a replay or a worker killed half-way never makes a second
 * letter or a second number. A concurrent duplicate waits on the key's lock and gets the same
 * letter; a failed transaction takes its number back, so the series has no gaps.
 */
import { ApplicationFailure, log } from '@temporalio/activity';
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
import { appendLetterEvent, campaignOf, unitNames, type CampaignRow } from './letter-store';
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

export interface LetterIssuingDeps {
  sql: Sql;
  notifier?: Notifier;
  calendars?: CalendarStore;
  templates?: TemplateStore;
  /**
   * Starts the letter's own workflow (idempotent by its id `letter-<letterId>`): built by the
   * worker from a Temporal client (worker/worker.ts).
   */
  startLetterWorkflow: (letterId: string) => Promise<void>;
}

/**
 * The issuing activities (registered with the worker) and `issueLetter`, the numbering
 * transaction they share: internal, not an activity — no workflow issues a bare letter.
 */
export function createLetterIssuing(deps: LetterIssuingDeps) {
  const { sql } = deps;
  const notifier = deps.notifier ?? inboxNotifier(sql);
  const calendars = deps.calendars ?? createCalendarStore(sql);
  const templates = deps.templates ?? createTemplateStore(sql);

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
      await appendLetterEvent(tx as unknown as Sql, { key: `issued:${id}`, letterId: id, type: 'issued', payload: { docNumber, templateVersion: r.templateVersion } });
      return { id, idempotencyKey: r.idempotencyKey, type: r.type, docNumber, number, year, issuedOn: r.issuedOn, created: true };
    }) as Promise<IssuedLetter>;
  }

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
      await appendLetterEvent(sql, { key: `template_fallback:${letter.id}`, letterId: letter.id, type: 'template_fallback', payload: { reason: w.fallback } });
    }
    if (letter.created) log.info('letter issued', { letterId: letter.id, docNumber: letter.docNumber, type: o.type, key: o.key });
    // Also on a retry: the attempt that issued it may have died before starting its workflow.
    await deps.startLetterWorkflow(letter.id);
    return letter;
  }

  const activities = {
    /** The letter a ladder step (提醒函, 催办函, 督办函, 约谈通知) sends the lead unit, copied to the co-operating ones. */
    async issueStepLetter(r: StepLetterRequest): Promise<IssuedLetter> {
      const [item] = await sql<{ campaignId: string; number: string; content: string; policy: Partial<PolicyInput> | null }[]>`
        select campaign_id, number, content, policy from items where id = ${r.itemId}`;
      if (!item) throw ApplicationFailure.nonRetryable(`item ${r.itemId} not found`);
      const c = await campaignOf(sql, item.campaignId);
      const policy = effectivePolicy(c.policy, item.policy);
      const at = Date.parse(r.occurredAt);
      const leads = r.units.filter((u) => u.role === 'lead').map((u) => u.unitId);
      const cos = policy.letters.copyCoUnits ? r.units.filter((u) => u.role === 'co').map((u) => u.unitId) : [];
      const names = await unitNames(sql, [...leads, ...cos]);
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
      const c = await campaignOf(sql, r.campaignId);
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
      const c = await campaignOf(sql, r.campaignId);
      const policy = effectivePolicy(c.policy);
      const names = await unitNames(sql, r.listed.map((l) => l.unitId));
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

  };

  return { issueLetter, activities };
}

export type LetterIssuingActivities = ReturnType<typeof createLetterIssuing>['activities'];

function campaignFacts(c: { title: string; docNumber: string | null }, policy: Policy): CampaignFacts {
  return { campaignTitle: c.title, campaignDocNumber: c.docNumber, officeName: policy.letters.officeName };
}
