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
import { assignmentLetterFacts, bulletinFacts, itemLetterFacts, listingLetterFacts, missingOf, type CampaignFacts, type OwnBulletin } from '../domain/letters/facts';
import { campaignCadences, type RatingBasis } from '../domain/cadences';
import { dropReason, type AssignmentBatch, type AssignmentLetterRequest, type BatchEntry, type UnitLetterBatch } from '../domain/letters/batch';
import { collectForMs, issuerOf } from '../domain/letters/policy';
import { chineseDate, DOC_KIND, docNumberText, LETTER_TYPE_LABELS, type LetterType } from '../domain/letters/types';
import type { ItemState, ItemStatus, ItemUnit } from '../domain/item-lifecycle';
import type { DispatchSheet } from '../domain/dispatch';
import { effectivePolicy, type LadderStepName, type Policy } from '../domain/policy';
import { receiptDueAt, replyByDate } from '../domain/schedule';
import { daysBetween, dateOf } from '../domain/time';
import type { WorkCalendar } from '../domain/calendar';
import { createCalendarStore, type CalendarStore } from '../infra/calendar-store';
import type { Sql } from '../infra/db';
import { createTemplateStore, type TemplateStore } from '../infra/template-store';
import { ratedUnits } from './campaign';
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
  state: Pick<ItemState, 'deadlineDate' | 'deadlineVersion' | 'progressPercent' | 'lastReportAt' | 'status'>;
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
  /**
   * Puts a ladder step into its unit's letter: signal-with-start of the unit-letter workflow
   * (workflows/unit-letter.ts), built by the worker from a Temporal client.
   */
  enlistInUnitLetter?: (batch: UnitLetterBatch, entry: BatchEntry) => Promise<void>;
}

export interface UnitLetterRequest extends UnitLetterBatch {
  /** The letter's idempotency key: the batch's run and round. */
  batchKey: string;
  entries: BatchEntry[];
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

  /**
   * The letter already issued under this key, its workflow (re)started: an activity retried after
   * the numbering transaction committed returns that letter instead of deciding afresh.
   */
  async function resumeIssued(key: string): Promise<{ id: string; itemIds: string[] } | null> {
    const [row] = await sql<{ id: string; itemIds: string[] }[]>`select id, item_ids from letters where idempotency_key = ${key}`;
    if (!row) return null;
    await deps.startLetterWorkflow(row.id);
    return row;
  }

