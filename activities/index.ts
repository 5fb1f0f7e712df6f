/**
 * Activities: the only bridge between workflows and the outside (PostgreSQL, the calendar,
 * notifiers). Built by a factory that takes its dependencies, so tests pass their own. Every
 * write is keyed, so a retry or a replay writes the same rows again and never a second one.
 */
import { ApplicationFailure, log } from '@temporalio/activity';
import { isCalendarDomainError } from '../domain/bounds';
import type { ItemState, ItemUnit } from '../domain/item-lifecycle';
import { noticeText, type NoticeFacts } from '../domain/notices';
import type { LadderStepName, Policy } from '../domain/policy';
import { SYSTEM, type Principal } from '../domain/principal';
import { lookBackInstant, planItem, shiftDeadline, type Plan } from '../domain/schedule';
import { scrubDeep } from '../domain/text';
import { daysBetween, dateOf } from '../domain/time';
import type { Sql } from '../infra/db';
import { createCalendarStore } from '../infra/calendar-store';
import { createCampaignActivities } from './campaign';
import { createLetterDeliveryActivities, type LetterDeliveryDeps } from './letter-delivery';
import { createLetterIssuing, type LetterIssuingDeps } from './letter-issuing';
import { inboxNotifier, type Notifier } from './notifier';
import { createSimulationActivities, type SimulationDeps } from './simulation';

export interface ItemEventRecord {
  type: string;
  fromStatus: ItemState['status'] | null;
  toStatus: ItemState['status'];
  payload: Record<string, unknown>;
  actor: Principal;
  occurredAt: string;
  /** The item's state after the event: written to the read model if newer than what is there. */
  state: ItemState;
}

export interface PlanRequest {
  deadline: string | null;
  assignedAt: number;
  from: number;
  campaignEnd: string;
  policy: Policy;
  /** Resuming after a pause: shift the deadline by the paused time. */
  shift?: { from: number; to: number };
  /** Closing: when is the look-back due. */
  lookBackFrom?: number;
}

export interface StepRecord {
  itemId: string;
  seq: number;
  idempotencyKey: string;
  kind: NoticeFacts['kind'];
  name: string;
  ladderStep: LadderStepName | null;
  listInBulletin: boolean;
  deadlineVersion: number;
  plannedAt: string;
  occurredAt: string;
  units: ItemUnit[];
  state: ItemState;
}


export type ActivityDeps = { sql: Sql; notifier?: Notifier; /** 试运行: where simulations create their own databases (absent: simulations fail, saying so). */ simulations?: SimulationDeps } & Omit<LetterIssuingDeps, 'sql' | 'notifier' | 'calendars'> & Omit<LetterDeliveryDeps, 'sql' | 'notifier'>;

/**
 * A calendar domain error (a deadline past 2100-12-31, an offset beyond its bounds: domain/bounds.ts)
 * fails the same way on every attempt: reported as a non-retryable failure of type
 * 'CalendarDomainError', so the workflow sees a clear error at once instead of retrying for ever.
 */
function domainFailure(err: unknown): unknown {
  if (!isCalendarDomainError(err)) return err;
  return ApplicationFailure.create({ type: 'CalendarDomainError', message: err.message, nonRetryable: true, details: [{ messageZh: err.messageZh, field: err.field ?? null }], cause: err });
}

function nonRetryableDomainErrors<T extends object>(activities: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    if (typeof fn !== 'function') {
      out[name] = fn;
      continue;
    }
    out[name] = (...args: unknown[]) => {
      let result: unknown;
      try {
        result = fn(...args);
      } catch (err) {
        throw domainFailure(err);
      }
      return result instanceof Promise ? result.catch((err: unknown) => Promise.reject(domainFailure(err))) : result;
    };
  }
  return out as T;
}

export function createActivities(deps: ActivityDeps) {
  return nonRetryableDomainErrors(createActivityFunctions(deps));
}

