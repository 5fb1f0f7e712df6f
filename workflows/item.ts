/**
 * One workflow per rectification item (workflow id `item-<itemId>`): the item is never
 * forgotten, pressed harder the later it gets, and never pressed twice for the same thing.
 *
 *  1. Assign: plan the deadline on the official calendar and record 交办.
 *  2. Until the item is finished, repeatedly:
 *     - plan again if the calendar changed (a `replan` signal), saying so if the deadline moved;
 *     - do what is due now — reminders, the escalation ladder and its letters, missed reports,
 *       the look-back, the warning light (the decisions: domain/item-timing.ts);
 *     - sleep until the next instant something is due, or until someone acts.
 *  3. Long-lived items continue as new, carrying their timing state as one value.
 *
 * People act through Updates, one per action, each with a validator (domain/item-lifecycle.ts):
 * an action not allowed now is refused synchronously with a reason and leaves no trace. Actions
 * and the timer work take turns (a lock), so each event carries a state that includes all
 * before it. Every notice goes through `fireStep`, keyed by (item, step, deadline version):
 * a retry or replay never notifies twice; a ladder step joins its lead units' letters of that
 * rung and day under the same key (workflows/unit-letter.ts), each delivered by its own workflow
 * (workflows/letter.ts).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Activities, StepRecord } from '../activities';
import {
  ACTION_INPUTS,
  applyAction,
  initialItemState,
  refusal,
  stateRefusal,
  type ActionInput,
  type ItemAction,
  type ItemKind,
  type ItemState,
  type ItemUnit,
  type Refusal,
} from '../domain/item-lifecycle';
import { duePresses, itemFinished, lightNow, lookBackFallsDue, nextWake, normalizeFired, planIsCurrent, type ItemClock, type ItemTiming } from '../domain/item-timing';
import type { Policy } from '../domain/policy';
import { SYSTEM, type Principal } from '../domain/principal';
import type { Plan, PlannedStep } from '../domain/schedule';
import { iso } from '../domain/time';
import { SerialLock } from './lib/serial';

export interface ItemWorkflowInput {
  itemId: string;
  campaignId: string;
  kind: ItemKind;
  /** 'YYYY-MM-DD', an offset from assignment ("10WD", "PT2M"), or null for long-term items. */
  deadline: string | null;
  campaignEnd: string;
  units: ItemUnit[];
  /** The effective policy (campaign defaults with item overrides), as of assignment. */
  policy: Policy;
  /** Who created (交办) the item. */
  assignedBy: Principal;
  /** Continue-as-new after this many history events (tests make it small). */
  maxHistoryEvents?: number;
  /** Set when the workflow continues as new: everything it had. */
  carried?: ItemTiming;
}

export type ActionArgs<A extends ItemAction> = ActionInput<A> & { actor: Principal };

type Updates = { [A in ItemAction]: UpdateDefinition<ItemState, [ActionArgs<A>], A> };
/** One Update per user action, named after it (visible as such in the Temporal UI). */
export const itemUpdates = Object.fromEntries(
  (Object.keys(ACTION_INPUTS) as ItemAction[]).map((a) => [a, defineUpdate<ItemState, [ActionArgs<typeof a>]>(a)]),
) as unknown as Updates;
export const acknowledgeUpdate = itemUpdates.acknowledge;
export const reportProgressUpdate = itemUpdates.reportProgress;
export const submitUpdate = itemUpdates.submit;
export const closeUpdate = itemUpdates.close;

export const getStateQuery = defineQuery<ItemState>('getState');
/** The calendar changed: plan again on it (sent to every open item when a version is activated). */
export const replanSignal = defineSignal<[{ calendarVersion: number }]>('replan');

export const itemWorkflowId = (itemId: string): string => `item-${itemId}`;

const DEFAULT_MAX_HISTORY_EVENTS = 5_000;

const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  // PostgreSQL may be restarting: keep trying; every write is keyed, so retries are harmless.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
const remote = proxyActivities<Activities>(ACTIVITY_OPTIONS);
/**
 * The first plan and the 'assigned' record run as local activities: in the worker, inside the
 * first workflow task, so starting ten thousand items costs the server one task each instead
 * of five (see bench/). Same code, same keyed writes, same retries.
 */
const local = proxyLocalActivities<Activities>(ACTIVITY_OPTIONS);