  /** A letter to one unit (主送), copied to others (抄送): its recipients and the names its head prints. */
  function toUnit(unitId: string, cos: string[], names: Map<string, string>) {
    return {
      unitId,
      recipients: [{ unitId, role: 'to' as const }, ...cos.map((u) => ({ unitId: u, role: 'cc' as const }))],
      addressees: [names.get(unitId) ?? ''],
      ccNames: cos.map((u) => names.get(u) ?? ''),
    };
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
    /**
     * A ladder step's letter (提醒函, 催办函, 督办函, 约谈通知): the step joins each lead unit's
     * letter of that rung and day (workflows/unit-letter.ts), which lists every item of the unit
     * that fell due on that rung that day. (Kept under its name: item workflows call it.)
     */
    async issueStepLetter(r: StepLetterRequest): Promise<{ enlisted: string[] }> {
      if (!deps.enlistInUnitLetter) throw new Error('issueStepLetter needs enlistInUnitLetter (a Temporal client)');
      const [item] = await sql<{ campaignId: string }[]>`select campaign_id from items where id = ${r.itemId}`;
      if (!item) throw ApplicationFailure.nonRetryable(`item ${r.itemId} not found`);
      const c = await campaignOf(sql, item.campaignId);
      const at = Date.parse(r.occurredAt);
      // One collecting window per campaign: every item of the unit closes with the same batch.
      const collectMs = collectForMs(effectivePolicy(c.policy).letters);
      const closeAt = at + collectMs;
      const leads = r.units.filter((u) => u.role === 'lead').map((u) => u.unitId);
      for (const unitId of leads) {
        await deps.enlistInUnitLetter(
          { campaignId: c.id, unitId, rung: r.ladderStep, day: dateOf(at), closeAt, collectMs },
          { itemId: r.itemId, stepKey: r.idempotencyKey, deadlineVersion: r.state.deadlineVersion, occurredAt: r.occurredAt },
        );
      }
      return { enlisted: leads };
    },

    /**
     * Writes a unit's ladder letter from the steps its batch collected: those still due (an item
     * closed, submitted, paused, given a new deadline or reassigned meanwhile drops out), each
     * claimed for this letter in PostgreSQL so no step is ever listed twice for a unit, numbered
     * once under the batch's key. Nothing left: no letter.
     */
    async issueUnitLetter(r: UnitLetterRequest): Promise<{ letterId: string | null; listed: number; dropped: number }> {
      // A retry after the letter was numbered: the same letter, whatever the items did since.
      const issued = await resumeIssued(r.batchKey);
      if (issued) return { letterId: issued.id, listed: issued.itemIds.length, dropped: r.entries.length - issued.itemIds.length };
      const ids = [...new Set(r.entries.map((e) => e.itemId))];
      const rows = await sql<{ id: string; number: string; content: string; status: ItemStatus; deadlineVersion: number; pausedReason: string | null; deadlineDate: string | null; progressPercent: number; lastReportAt: string | null; leads: string[]; cos: string[]; ord: string }[]>`
        select i.id, i.number, i.content, s.status, s.deadline_version, s.paused_reason, s.deadline_date::text, s.progress_percent, s.last_report_at, i.ord,
               coalesce(array_agg(iu.unit_id) filter (where iu.role = 'lead'), '{}') as leads,
               coalesce(array_agg(iu.unit_id) filter (where iu.role = 'co'), '{}') as cos
        from items i join item_states s on s.item_id = i.id left join item_units iu on iu.item_id = i.id
        where i.id = any(${ids}::uuid[]) group by i.id, s.item_id order by i.ord`;
      const byId = new Map(rows.map((x) => [x.id, x]));
      const due: BatchEntry[] = [];
      let dropped = 0;
      for (const e of r.entries) {
        const x = byId.get(e.itemId);
        const why = dropReason(e, r.unitId, x && { status: x.status, deadlineVersion: x.deadlineVersion, paused: x.pausedReason !== null, leadUnits: x.leads });
        if (why) {
          dropped++;
          log.info('ladder step left out of its unit letter', { batchKey: r.batchKey, itemId: e.itemId, stepKey: e.stepKey, reason: why });
        } else due.push(e);
      }
      // Claim the steps for this batch; a step another batch claimed first stays in that letter.
      if (due.length) {
        await sql`insert into letter_batch_entries ${sql(due.map((e) => ({ stepKey: e.stepKey, unitId: r.unitId, itemId: e.itemId, batchKey: r.batchKey })))}
                  on conflict (step_key, unit_id) do nothing`;
      }
      const ours = new Set(
        (await sql<{ stepKey: string }[]>`select step_key from letter_batch_entries where batch_key = ${r.batchKey} and unit_id = ${r.unitId}`).map((x) => x.stepKey),
      );
      const listed = due.filter((e) => ours.has(e.stepKey));
      dropped += due.length - listed.length;
      if (!listed.length) return { letterId: null, listed: 0, dropped };

      const items = [...new Set(listed.map((e) => e.itemId))].map((id) => byId.get(id)!).sort((a, b) => Number(a.ord) - Number(b.ord));
      const c = await campaignOf(sql, r.campaignId);
      const policy = effectivePolicy(c.policy);
      const cal = await calendars.active();
      const at = r.closeAt;
      const cos = policy.letters.copyCoUnits ? [...new Set(items.flatMap((i) => i.cos))].filter((u) => u !== r.unitId) : [];
      const names = await unitNames(sql, [r.unitId, ...cos]);
      const unitName = names.get(r.unitId) ?? '';
      const facts = itemLetterFacts(
        campaignFacts(c, policy),
        unitName,
        items.map((i) => ({
          number: i.number,
          content: i.content,
          deadlineDate: i.deadlineDate,
          daysLate: i.deadlineDate ? Math.max(0, daysBetween(i.deadlineDate, dateOf(at))) : 0,
          missing: missingOf({ status: i.status, progressPercent: i.progressPercent, lastReportAt: i.lastReportAt }),
        })),
        replyByDate(at, policy.letters, cal),
      );
      const letter = await issueFor(c, policy, cal, {
        key: r.batchKey,
        type: r.rung,
        at,
        ...toUnit(r.unitId, cos, names),
        itemIds: items.map((i) => i.id),
        itemSeq: null,
        facts,
      });
      return { letterId: letter.id, listed: listed.length, dropped };
    },

    /**
     * The units an assignment batch writes to (workflows/assignment-letters.ts): every lead unit
     * of its items, and with `coUnitsAtAssignment: 'own_letter'` every co-operating unit too.
     * Nothing when the campaign's policy says no letters at assignment.
     */
    async planAssignmentLetters(b: AssignmentBatch): Promise<string[]> {
      const c = await campaignOf(sql, b.campaignId);
      const letters = effectivePolicy(c.policy).letters;
      if (!letters.atAssignment) return [];
      const roles = letters.coUnitsAtAssignment === 'own_letter' ? ['lead', 'co'] : ['lead'];
      const rows = await sql<{ unitId: string }[]>`
        select iu.unit_id from items i join item_units iu on iu.item_id = i.id
        where i.assign_batch = ${b.batchId} and i.campaign_id = ${b.campaignId} and iu.role in ${sql(roles)}
        group by iu.unit_id order by min(i.ord), iu.unit_id`;
      return rows.map((r) => r.unitId);
    },

    /**
     * One unit's 整改工作提醒函 of an assignment batch: the items of the batch it leads (and, with
     * `own_letter`, supports), in the list's order, with their deadlines; copied to the items'
     * co-operating units unless they have letters of their own. Items cancelled since are left
     * out; nothing left, no letter. Keyed `assign:<batch>:<unit>`.
     */
    async issueAssignmentLetter(r: AssignmentLetterRequest): Promise<{ letterId: string | null; items: number }> {
      const key = `assign:${r.batchId}:${r.unitId}`;
      const issued = await resumeIssued(key);
      if (issued) return { letterId: issued.id, items: issued.itemIds.length };
      // The deadlines are the item workflows' to resolve (a phrase, an offset, the calendar): wait
      // until every item of the unit's part of the batch has been planned by its workflow.
      const [waiting] = await sql<{ n: number }[]>`
        select count(*)::int as n from items i join item_states s on s.item_id = i.id join item_units iu on iu.item_id = i.id and iu.unit_id = ${r.unitId}
        where i.assign_batch = ${r.batchId} and i.campaign_id = ${r.campaignId} and s.last_seq = 0 and s.status <> 'cancelled'`;
      if (waiting!.n > 0) throw ApplicationFailure.retryable(`${waiting!.n} item(s) of the batch not planned by their workflows yet`, 'ItemsNotPlanned');
      const c = await campaignOf(sql, r.campaignId);
      const policy = effectivePolicy(c.policy);
      const ownLetters = policy.letters.coUnitsAtAssignment === 'own_letter';
      const rows = await sql<{ id: string; number: string; content: string; deadlineDate: string | null; role: 'lead' | 'co'; cos: string[] }[]>`
        select i.id, i.number, i.content, s.deadline_date::text, iu.role,
               coalesce((select array_agg(o.unit_id order by o.unit_id) from item_units o where o.item_id = i.id and o.role = 'co'), '{}') as cos
        from items i join item_states s on s.item_id = i.id join item_units iu on iu.item_id = i.id and iu.unit_id = ${r.unitId}
        where i.assign_batch = ${r.batchId} and i.campaign_id = ${r.campaignId} and s.status <> 'cancelled'
          ${ownLetters ? sql`` : sql`and iu.role = 'lead'`}
        order by i.ord`;
      if (!rows.length) return { letterId: null, items: 0 };
      const cal = await calendars.active();
      const at = Date.parse(r.at);
      const cos = ownLetters || !policy.letters.copyCoUnits ? [] : [...new Set(rows.filter((x) => x.role === 'lead').flatMap((x) => x.cos))].filter((u) => u !== r.unitId);
      const names = await unitNames(sql, [r.unitId, ...cos]);
      const unitName = names.get(r.unitId) ?? '';
      const facts = assignmentLetterFacts(
        campaignFacts(c, policy),
        unitName,
        rows.map((x) => ({ number: x.number, content: x.content, deadlineDate: x.deadlineDate, role: x.role })),
        replyByDate(at, policy.letters, cal),
      );
      const letter = await issueFor(c, policy, cal, {
        key,
        type: 'assignment_letter',
        at,
        ...toUnit(r.unitId, cos, names),
        itemIds: rows.map((x) => x.id),
        itemSeq: null,
        facts,
      });
      return { letterId: letter.id, items: rows.length };
    },

    /**
     * The bulletin (通报) of one dispatch period, to every unit on its sheet; none for an empty
     * sheet. With `since` the bulletin has its own cadence (a month of weekly sheets): `seq` is the
     * bulletin's own number, its figures the latest sheet's by `at`, with the evaluation (考评)
     * that closed in (since, at], if one did.
     */
    async issueBulletin(r: { campaignId: string; seq: number; at: number; since?: number }): Promise<IssuedLetter | null> {
      const c = await campaignOf(sql, r.campaignId);
      const policy = effectivePolicy(c.policy);
      const [sheet] =
        r.since === undefined
          ? await sql<Pick<DispatchSheet, 'seq' | 'periodStart' | 'periodEnd' | 'totals' | 'units'>[]>`
              select seq, period_start, period_end, totals, units from dispatch_sheets where campaign_id = ${r.campaignId} and seq = ${r.seq}`
          : await sql<Pick<DispatchSheet, 'seq' | 'periodStart' | 'periodEnd' | 'totals' | 'units'>[]>`
              select seq, period_start, period_end, totals, units from dispatch_sheets
              where campaign_id = ${r.campaignId} and period_end > ${new Date(r.since)} and period_end <= ${new Date(r.at)} order by seq desc limit 1`;
      if (!sheet || !sheet.units.length) return null;
      // Listed as of the bulletin: listings are dated, whatever their periods count.
      const listed = await sql<{ name: string }[]>`
        select u.name from listed_supervisions l join units u on u.id = l.unit_id
        where l.campaign_id = ${r.campaignId} and l.listed_at <= ${new Date(r.at)} and (l.delisted_at is null or l.delisted_at > ${new Date(r.at)})
        order by l.listed_at, u.name`;
      let own: OwnBulletin | undefined;
      if (r.since !== undefined) {
        const [evaluation] = await sql<NonNullable<OwnBulletin['evaluation']>[]>`
          select seq, period_start, period_end, units from evaluations
          where campaign_id = ${r.campaignId} and period_end > ${new Date(r.since)} and period_end <= ${new Date(r.at)} order by seq desc limit 1`;
        own = {
          seq: r.seq,
          periodStart: new Date(r.since).toISOString(),
          periodEnd: new Date(r.at).toISOString(),
          evaluation: evaluation ?? null,
          ratedIn: campaignCadences(policy).rating ? '考评' : null,
        };
      }
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
        facts: bulletinFacts(campaignFacts(c, policy), sheet, listed.map((l) => l.name), own),
      });
    },

    /** The listed-supervision notice (挂牌督办通知) and the summons (约谈通知) for each unit listed in a period. */
    async issueListingLetters(r: { campaignId: string; seq: number; at: number; listed: { unitId: string; poorPeriods: number[] }[]; basis?: RatingBasis }): Promise<IssuedLetter[]> {
      if (!r.listed.length) return [];
      const c = await campaignOf(sql, r.campaignId);
      const policy = effectivePolicy(c.policy);
      // 联系部门: a listed unit's contact department is summoned too (双约谈) and copied the notice.
      const contacts = new Map(
        (await sql<{ id: string; contactUnitId: string | null }[]>`select id, contact_unit_id from units where id in ${sql(r.listed.map((l) => l.unitId))}`).map((u) => [u.id, u.contactUnitId]),
      );
      const names = await unitNames(sql, [...r.listed.map((l) => l.unitId), ...[...contacts.values()].filter((c): c is string => c !== null)]);
      const basis = r.basis ?? 'dispatch';
      const rated = await ratedUnits(sql, r.campaignId, basis, r.seq);
      const cal = await calendars.active();
      const replyBy = replyByDate(r.at, policy.letters, cal);
      const out: IssuedLetter[] = [];
      for (const l of r.listed) {
        const reasons = rated.find((u) => u.unitId === l.unitId)?.reasons ?? [];
        const unitName = names.get(l.unitId) ?? '';
        const contact = contacts.get(l.unitId) ?? null;
        const contactName = contact ? (names.get(contact) ?? '') : '';
        for (const type of ['listed_supervision', 'summons'] as const) {
          const both = type === 'summons' && contact !== null;
          out.push(
            await issueFor(c, policy, cal, {
              key: `${r.campaignId}:${type}:${l.unitId}:${r.seq}`,
              type,
              at: r.at,
              unitId: l.unitId,
              // The summons is addressed to both heads; the listing notice copied to the contact department.
              recipients: [{ unitId: l.unitId, role: 'to' }, ...(contact ? [{ unitId: contact, role: both ? ('to' as const) : ('cc' as const) }] : [])],
              addressees: both ? [unitName, contactName] : [unitName],
              ccNames: contact && !both ? [contactName] : [],
              itemIds: [],
              itemSeq: null,
              facts: listingLetterFacts(campaignFacts(c, policy), unitName, l.poorPeriods, reasons, replyBy, contactName, basis),
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
