/**
 * The campaign workflow's activities: plan the dispatch periods on the calendar, compile a
 * period's dispatch sheet from the read model (stored once, returned as stored on a retry),
 * record listings and delistings with their notices as keyed intents, and write the close-out
 * summary. Every write is keyed by campaign and period.
 */
import { log } from '@temporalio/activity';
import type { RatingBasis } from '../domain/cadences';
import { buildSheet, dispatchInstants, type DispatchPlanInput, type DispatchSheet, type PartFacts } from '../domain/dispatch';
import { evaluate, type Evaluation } from '../domain/evaluation';
import { delistingNoticeText, listingNoticeText, type ListingFacts } from '../domain/notices';
import type { Principal } from '../domain/principal';
import type { Rating, RatingRules } from '../domain/ratings';
import type { CalendarStore } from '../infra/calendar-store';
import type { Sql } from '../infra/db';
import type { Notifier } from './notifier';

export interface CompileRequest {
  campaignId: string;
  seq: number;
  periodStart: number;
  periodEnd: number;
  rules: RatingRules;
  policyVersion: string;
}

/** What the workflow keeps of a sheet: enough to rate and decide, not the sheet itself. */
export interface CompiledSheet {
  seq: number;
  ratings: { unitId: string; rating: Rating; reasons: string[] }[];
  openItems: number;
}

/** What the workflow keeps of an evaluation (考评): the ratings that listing counts. */
export interface CompiledEvaluation {
  seq: number;
  ratings: { unitId: string; rating: Rating; reasons: string[] }[];
}

export interface ListingRequest {
  campaignId: string;
  /** The dispatch period or the evaluation (`basis`) that decided. */
  seq: number;
  /** Absent: dispatch periods (campaigns rated on each sheet, and every listing before evaluations). */
  basis?: RatingBasis;
  at: number;
  listed: { unitId: string; poorPeriods: number[] }[];
  delisted: { unitId: string; listedSince: number; by: 'rule' | Principal; reason?: string }[];
}

export interface DelistingStep {
  campaignId: string;
  unitId: string;
  listedSeq: number;
  requestNo: number;
  step: 'applied' | 'review_passed' | 'review_failed' | 'delisted';
  note: string;
  actor: Principal;
  at: number;
}

/** The rows (with each unit's reasons) of the sheet or evaluation that decided a listing. */
export async function ratedUnits(sql: Sql, campaignId: string, basis: RatingBasis, seq: number): Promise<{ unitId: string; reasons: string[] }[]> {
  const [row] =
    basis === 'evaluation'
      ? await sql<{ units: Evaluation['units'] }[]>`select units from evaluations where campaign_id = ${campaignId} and seq = ${seq}`
      : await sql<{ units: DispatchSheet['units'] }[]>`select units from dispatch_sheets where campaign_id = ${campaignId} and seq = ${seq}`;
  return row?.units ?? [];
}

