/**
 * Items: created in PostgreSQL (definition, units, initial read-model row) in one transaction,
 * then each gets its workflow. Actions go to the workflow as Updates; reads come from the read
 * model the workflow's activities keep.
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import { ITEM_STATUS_LABELS, OPEN_STATUSES, isOpen, type ItemAction, type ItemState, type ItemStatus } from '../../domain/item-lifecycle';
import { LIGHT_LABELS, type Light } from '../../domain/lights';
import { effectivePolicy, type PolicyInput } from '../../domain/policy';
import { eventLabel } from '../../domain/timeline';
import { dateOf, daysBetween } from '../../domain/time';
import type { Principal } from '../../domain/principal';
import type { PendingQuery, Row } from 'postgres';
import type { EvidenceService } from './evidence';
import type { Sql } from '../../infra/db';
import { itemUpdates, itemWorkflow, itemWorkflowId, type ItemWorkflowInput } from '../../workflows/item';
import { AppError, badRequest, conflict, notFound, temporalUnavailable, type FieldError } from '../errors';
import { claimIdempotencyKey, principalKey } from './idempotency';
import { createOutbox, type Outbox, type OutboxEntry } from './outbox';
import { assignmentLettersWorkflowId, type AssignmentBatch } from '../../domain/letters/batch';
import { assignmentLettersWorkflow, chunkSignal, sealSignal } from '../../workflows/assignment-letters';
import { isWorkflowGone, temporalFailure } from './temporal-errors';
import { temporalProbe, type TemporalProbe } from './temporal-probe';
import type { ItemDto, ItemInput } from '../routes/items/schemas';
import type { UnitService } from './units';
import { currentState, notYetStarted, viewAt, type StateSource } from './as-of';

/**
 * How long an action waits for a worker to accept or refuse it. Past this the API answers 503;
 * the update may still be applied when a worker returns, which is why clients should send an
 * Idempotency-Key (the update id) and repeat the request with it.
 */
const ACTION_TIMEOUT_MS = 20_000;

/** `ord` is a bigint: postgres.js hands it over as a string. */
type ItemRow = Omit<ItemDto, 'statusLabel' | 'lightLabel' | 'overdueDays'> & { ord: string };

