/**
 * 回溯: where a view reads each item's state from — now (the read model the workflows keep) or as
 * of a past instant (the audit trail: each item's latest event at or before it, which carries the
 * state the workflow held right after it; migrations/018_event_state.sql). The item list and
 * detail, the statistics, the ranking and the ledger build their SQL on one of these, so a view as
 * of a date is the very query that answered on that date, run on the trail instead of the model.
 *
 * Every source joins the same aliases with the same columns:
 *   st  onto i (items): status, progress_percent, last_report_at, updated_at, deadline_date, due_at,
 *       deadline_version, light, paused_reason, pending_extension, missed_reports, rejections,
 *       look_back_at, look_back_due, acknowledged_units
 *   iu  onto i and st: unit_id, role (the units responsible then: a reassignment changes them)
 *   p   left onto iu: reports, last_report_at, last_percent (that unit's own reports by then)
 */
import type { PendingQuery, Row } from 'postgres';
import { dateOf, type DateStr } from '../../domain/time';
import type { Sql } from '../../infra/db';
import { AppError, badRequest } from '../errors';

export interface StateSource {
  /** The instant the view is of, and its day in Asia/Shanghai (overdue days count to it). */
  at: number;
  today: DateStr;
  /** True when the view is of the past (回溯), read from the audit trail. */
  past: boolean;
  states: PendingQuery<Row[]>;
  units: PendingQuery<Row[]>;
  parts: PendingQuery<Row[]>;
  /** A condition on `s` (item_steps): the step had fired by then. */
  stepFired: PendingQuery<Row[]>;
  /** A condition on `e` (item_events): recorded by then (always, for now: workflow time and the API's clock may differ). */
  eventBy: PendingQuery<Row[]>;
}

/** The read model: what the workflows say now. */
export function currentState(sql: Sql, now: number): StateSource {
  return {
    at: now,
    today: dateOf(now),
    past: false,
    states: sql`join item_states st on st.item_id = i.id`,
    units: sql`join item_units iu on iu.item_id = i.id`,
    parts: sql`left join item_unit_parts p on p.item_id = iu.item_id and p.unit_id = iu.unit_id`,
    stepFired: sql`true`,
    eventBy: sql`true`,
  };
}

/**
 * The audit trail as of `at`: an item with no event by then had not started and is not in the
 * view. Events recorded before migration 018 carry no state; the latest of each item was given
 * the read model's row, and an earlier one answers with its to_status and the definition's units.
 */
export function stateAsOf(sql: Sql, at: number): StateSource {
  const t = new Date(at).toISOString();
  return {
    at,
    today: dateOf(at),
    past: true,
    states: sql`
      join lateral (
        select coalesce(e.state->>'status', e.to_status) as status,
               coalesce((e.state->>'progressPercent')::int, 0) as progress_percent,
               (e.state->>'lastReportAt')::timestamptz as last_report_at,
               e.occurred_at as updated_at,
               (e.state->>'deadlineDate')::date as deadline_date,
               (e.state->>'dueAt')::timestamptz as due_at,
               coalesce((e.state->>'deadlineVersion')::int, 1) as deadline_version,
               coalesce(e.state->>'light', 'green') as light,
               e.state->'paused'->>'reason' as paused_reason,
               nullif(e.state->'pendingExtension', 'null'::jsonb) as pending_extension,
               coalesce((e.state->>'missedReports')::int, 0) as missed_reports,
               coalesce((e.state->>'rejections')::int, 0) as rejections,
               (e.state->>'lookBackAt')::timestamptz as look_back_at,
               coalesce((e.state->>'lookBackDue')::boolean, false) as look_back_due,
               array(select jsonb_array_elements_text(coalesce(e.state->'acknowledgedUnits', '[]')))::uuid[] as acknowledged_units,
               coalesce(e.state->'units',
                        (select jsonb_agg(jsonb_build_object('unitId', d.unit_id, 'role', d.role)) from item_units d where d.item_id = i.id)) as units_then
        from item_events e
        where e.item_id = i.id and e.occurred_at <= ${t}
        order by e.seq desc limit 1) st on true`,
    units: sql`
      join lateral (
        select i.id as item_id, (x->>'unitId')::uuid as unit_id, x->>'role' as role
        from jsonb_array_elements(st.units_then) x) iu on true`,
    parts: sql`
      left join lateral (
        select count(*)::int as reports, max(pe.occurred_at) as last_report_at,
               (array_agg((pe.payload->>'percent')::int order by pe.seq desc))[1] as last_percent
        from item_events pe
        where pe.item_id = iu.item_id and pe.actor_unit_id = iu.unit_id and pe.type = 'reportProgress' and pe.occurred_at <= ${t}) p on true`,
    stepFired: sql`exists (select 1 from item_events se where se.item_id = s.item_id and se.type = s.kind
                                   and se.payload->>'idempotencyKey' = s.idempotency_key and se.occurred_at <= ${t})`,
    eventBy: sql`e.occurred_at <= ${t}`,
  };
}

/**
 * The view a request asks for: now by the app's clock, or as of the instant it names — a day
 * that has not closed yet is read up to now; a later day or instant is refused (400): the trail
 * says nothing of it yet.
 */
export function viewAt(sql: Sql, clock: () => number, asOf: number | undefined): StateSource {
  const now = clock();
  if (asOf === undefined) return currentState(sql, now);
  if (dateOf(asOf) > dateOf(now)) {
    throw badRequest('回溯时点不能晚于今天', [{ path: 'querystring.asOf', message: `回溯时点 ${dateOf(asOf)} 晚于今天 ${dateOf(now)}` }]);
  }
  return stateAsOf(sql, Math.min(asOf, now));
}

/** An item that exists now but had not started by the view's instant: not in that view (404, said so). */
export const notYetStarted = (id: string, view: StateSource) =>
  new AppError(404, 'NOT_FOUND', `item ${id} had not started by ${new Date(view.at).toISOString()}`, { messageZh: `该事项在 ${view.today} 时尚未开始` });