function createActivityFunctions({ sql, notifier = inboxNotifier(sql), startLetterWorkflow, enlistInUnitLetter, templates, simulations, ...deliveryDeps }: ActivityDeps) {
  const calendars = createCalendarStore(sql);
  const campaign = createCampaignActivities({ sql, notifier, calendars });
  // Issuing: the item and campaign workflows' letters. `issueLetter`, the numbering they share, is not an activity.
  const issuing = createLetterIssuing({ sql, notifier, calendars, templates, startLetterWorkflow, ...(enlistInUnitLetter ? { enlistInUnitLetter } : {}) }).activities;
  // The delivery ledger: each letter's own workflow.
  const delivery = createLetterDeliveryActivities({ sql, notifier, templates, ...deliveryDeps });

  async function writeEvent(tx: Sql, raw: ItemEventRecord): Promise<void> {
    // Text PostgreSQL refuses (NUL, lone surrogates: domain/text.ts) would fail every retry and wedge the item: scrubbed.
    const e = scrubDeep(raw);
    const s = e.state;
    const inserted = await tx`
      insert into item_events (item_id, seq, type, from_status, to_status, actor_role, actor_name, actor_unit_id, payload, occurred_at, state)
      values (${s.itemId}, ${s.seq}, ${e.type}, ${e.fromStatus}, ${e.toStatus}, ${e.actor.role}, ${e.actor.name},
              ${e.actor.unitId ?? null}, ${tx.json(e.payload as never)}, ${e.occurredAt}, ${tx.json(s as never)})
      on conflict (item_id, seq) do nothing
      returning seq`;
    // The unit's own part: only when the event is new, so a retried write never counts a report twice.
    if (inserted.length && e.actor.unitId && (e.type === 'acknowledge' || e.type === 'reportProgress')) {
      const report = e.type === 'reportProgress';
      const percent = report ? Number((e.payload as { percent?: number }).percent ?? s.progressPercent) : null;
      await tx`
        insert into item_unit_parts (item_id, unit_id, acknowledged_at, last_report_at, last_percent, reports)
        values (${s.itemId}, ${e.actor.unitId}, ${report ? null : e.occurredAt}, ${report ? e.occurredAt : null}, ${percent}, ${report ? 1 : 0})
        on conflict (item_id, unit_id) do update set
          acknowledged_at = coalesce(item_unit_parts.acknowledged_at, excluded.acknowledged_at),
          last_report_at = coalesce(excluded.last_report_at, item_unit_parts.last_report_at),
          last_percent = coalesce(excluded.last_percent, item_unit_parts.last_percent),
          reports = item_unit_parts.reports + excluded.reports`;
    }
    await tx`
      insert into item_states (item_id, status, progress_percent, acknowledged_units, last_report_at, last_seq, updated_at,
                               deadline_date, due_at, deadline_version, light, paused_reason, pending_extension,
                               missed_reports, rejections, look_back_at, look_back_due)
      values (${s.itemId}, ${s.status}, ${s.progressPercent}, ${s.acknowledgedUnits}::uuid[], ${s.lastReportAt}, ${s.seq}, ${e.occurredAt},
              ${s.deadlineDate}, ${s.dueAt}, ${s.deadlineVersion}, ${s.light}, ${s.paused?.reason ?? null},
              ${s.pendingExtension ? tx.json(s.pendingExtension as never) : null}, ${s.missedReports}, ${s.rejections},
              ${s.lookBackAt}, ${s.lookBackDue})
      on conflict (item_id) do update set
        status = excluded.status, progress_percent = excluded.progress_percent,
        acknowledged_units = excluded.acknowledged_units, last_report_at = excluded.last_report_at,
        last_seq = excluded.last_seq, updated_at = excluded.updated_at, deadline_date = excluded.deadline_date,
        due_at = excluded.due_at, deadline_version = excluded.deadline_version, light = excluded.light,
        paused_reason = excluded.paused_reason, pending_extension = excluded.pending_extension,
        missed_reports = excluded.missed_reports, rejections = excluded.rejections,
        look_back_at = excluded.look_back_at, look_back_due = excluded.look_back_due
      where item_states.last_seq < excluded.last_seq`;
    if (e.type === 'reassign') {
      await tx`delete from item_units where item_id = ${s.itemId}`;
      await tx`insert into item_units ${tx(s.units.map((u) => ({ itemId: s.itemId, ...u })))}`;
    }
  }

  return {
    ...campaign,
    ...issuing,
    ...delivery,
    ...createSimulationActivities({ sql, ...(simulations ? { simulations } : {}) }),

    /** Appends one audit event (keyed by item and seq) and advances the read model. */
    async recordItemEvent(e: ItemEventRecord): Promise<void> {
      await sql.begin((tx) => writeEvent(tx as unknown as Sql, e));
      log.debug('item event recorded', { itemId: e.state.itemId, seq: e.state.seq, type: e.type });
    },

    /**
     * Resolves the deadline and plans every instant on the active calendar. Its result is in
     * workflow history: replay uses what was computed then, whatever the calendar says today.
     */
    async planItem(r: PlanRequest): Promise<{ plan: Plan; deadline: string | null; lookBackAt: number | null }> {
      const cal = await calendars.active();
      const deadline = r.shift ? shiftDeadline(r.deadline, r.assignedAt, r.shift, cal) : r.deadline;
      const plan = planItem({ deadline, assignedAt: r.assignedAt, from: r.from, campaignEnd: r.campaignEnd, policy: r.policy }, cal);
      const lookBackAt = r.lookBackFrom === undefined ? null : lookBackInstant(r.lookBackFrom, r.policy, cal);
      return { plan, deadline, lookBackAt };
    },

    /**
     * A reminder, ladder step, missed report or look-back: the intent is recorded (with its audit
     * event) before the notifier is called, and marked sent after. A retry after a crash finds
     * the intent: if it was sent, nothing happens; if not, the notifier — idempotent by the
     * same key — is called again, so the notice lands exactly once.
     */
    async fireStep(r: StepRecord): Promise<{ sent: boolean; alreadySent: boolean }> {
      const leads = r.units.filter((u) => u.role === 'lead').map((u) => u.unitId);
      const recipients = r.kind === 'look_back' ? [] : leads;
      const [existing] = await sql<{ status: string }[]>`select status from item_steps where idempotency_key = ${r.idempotencyKey}`;
      if (existing?.status === 'sent') return { sent: false, alreadySent: true };
      await sql.begin(async (tx) => {
        await tx`
          insert into item_steps (idempotency_key, item_id, seq, kind, name, ladder_step, list_in_bulletin, deadline_version, planned_at, recipients)
          values (${r.idempotencyKey}, ${r.itemId}, ${r.seq}, ${r.kind}, ${r.name}, ${r.ladderStep}, ${r.listInBulletin},
                  ${r.deadlineVersion}, ${r.plannedAt}, ${recipients}::uuid[])
          on conflict (idempotency_key) do nothing`;
        await writeEvent(tx as unknown as Sql, {
          type: r.kind,
          fromStatus: r.state.status,
          toStatus: r.state.status,
          payload: { idempotencyKey: r.idempotencyKey, name: r.name, ladderStep: r.ladderStep, plannedAt: r.plannedAt, deadlineVersion: r.deadlineVersion, listInBulletin: r.listInBulletin },
          actor: SYSTEM,
          occurredAt: r.occurredAt,
          state: r.state,
        });
      });
      const [item] = await sql<{ number: string; content: string; title: string }[]>`
        select i.number, i.content, c.title from items i join campaigns c on c.id = i.campaign_id where i.id = ${r.itemId}`;
      const deadlineDate = r.state.deadlineDate;
      const { title, body } = noticeText({
        kind: r.kind,
        name: r.name,
        ladderStep: r.ladderStep,
        itemNumber: item?.number ?? '?',
        itemContent: item?.content ?? '',
        campaignTitle: item?.title ?? '',
        deadlineDate,
        daysLate: deadlineDate ? Math.max(0, daysBetween(deadlineDate, dateOf(Date.parse(r.occurredAt)))) : 0,
      });
      await notifier.notify({ idempotencyKey: r.idempotencyKey, itemId: r.itemId, recipients, title, body });
      await sql`update item_steps set status = 'sent', sent_at = now() where idempotency_key = ${r.idempotencyKey} and status = 'intended'`;
      log.info('step sent', { itemId: r.itemId, key: r.idempotencyKey });
      return { sent: true, alreadySent: false };
    },
  };
}

export type Activities = ReturnType<typeof createActivityFunctions>;