export function createItemService(deps: {
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  temporalUiUrl: string;
  namespace: string;
  units: UnitService;
  /** Default: an outbox without a drainer of its own (the CLI import): the API's drainer finishes what it leaves. */
  outbox?: Outbox;
  probe?: TemporalProbe;
  log?: { warn(o: object, m: string): void; info(o: object, m: string): void };
  /** Required: the files a report cites are resolved by the configured stores (PostgreSQL or S3). */
  evidence: EvidenceService;
  /** "Now" for overdue days and filters (default Date.now; a time-skipping test passes the server's time). */
  clock?: () => number;
}) {
  const { sql, temporal } = deps;
  const { evidence } = deps;
  const clock = deps.clock ?? Date.now;
  const outbox = deps.outbox ?? createOutbox(deps);
  const probe = deps.probe ?? temporalProbe(temporal);

  /**
   * A page of items: the rows first (one index walk on (campaign_id, ord)), then their units in
   * one query — cheaper than building JSON per row in SQL.
   */
  async function selectItems(where: PendingQuery<Row[]>, limit = 1000, view: StateSource = currentState(sql, clock())): Promise<ItemRow[]> {
    const rows = await sql<(Omit<ItemRow, 'units'> & { acknowledgedUnits: string[] })[]>`
      select i.id, i.campaign_id, i.number, i.category, i.content, i.kind, i.deadline, i.workflow_id, i.ord,
             st.status, st.progress_percent, st.last_report_at, st.updated_at, st.deadline_date, st.due_at,
             st.deadline_version, st.light, st.paused_reason, st.pending_extension, st.missed_reports, st.rejections,
             st.look_back_at, st.look_back_due, st.acknowledged_units
      from items i ${view.states}
      ${where}
      order by i.ord
      limit ${limit}`;
    if (!rows.length) return [];
    // Now: the units' rows; as of a past instant: the units the item had then (st joined again).
    const units = await sql<{ itemId: string; unitId: string; name: string; role: 'lead' | 'co'; reports: number | null; lastReportAt: string | null; lastPercent: number | null }[]>`
      select iu.item_id, iu.unit_id, u.name, iu.role, p.reports, p.last_report_at, p.last_percent
      from items i ${view.past ? view.states : sql``} ${view.units} join units u on u.id = iu.unit_id
      ${view.parts}
      where i.id = any(${rows.map((r) => r.id)}::uuid[])
      order by iu.role desc, u.name`;
    const byItem = new Map<string, ItemRow['units']>();
    for (const u of units) {
      const list = byItem.get(u.itemId) ?? [];
      list.push({ unitId: u.unitId, name: u.name, role: u.role, acknowledged: false, reports: u.reports ?? 0, lastReportAt: u.lastReportAt, lastPercent: u.lastPercent });
      byItem.set(u.itemId, list);
    }
    return rows.map(({ acknowledgedUnits, ...r }) => ({
      ...r,
      units: (byItem.get(r.id) ?? []).map((u) => ({ ...u, acknowledged: acknowledgedUnits.includes(u.unitId) })),
    })) as ItemRow[];
  }

  /**
   * Tells an assignment batch's workflow of its import (best effort: a batch not told writes its
   * letters once its import has been quiet for SEAL_TIMEOUT). No such workflow — the campaign
   * has no letters at assignment, or nothing new was created — is nothing to tell.
   */
  async function signalBatch(batchId: string, signal: typeof sealSignal | typeof chunkSignal): Promise<void> {
    try {
      await temporal.workflow.getHandle(assignmentLettersWorkflowId(batchId)).signal(signal);
    } catch (err) {
      if (isWorkflowGone(err)) return;
      deps.log?.warn({ batchId, signal: signal.name, err: String((err as Error)?.message ?? err) }, 'assignment batch not told; its letters go out when its import has been quiet for a while');
    }
  }

  const toDto = ({ ord: _ord, ...r }: ItemRow, today: string = dateOf(clock())): ItemDto => {
    const overdue = r.deadlineDate !== null && isOpen(r.status) && r.deadlineDate < today;
    return {
      ...r,
      statusLabel: ITEM_STATUS_LABELS[r.status],
      lightLabel: LIGHT_LABELS[r.light as Light],
      overdueDays: overdue ? daysBetween(r.deadlineDate!, today) : 0,
    };
  };

  return {
    /**
     * Creates items as one assignment batch: each unit then gets one 整改工作提醒函 listing its
     * items of the batch (workflows/assignment-letters.ts), started through the outbox with the
     * items' workflows. An import passes its own batch, open (`sealed: false`) until its last
     * chunk (`sealBatch`).
     */
    async create(
      campaignId: string,
      inputs: ItemInput[],
      by: Principal,
      opts: { batch?: { id: string; sealed: boolean } } = {},
    ): Promise<{ created: number; existing: number; items: ItemDto[] }> {
      const [campaign] = await sql<{ endDate: string; policy: PolicyInput }[]>`select end_date, policy from campaigns where id = ${campaignId}`;
      if (!campaign) throw notFound('campaign', campaignId);

      // Validate everything before writing anything: unknown units and duplicate numbers.
      const resolved = await deps.units.resolve(inputs.flatMap((i) => [...i.leadUnits, ...i.coUnits]));
      const errors: FieldError[] = [];
      const seen = new Map<string, number>();
      inputs.forEach((item, i) => {
        const dup = seen.get(item.number);
        if (dup !== undefined) errors.push({ path: `body.items.${i}.number`, message: `number "${item.number}" repeats item ${dup}` });
        seen.set(item.number, i);
        for (const field of ['leadUnits', 'coUnits'] as const) {
          item[field].forEach((ref, j) => {
            if (!resolved.has(ref)) errors.push({ path: `body.items.${i}.${field}.${j}`, message: `unknown unit "${ref}": add it to the directory (or as an alias) first` });
          });
        }
        const lead = new Set(item.leadUnits.map((r) => resolved.get(r)));
        item.coUnits.forEach((ref, j) => {
          if (lead.has(resolved.get(ref))) errors.push({ path: `body.items.${i}.coUnits.${j}`, message: `"${ref}" is already a lead unit of this item` });
        });
      });
      if (errors.length) throw badRequest(`${errors.length} problem(s) in the items; nothing was created`, errors);
      // Temporal away: 503 at once, and nothing committed.
      await probe.ensure();

      const toStart: ItemWorkflowInput[] = [];
      const batch = opts.batch ?? { id: crypto.randomUUID(), sealed: true };
      const letters: OutboxEntry[] = [];
      const ids = await sql.begin(async (tx) => {
        const out: string[] = [];
        for (const item of inputs) {
          const units = [
            ...dedupe(item.leadUnits.map((r) => resolved.get(r)!)).map((unitId) => ({ unitId, role: 'lead' as const })),
            ...dedupe(item.coUnits.map((r) => resolved.get(r)!)).map((unitId) => ({ unitId, role: 'co' as const })),
          ];
          const newId = crypto.randomUUID();
          const inserted = await tx<{ id: string }[]>`
            insert into items (id, campaign_id, number, category, content, kind, deadline, workflow_id, policy, assign_batch)
            values (${newId}, ${campaignId}, ${item.number}, ${item.category ?? null}, ${item.content}, ${item.kind},
                    ${item.deadline}, ${itemWorkflowId(newId)}, ${item.policy ? tx.json(item.policy as never) : null}, ${batch.id})
            on conflict (campaign_id, number) do nothing
            returning id`;
          if (!inserted.length) {
            // Same number created before (or concurrently, now committed): leave it as it is.
            const [existing] = await tx<{ id: string }[]>`select id from items where campaign_id = ${campaignId} and number = ${item.number}`;
            out.push(existing!.id);
            continue;
          }
          const row = { id: newId };
          out.push(row.id);
          await tx`insert into item_units ${tx(units.map((u) => ({ itemId: row.id, ...u })))}`;
          await tx`insert into item_states (item_id, status) values (${row.id}, 'assigned')`;
          toStart.push({
            itemId: row.id,
            campaignId,
            kind: item.kind,
            deadline: item.deadline,
            campaignEnd: campaign.endDate,
            policy: effectivePolicy(campaign.policy, item.policy as Partial<PolicyInput> | undefined),
            units,
            assignedBy: by,
          });
        }
        // The workflow starts this commit owes, in the same transaction: the outbox drainer
        // starts whatever the lines below do not (client gone, Temporal away, process killed).
        // The batch's letters (the policy may have them off: the workflow then writes none).
        if (toStart.length && effectivePolicy(campaign.policy).letters.atAssignment) {
          const args: AssignmentBatch = { campaignId, batchId: batch.id, sealed: batch.sealed };
          letters.push({ workflowId: assignmentLettersWorkflowId(batch.id), workflowType: assignmentLettersWorkflow.name, args: [args] });
        }
        await outbox.record(tx as unknown as Sql, [...toStart.map(toOutboxEntry), ...letters]);
        return out;
      });

      // Committed: now the workflows (idempotent). What fails here stays in the outbox and is
      // started by its drainer within seconds — the items are durable either way.
      await outbox.startNow([...toStart.map(toOutboxEntry), ...letters]);
      // An import's batch waits for its next chunk while chunks keep coming.
      if (letters.length && !batch.sealed) await signalBatch(batch.id, chunkSignal);
      const rows = await selectItems(sql`where i.id in ${sql(ids)}`, ids.length);
      const byId = new Map(rows.map((r) => [r.id, toDto(r)]));
      return { created: toStart.length, existing: ids.length - toStart.length, items: ids.map((id) => byId.get(id)!) };
    },

    /**
     * An import's last chunk is written: its batch's letters may go out. Best effort — a batch
     * never sealed writes its letters when its workflow's wait runs out (SEAL_TIMEOUT).
     */
    async sealBatch(batchId: string): Promise<void> {
      await signalBatch(batchId, sealSignal);
    },

    /**
     * Starts the workflow of every item whose 'assigned' event was never recorded: items created
     * before the outbox existed (or whose outbox row was lost). Goes through the outbox, so what
     * Temporal does not take now is started by the drainer.
     */
    async ensureWorkflows(by: Principal): Promise<number> {
      const rows = await sql<{ id: string; campaignId: string; kind: ItemWorkflowInput['kind']; deadline: string | null; endDate: string; campaignPolicy: PolicyInput; policy: Partial<PolicyInput> | null }[]>`
        select i.id, i.campaign_id, i.kind, i.deadline, i.policy, c.end_date, c.policy as campaign_policy
        from items i join item_states st on st.item_id = i.id join campaigns c on c.id = i.campaign_id where st.last_seq = 0`;
      const inputs: ItemWorkflowInput[] = [];
      for (const r of rows) {
        const units = await sql<{ unitId: string; role: 'lead' | 'co' }[]>`select unit_id, role from item_units where item_id = ${r.id} order by role desc, unit_id`;
        inputs.push({
          itemId: r.id,
          campaignId: r.campaignId,
          kind: r.kind,
          deadline: r.deadline,
          campaignEnd: r.endDate,
          policy: effectivePolicy(r.campaignPolicy, r.policy),
          units: [...units],
          assignedBy: by,
        });
      }
      await sql.begin((tx) => outbox.record(tx as unknown as Sql, inputs.map(toOutboxEntry)));
      const r = await outbox.startNow(inputs.map(toOutboxEntry));
      if (r.failed) throw temporalUnavailable(new Error(`${r.failed} item workflow(s) not started yet; the outbox drainer retries`, { cause: r.error }));
      return inputs.length;
    },

    /** One item with its whole timeline; `asOf`: as it stood then, its timeline up to then (回溯). */
    async get(id: string, asOf?: number) {
      const view = viewAt(sql, clock, asOf);
      const [row] = await selectItems(sql`where i.id = ${id}`, 1, view);
      if (!row) {
        if (view.past && (await sql`select 1 from items where id = ${id}`).length) throw notYetStarted(id, view);
        throw notFound('item', id);
      }
      const history = await sql`
        select e.seq, e.type, e.from_status, e.to_status, e.payload, e.occurred_at,
               jsonb_build_object('role', e.actor_role, 'name', e.actor_name, 'unitId', e.actor_unit_id) as actor
        from item_events e where e.item_id = ${id} and ${view.eventBy} order by e.seq`;
      return {
        ...toDto(row, view.today),
        history: history.map((h) => ({ ...h, label: eventLabel(h.type, h.payload) })) as never[],
        links: {
          temporalUi: `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(row.workflowId)}`,
        },
      };
    },

    /** A page of items by filter; `asOf`: as they stood then (回溯), the filters judged as of then. */
    async list(q: { campaignId?: string; unitId?: string; status?: ItemStatus; light?: Light; overdue?: boolean; dueWithinDays?: number; limit: number; after?: number; asOf?: number }) {
      const view = viewAt(sql, clock, q.asOf);
      const today = view.today;
      const conds = [
        q.light ? sql`st.light = ${q.light}` : null,
        q.overdue === true ? sql`st.status in ${sql(OPEN_STATUSES)} and st.deadline_date < ${today}` : null,
        q.overdue === false ? sql`not (st.status in ${sql(OPEN_STATUSES)} and coalesce(st.deadline_date < ${today}, false))` : null,
        q.dueWithinDays !== undefined
          ? sql`st.status in ${sql(OPEN_STATUSES)} and st.deadline_date between ${today} and (${today}::date + ${q.dueWithinDays}::int)`
          : null,
        q.campaignId ? sql`i.campaign_id = ${q.campaignId}` : null,
        q.unitId
          ? view.past
            ? sql`st.units_then @> ${sql.json([{ unitId: q.unitId }] as never)}`
            : sql`exists (select 1 from item_units iu where iu.item_id = i.id and iu.unit_id = ${q.unitId})`
          : null,
        q.status ? sql`st.status = ${q.status}` : null,
        q.after !== undefined ? sql`i.ord > ${q.after}` : null,
      ].filter((c): c is NonNullable<typeof c> => c !== null);
      const where = conds.reduce<PendingQuery<Row[]>>((acc, c, i) => (i === 0 ? sql`where ${c}` : sql`${acc} and ${c}`), sql``);
      const rows = await selectItems(where, q.limit + 1, view);
      const page = rows.slice(0, q.limit);
      return { items: page.map((r) => toDto(r, today)), nextCursor: rows.length > q.limit ? Number(page[page.length - 1]!.ord) : null };
    },

    /** Unit ids of an item (for the access check), or 404. */
    async unitsOf(id: string): Promise<string[]> {
      const [item] = await sql`select 1 from items where id = ${id}`;
      if (!item) throw notFound('item', id);
      const rows = await sql<{ unitId: string }[]>`select unit_id from item_units where item_id = ${id}`;
      return rows.map((r) => r.unitId);
    },

    /** Unit names or aliases → ids for a reassignment (400 for an unknown one). */
    async resolveReassign(input: { leadUnits: string[]; coUnits: string[] }) {
      const resolved = await deps.units.resolve([...input.leadUnits, ...input.coUnits]);
      const errors: FieldError[] = [];
      for (const field of ['leadUnits', 'coUnits'] as const) {
        input[field].forEach((ref, j) => {
          if (!resolved.has(ref)) errors.push({ path: `body.${field}.${j}`, message: `unknown unit "${ref}"` });
        });
      }
      if (errors.length) throw badRequest('unknown units', errors);
      return { leadUnits: dedupe(input.leadUnits.map((r) => resolved.get(r)!)), coUnits: dedupe(input.coUnits.map((r) => resolved.get(r)!)) };
    },

    /** Sends an action to the item's workflow; refusals become 409 with the reason. */
    async act<A extends ItemAction>(id: string, action: A, input: object, actor: Principal, idempotencyKey?: string): Promise<ItemState> {
      const handle = temporal.workflow.getHandle(itemWorkflowId(id));
      // A key belongs to its caller, its item and its action; the same key with another body is 422.
      const who = principalKey(actor);
      if (idempotencyKey) await claimIdempotencyKey(sql, { principal: who, scope: `item:${id}:${action}`, key: idempotencyKey, body: input });
      if (action === 'reassign') input = await this.resolveReassign(input as { leadUnits: string[]; coUnits: string[] });
      // Evidence files are cited by id; the workflow (and so the audit trail) gets what each is: name, size, SHA-256.
      const files = (input as { files?: string[] }).files;
      if ((action === 'reportProgress' || action === 'submit') && files) input = { ...input, files: await evidence.cite(id, files, actor) };
      await probe.ensure();
      try {
        return await temporal.connection.withDeadline(Date.now() + ACTION_TIMEOUT_MS, () =>
          handle.executeUpdate(itemUpdates[action] as (typeof itemUpdates)['acknowledge'], {
            args: [{ ...input, actor } as never],
            updateId: idempotencyKey ? `${action}:${who}:${idempotencyKey}` : `${action}:${crypto.randomUUID()}`,
          }),
        );
      } catch (err) {
        // Refusals (409/422 with the lifecycle's wording), Temporal or the worker away (503): one
        // mapping for every Temporal call (temporal-errors.ts). A workflow that is gone has ended:
        // say why — 销号 and 撤销 are different things to an office.
        throw await temporalFailure(err, { gone: () => endedItemError(sql, id), worker: { timeoutMs: ACTION_TIMEOUT_MS, probe } });
      }
    },
  };
}
export type ItemService = ReturnType<typeof createItemService>;

/**
 * An action met no running workflow. A cancelled item says so (ITEM_CANCELLED); an unknown item is
 * a 404; an open item whose workflow the outbox has not started yet asks for a retry in a moment.
 */
async function endedItemError(sql: Sql, id: string): Promise<AppError> {
  const [row] = await sql<{ status: string }[]>`select status from item_states where item_id = ${id}`;
  if (!row) return notFound('item', id);
  if (row.status === 'cancelled') return conflict('ITEM_CANCELLED', `item ${id} is cancelled`, { messageZh: '事项已撤销' });
  if (row.status === 'closed') return conflict('ITEM_CLOSED', `item ${id} is closed: its workflow has completed`, { messageZh: '事项已销号' });
  return new AppError(503, 'ITEM_STARTING', `item ${id} is being started; repeat the request in a few seconds`, { messageZh: '事项正在启动，请稍后重试' });
}

const toOutboxEntry = (input: ItemWorkflowInput) => ({ workflowId: itemWorkflowId(input.itemId), workflowType: itemWorkflow.name, args: [input] });

function dedupe<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