export function createCampaignActivities({ sql, notifier, calendars }: { sql: Sql; notifier: Notifier; calendars: CalendarStore }) {
  async function readParts(campaignId: string, start: number, end: number): Promise<PartFacts[]> {
    const rows = await sql<
      { itemId: string; number: string; unitId: string; unitName: string; role: 'lead' | 'co'; status: string; dueAt: string | null; assignedAt: string | null; closedAt: string | null; progressPercent: number; reported: boolean }[]
    >`
      select i.id as item_id, i.number, iu.unit_id, u.name as unit_name, iu.role, st.status, st.due_at, st.progress_percent,
             (select e.occurred_at from item_events e where e.item_id = i.id and e.seq = 1) as assigned_at,
             (select max(e.occurred_at) from item_events e where e.item_id = i.id and e.type = 'close' and e.occurred_at <= ${new Date(end)}) as closed_at,
             exists (select 1 from item_events e where e.item_id = i.id and e.type = 'reportProgress' and e.actor_unit_id = iu.unit_id
                       and e.occurred_at > ${new Date(start)} and e.occurred_at <= ${new Date(end)}) as reported
      from items i
      join item_states st on st.item_id = i.id
      join item_units iu on iu.item_id = i.id
      join units u on u.id = iu.unit_id
      where i.campaign_id = ${campaignId}`;
    return rows.map((r) => ({
      itemId: r.itemId,
      number: r.number,
      unitId: r.unitId,
      unitName: r.unitName,
      role: r.role,
      status: r.status,
      dueAt: r.dueAt === null ? null : Date.parse(r.dueAt),
      assignedAt: r.assignedAt === null ? end : Date.parse(r.assignedAt),
      closedAt: r.closedAt === null ? null : Date.parse(r.closedAt),
      progressPercent: r.progressPercent,
      reportedInPeriod: r.reported,
    }));
  }

  const compact = (s: Pick<DispatchSheet, 'seq' | 'units'>, openItems: number): CompiledSheet => ({
    seq: s.seq,
    ratings: s.units.map((u) => ({ unitId: u.unitId, rating: u.rating, reasons: u.reasons })),
    openItems,
  });

  async function intend(key: string, campaignId: string, unitId: string | null, kind: ListingFacts['kind'], seq: number, payload: object): Promise<boolean> {
    const [row] = await sql<{ status: string }[]>`
      insert into campaign_steps (idempotency_key, campaign_id, unit_id, kind, seq, payload)
      values (${key}, ${campaignId}, ${unitId}, ${kind}, ${seq}, ${sql.json(payload as never)})
      on conflict (idempotency_key) do update set idempotency_key = excluded.idempotency_key
      returning status`;
    return row!.status === 'sent';
  }

  async function notifyOnce(key: string, campaignId: string, recipients: string[], facts: ListingFacts): Promise<void> {
    const { title, body } = listingNoticeText(facts);
    // The unit and the supervising office both get the notice (recipients + office).
    await notifier.notify({ idempotencyKey: key, itemId: null, campaignId, recipients, title, body });
    if (recipients.length) await notifier.notify({ idempotencyKey: key, itemId: null, campaignId, recipients: [], title, body });
    await sql`update campaign_steps set status = 'sent', sent_at = now() where idempotency_key = ${key} and status = 'intended'`;
  }

  return {
    /** The next period-closing instants on the active calendar (recorded in history). */
    async planDispatch(input: DispatchPlanInput): Promise<number[]> {
      return dispatchInstants(input, await calendars.active());
    },

    /**
     * Compiles period `seq`'s dispatch sheet as of its end and stores it; if it is already
     * stored (a retry, a replay), the stored sheet is the answer — a sheet never changes.
     */
    async compileDispatchSheet(r: CompileRequest): Promise<CompiledSheet> {
      const openItems = async () =>
        (await sql<{ n: number }[]>`
          select count(*)::int as n from items i join item_states st on st.item_id = i.id
          where i.campaign_id = ${r.campaignId} and st.status in ('assigned', 'acknowledged', 'in_progress', 'submitted')`)[0]!.n;
      const [stored] = await sql<{ seq: number; units: DispatchSheet['units'] }[]>`
        select seq, units from dispatch_sheets where campaign_id = ${r.campaignId} and seq = ${r.seq}`;
      if (stored) return compact(stored, await openItems());
      const started = Date.now();
      const parts = await readParts(r.campaignId, r.periodStart, r.periodEnd);
      const sheet = buildSheet(parts, { seq: r.seq, start: r.periodStart, end: r.periodEnd }, r.rules);
      await sql`
        insert into dispatch_sheets (campaign_id, seq, period_start, period_end, policy_version, totals, units)
        values (${r.campaignId}, ${r.seq}, ${sheet.periodStart}, ${sheet.periodEnd}, ${r.policyVersion},
                ${sql.json(sheet.totals as never)}, ${sql.json(sheet.units as never)})
        on conflict (campaign_id, seq) do nothing`;
      const [kept] = await sql<{ units: DispatchSheet['units'] }[]>`select units from dispatch_sheets where campaign_id = ${r.campaignId} and seq = ${r.seq}`;
      log.info('dispatch sheet compiled', { campaignId: r.campaignId, seq: r.seq, units: sheet.units.length, items: sheet.totals.items, ms: Date.now() - started });
      return compact({ seq: r.seq, units: kept!.units }, await openItems());
    },

    /**
     * Compiles evaluation `seq` (考评) from the dispatch sheets that closed in its period and stores
     * it; stored already (a retry, a replay): the stored one is the answer. A period with no sheet
     * (a rating more frequent than dispatch) is judged on the facts of the period itself.
     */
    async compileEvaluation(r: CompileRequest): Promise<CompiledEvaluation> {
      const keep = (e: Pick<Evaluation, 'seq' | 'units'>): CompiledEvaluation => ({ seq: e.seq, ratings: e.units.map((u) => ({ unitId: u.unitId, rating: u.rating, reasons: u.reasons })) });
      const [stored] = await sql<{ seq: number; units: Evaluation['units'] }[]>`select seq, units from evaluations where campaign_id = ${r.campaignId} and seq = ${r.seq}`;
      if (stored) return keep(stored);
      let sheets: Pick<DispatchSheet, 'seq' | 'units'>[] = await sql<{ seq: number; units: DispatchSheet['units'] }[]>`
        select seq, units from dispatch_sheets
        where campaign_id = ${r.campaignId} and period_end > ${new Date(r.periodStart)} and period_end <= ${new Date(r.periodEnd)} order by seq`;
      if (!sheets.length) sheets = [buildSheet(await readParts(r.campaignId, r.periodStart, r.periodEnd), { seq: 0, start: r.periodStart, end: r.periodEnd }, r.rules)];
      const e = evaluate(sheets, { seq: r.seq, start: r.periodStart, end: r.periodEnd }, r.rules);
      await sql`
        insert into evaluations (campaign_id, seq, period_start, period_end, policy_version, sheet_seqs, totals, units)
        values (${r.campaignId}, ${r.seq}, ${e.periodStart}, ${e.periodEnd}, ${r.policyVersion}, ${e.sheetSeqs.filter((s) => s > 0)}::int[],
                ${sql.json(e.totals as never)}, ${sql.json(e.units as never)})
        on conflict (campaign_id, seq) do nothing`;
      const [kept] = await sql<{ seq: number; units: Evaluation['units'] }[]>`select seq, units from evaluations where campaign_id = ${r.campaignId} and seq = ${r.seq}`;
      log.info('evaluation compiled', { campaignId: r.campaignId, seq: r.seq, sheets: e.sheetSeqs.length, units: e.units.length });
      return keep(kept!);
    },

    /**
     * One step of a 摘牌 application (applied, reviewed, decided), recorded once, and told: the
     * office of an application, the unit (and the office) of its review; the decision is told by
     * the 摘牌 notice of the delisting itself.
     */
    async recordDelistingStep(s: DelistingStep): Promise<void> {
      await sql`
        insert into delisting_steps (campaign_id, unit_id, listed_seq, request_no, step, note, actor, at)
        values (${s.campaignId}, ${s.unitId}, ${s.listedSeq}, ${s.requestNo}, ${s.step}, ${s.note}, ${s.actor.name}, ${new Date(s.at)})
        on conflict do nothing`;
      // The decision is told by the listing's own 摘牌 notice (recordListing): recorded here only.
      if (s.step === 'delisted') return;
      const [row] = await sql<{ title: string; unitName: string }[]>`
        select c.title, u.name as unit_name from campaigns c, units u where c.id = ${s.campaignId} and u.id = ${s.unitId}`;
      const { title, body } = delistingNoticeText(s.step, row?.unitName ?? '', row?.title ?? '', s.note);
      const key = `delisting:${s.campaignId}:${s.unitId}:${s.listedSeq}:${s.requestNo}:${s.step}`;
      if (s.step !== 'applied') await notifier.notify({ idempotencyKey: key, itemId: null, campaignId: s.campaignId, recipients: [s.unitId], title, body });
      await notifier.notify({ idempotencyKey: key, itemId: null, campaignId: s.campaignId, recipients: [], title, body });
    },

    async recordListing(r: ListingRequest): Promise<void> {
      const [c] = await sql<{ title: string }[]>`select title from campaigns where id = ${r.campaignId}`;
      const ids = [...r.listed.map((l) => l.unitId), ...r.delisted.map((d) => d.unitId)];
      const units = await sql<{ id: string; name: string; contactUnitId: string | null; contactName: string | null }[]>`
        select u.id, u.name, u.contact_unit_id, cu.name as contact_name from units u left join units cu on cu.id = u.contact_unit_id where u.id in ${sql(ids)}`;
      const names = new Map(units.map((u) => [u.id, u.name]));
      const contacts = new Map(units.map((u) => [u.id, u.contactUnitId ? { id: u.contactUnitId, name: u.contactName ?? '' } : null]));
      const basis = r.basis ?? 'dispatch';
      const rated = r.listed.length ? await ratedUnits(sql, r.campaignId, basis, r.seq) : [];
      const at = new Date(r.at);
      for (const l of r.listed) {
        const reasons = rated.find((u) => u.unitId === l.unitId)?.reasons ?? [];
        await sql`
          insert into listed_supervisions (campaign_id, unit_id, listed_seq, listed_at, poor_periods, basis)
          values (${r.campaignId}, ${l.unitId}, ${r.seq}, ${at}, ${l.poorPeriods}::int[], ${basis})
          on conflict do nothing`;
        const contact = contacts.get(l.unitId) ?? null;
        const facts = { campaignTitle: c!.title, unitName: names.get(l.unitId) ?? '', poorPeriods: l.poorPeriods, basis, reasons, contactUnitName: contact?.name ?? null };
        for (const kind of ['listed_supervision', 'summons'] as const) {
          const key = `${r.campaignId}:${kind}:${l.unitId}:${r.seq}`;
          if (await intend(key, r.campaignId, l.unitId, kind, r.seq, { poorPeriods: l.poorPeriods, reasons })) continue;
          // 双约谈: the contact department (联系部门) is summoned too and copied the listing: it hears of both.
          await notifyOnce(key, r.campaignId, contact ? [l.unitId, contact.id] : [l.unitId], { kind, ...facts });
        }
        log.info('unit listed', { campaignId: r.campaignId, unitId: l.unitId, seq: r.seq });
      }
      for (const d of r.delisted) {
        const by = d.by === 'rule' ? 'rule' : d.by.name;
        await sql`
          update listed_supervisions set delisted_at = ${at}, delisted_seq = ${r.seq}, delisted_by = ${by}, delist_reason = ${d.reason ?? null}
          where campaign_id = ${r.campaignId} and unit_id = ${d.unitId} and listed_seq = ${d.listedSince} and delisted_at is null`;
        const key = `${r.campaignId}:delisted:${d.unitId}:${d.listedSince}`;
        if (await intend(key, r.campaignId, d.unitId, 'delisted', r.seq, { listedSince: d.listedSince, by, reason: d.reason ?? null })) continue;
        await notifyOnce(key, r.campaignId, [d.unitId], {
          kind: 'delisted',
          campaignTitle: c!.title,
          unitName: names.get(d.unitId) ?? '',
          poorPeriods: [],
          basis,
          reasons: [],
          delistedBy: by,
          delistReason: d.reason ?? null,
        });
        log.info('unit delisted', { campaignId: r.campaignId, unitId: d.unitId, by });
      }
    },

    /** The close-out summary (总结): the last sheet's totals and every listing, written once. */
    async closeCampaign(r: { campaignId: string; lastSeq: number; at: number }): Promise<void> {
      const [sheet] = await sql<{ totals: unknown }[]>`select totals from dispatch_sheets where campaign_id = ${r.campaignId} and seq = ${r.lastSeq}`;
      const [listings] = await sql<{ listed: number; stillListed: number }[]>`
        select count(*)::int as listed, count(*) filter (where delisted_at is null)::int as still_listed
        from listed_supervisions where campaign_id = ${r.campaignId}`;
      const summary = { periods: r.lastSeq, lastSheet: sheet?.totals ?? null, listings };
      await sql`update campaigns set closed_at = ${new Date(r.at)}, summary = ${sql.json(summary as never)} where id = ${r.campaignId} and closed_at is null`;
      log.info('campaign closed', { campaignId: r.campaignId, periods: r.lastSeq });
    },
  };
}