export async function itemWorkflow(input: ItemWorkflowInput): Promise<ItemState> {
  const carried = input.carried;
  const assignedAt = carried?.assignedAt ?? workflowInfo().startTime.getTime();
  // seq 1 is the 'assigned' event; set it before any handler can run.
  let state: ItemState = carried?.state ?? {
    ...initialItemState({ itemId: input.itemId, kind: input.kind, campaignEnd: input.campaignEnd, units: input.units, deadline: input.deadline }),
    seq: 1,
  };
  let plan: Plan | null = carried?.plan ?? null;
  let planVersion = carried ? state.deadlineVersion : 0;
  const fired = new Set<string>(normalizeFired(carried?.fired ?? []));
  let lastReportDueAt = carried?.lastReportDueAt ?? assignedAt;
  let replanRequested = carried?.replanRequested ?? false;
  let lookBackPassed = false;
  /** Bumped by everything that may change when the workflow must wake next. */
  let changes = 0;
  const clock = (): ItemClock => ({ state, plan, planVersion, fired, lastReportDueAt, assignedAt, lights: input.policy.lights });

  // Versioned change (see README, "Changing workflow code"): runs recorded before the lock replay without it.
  const lock = new SerialLock(patched('serialize-actions'));
  setHandler(getStateQuery, () => state);
  setHandler(replanSignal, () => {
    replanRequested = true;
    changes++;
  });
  for (const action of Object.keys(ACTION_INPUTS) as ItemAction[]) {
    setHandler(itemUpdates[action] as UpdateDefinition<ItemState, [ActionArgs<typeof action>], string>, (args) => lock.run(() => act(action, args)), {
      validator: ({ actor, ...payload }) => throwIf(refusal(state, action, actor, payload, Date.now())),
    });
  }

  // 1. Assign.
  if (!carried) await assign();

  // 2. Until finished: calendar changes, what is due, sleep.
  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  for (;;) {
    await lock.run(async () => {
      if (replanRequested) await followCalendar();
      await doWhatIsDue();
    });
    if (itemFinished(state, Boolean(input.policy.lookBack), lookBackPassed)) break;
    // 3. Continue as new when the history grows long.
    if (workflowInfo().historyLength > maxEvents || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      // Read after the wait: whatever the handlers changed (a replan signalled meanwhile) is carried.
      const next: ItemTiming = { state, plan: plan!, assignedAt, fired: [...fired], lastReportDueAt, replanRequested };
      return continueAsNew<typeof itemWorkflow>({ ...input, carried: next });
    }
    const seen = changes;
    const wake = nextWake(clock(), Date.now());
    await condition(() => changes !== seen, wake === null ? undefined : Math.max(1, wake - Date.now()));
  }
  await condition(allHandlersFinished);
  return state;

  // ——— the steps ———

  /** 交办: plan the deadline on the calendar, then record 'assigned' (seq 1) with the deadline resolved. */
  async function assign(): Promise<void> {
    const assigned = state; // users may act meanwhile (seq 2, 3, …): 'assigned' keeps seq 1
    const recordAssigned = (acts: Pick<Activities, 'recordItemEvent'> = remote) =>
      acts.recordItemEvent({
        type: 'assigned',
        fromStatus: null,
        toStatus: 'assigned',
        payload: { deadline: input.deadline, kind: input.kind, units: input.units, policyVersion: input.policy.version, workflowId: workflowInfo().workflowId },
        actor: input.assignedBy,
        occurredAt: iso(assignedAt),
        state: { ...assigned, deadline: state.deadline, deadlineDate: state.deadlineDate, dueAt: state.dueAt },
      });
    // Nothing can hold the lock yet: take it without waiting (a wait here would change the
    // command sequence that histories recorded before the lock existed replay against).
    await lock.hold(async () => {
      // Versioned changes: items started since plan first (so 'assigned' carries the resolved
      // deadline), and since then locally; older items keep the order their histories say.
      if (patched('plan-before-assigned')) {
        const acts = patched('local-start') ? local : remote;
        await replan(undefined, acts);
        await recordAssigned(acts);
      } else {
        await recordAssigned();
        await replan();
      }
    });
  }

  /** A new calendar version: plan again; if the deadline moved, say so in the audit trail. */
  async function followCalendar(): Promise<void> {
    replanRequested = false;
    const before = state.deadlineDate;
    await replan();
    if (state.deadlineDate !== before) await recordEvent('deadline_changed', { from: before, to: state.deadlineDate, calendarVersion: plan!.calendarVersion });
  }

  /** Everything whose time has come, in order, each once. */
  async function doWhatIsDue(): Promise<void> {
    // A deadline change is being planned: wait for the plan (it wakes the loop again), so
    // nothing is judged or recorded against a deadline that no longer holds.
    if (plan !== null && !planIsCurrent(clock())) return;
    const now = Date.now();
    const due = duePresses(clock(), now);
    // Reminders and ladder steps (a dropped reminder is marked done, not sent).
    for (const { step, key, send } of due.steps) {
      fired.add(key);
      if (send) await fire(key, step.kind, step.name, step.at, now, step);
    }
    // Report dues on the cadence: one passed without a report since the previous is a late event.
    for (const { at, missed } of due.reports) {
      lastReportDueAt = at;
      if (!missed) continue;
      state = { ...state, missedReports: state.missedReports + 1 };
      await fire(`report:${iso(at)}`, 'report_missed', '未按期报送进展', at, now);
    }
    if (due.planMoreReports) await replan();
    // The look-back review (回头看) after close-out.
    if (lookBackFallsDue(state, now)) {
      state = { ...state, lookBackDue: true };
      await fire(`look_back:${state.lookBackAt!}`, 'look_back', '回头看', Date.parse(state.lookBackAt!), now);
    }
    // The warning light.
    const light = lightNow(clock(), now);
    if (light !== state.light) {
      const from = state.light;
      state = { ...state, light };
      await recordEvent('light_changed', { from, to: light });
    }
  }

  /** A user's action, its turn come: checked again against the state now, applied, recorded. */
  async function act<A extends ItemAction>(action: A, { actor, ...payload }: ActionArgs<A>): Promise<ItemState> {
    const now = Date.now();
    // The input was checked on admission; the state may have moved on while the action waited.
    throwIf(stateRefusal(state, action, actor, now));
    const before = state;
    // State changes synchronously, before any await, so concurrent updates see each other.
    const { state: next, event } = applyAction(state, action, actor, payload, iso(now));
    state = next;
    changes++;
    if (action === 'recheck' && (payload as unknown as ActionInput<'recheck'>).passed) lookBackPassed = true;
    if (next.deadlineVersion !== before.deadlineVersion) {
      // A resumed item gets back the time it was paused.
      await replan(action === 'resume' && before.paused ? { from: Date.parse(before.paused.since), to: now } : undefined);
    }
    if (action === 'close' && input.policy.lookBack) {
      const r = await remote.planItem({ deadline: null, assignedAt, from: now, campaignEnd: input.campaignEnd, policy: input.policy, lookBackFrom: now });
      state = { ...state, lookBackAt: r.lookBackAt === null ? null : iso(r.lookBackAt) };
      changes++; // wake the main loop again: it now has a look-back to wait for
    }
    const moved = state.deadlineVersion !== before.deadlineVersion;
    await remote.recordItemEvent({
      ...event,
      payload: { ...event.payload, ...(moved ? { deadlineDate: state.deadlineDate, deadlineVersion: state.deadlineVersion } : {}) },
      actor,
      occurredAt: iso(now),
      state: { ...state, seq: next.seq },
    });
    return state;
  }

  // ——— the plumbing ———

  /** Resolves the deadline on the calendar and plans every instant (an activity: the calendar is data). */
  async function replan(shift?: { from: number; to: number }, acts: Pick<Activities, 'planItem'> = remote): Promise<void> {
    const version = state.deadlineVersion;
    const r = await acts.planItem({
      deadline: state.deadline,
      assignedAt,
      from: Date.now(),
      campaignEnd: input.campaignEnd,
      policy: input.policy,
      ...(shift ? { shift } : {}),
    });
    if (version !== state.deadlineVersion) return; // superseded while planning; the newer plan wins
    plan = r.plan;
    planVersion = version;
    state = { ...state, deadline: r.deadline, deadlineDate: r.plan.deadlineDate, dueAt: r.plan.dueAt === null ? null : iso(r.plan.dueAt) };
    changes++;
  }

  /** The next event's sequence number, taken into the state it is recorded with. */
  function nextSeq(): number {
    state = { ...state, seq: state.seq + 1 };
    return state.seq;
  }

  /** An event of the workflow's own (not a user's action), by 系统. */
  async function recordEvent(type: 'light_changed' | 'deadline_changed', payload: Record<string, unknown>): Promise<void> {
    nextSeq();
    await remote.recordItemEvent({ type, fromStatus: state.status, toStatus: state.status, payload, actor: SYSTEM, occurredAt: iso(Date.now()), state });
  }

  /**
   * Sends one notice through `fireStep` as the next event, its intent keyed by `<item>:<key>`;
   * a ladder step also issues its letter under the same key.
   */
  async function fire(key: string, kind: StepRecord['kind'], name: string, plannedAt: number, now: number, step?: PlannedStep): Promise<void> {
    const seq = nextSeq();
    const idempotencyKey = `${state.itemId}:${key}`;
    await remote.fireStep({
      itemId: state.itemId,
      seq,
      idempotencyKey,
      kind,
      name,
      ladderStep: step?.ladderStep ?? null,
      listInBulletin: step?.listInBulletin ?? false,
      deadlineVersion: state.deadlineVersion,
      plannedAt: iso(plannedAt),
      occurredAt: iso(now),
      units: state.units,
      state,
    });
    if (step?.ladderStep && patched('letters')) {
      // The step joins each lead unit's letter of this rung and day (one letter listing the
      // unit's items, workflows/unit-letter.ts). A failure here must not stop the item.
      await remote.issueStepLetter({ itemId: state.itemId, idempotencyKey, ladderStep: step.ladderStep, seq, occurredAt: iso(now), units: state.units, state }).catch((err: unknown) => {
        if (!(err instanceof ActivityFailure)) throw err;
      });
    }
  }
}

function throwIf(r: Refusal | undefined): void {
  if (r) throw ApplicationFailure.create({ type: r.code, message: r.message, details: [r], nonRetryable: true });
}
