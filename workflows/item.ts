/**
 * One workflow per rectification item (workflow id `item-<itemId>`): the item is never
 * forgotten, pressed harder the later it gets, and never pressed twice for the same thing.
 *
 *  - Users act through Updates, each with a validator (domain/item-lifecycle.ts), so an action
 *    not allowed now is refused synchronously with a reason and leaves no trace.
 *  - Time is timers: the planning activity turns the deadline and policy into instants on the
 *    official calendar (recorded in history, so replay never reads today's calendar); the
 *    workflow sleeps until the next one and fires it — reminders before the deadline, the
 *    escalation ladder after it, report dues, light changes, the look-back review.
 *  - Every fired step goes through `fireStep`, which records an intent keyed by
 *    (item, step, deadline version) before notifying: a retry or replay never notifies twice.
 *    A ladder step also issues its letter (提醒函, 催办函, 督办函, 约谈通知) under the same key;
 *    the letter's own workflow (workflows/letter.ts) delivers it and waits for 签收.
 *  - Long-lived items continue-as-new, carrying their state.
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
  isOpen,
  refusal,
  type ActionInput,
  type ItemAction,
  type ItemKind,
  type ItemState,
  type ItemUnit,
} from '../domain/item-lifecycle';
import { lightAt, nextLightChange, type LightInput } from '../domain/lights';
import type { Policy } from '../domain/policy';
import type { Principal } from '../domain/principal';
import type { Plan, PlannedStep } from '../domain/schedule';
import { iso } from '../domain/time';

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
  carried?: Carried;
}

interface Carried {
  state: ItemState;
  plan: Plan;
  assignedAt: number;
  fired: string[];
  lastReportDueAt: number;
  /** A calendar change signalled while the run waited for its handlers: the next run plans again. */
  replanRequested?: boolean;
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
export const getPlanQuery = defineQuery<Plan | null>('getPlan');
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
const { recordItemEvent, planItem, fireStep, issueStepLetter } = remote;
/**
 * The first plan and the 'assigned' record run as local activities: in the worker, inside the
 * first workflow task, so starting ten thousand items costs the server one task each instead
 * of five (see bench/). Same code, same keyed writes, same retries.
 */
const local = proxyLocalActivities<Activities>(ACTIVITY_OPTIONS);

export async function itemWorkflow(input: ItemWorkflowInput): Promise<ItemState> {
  const carried = input.carried;
  const assignedAt = carried?.assignedAt ?? workflowInfo().startTime.getTime();
  // seq 1 is the 'assigned' event below; set it before any handler can run.
  let state: ItemState = carried?.state ?? {
    ...initialItemState({ itemId: input.itemId, kind: input.kind, campaignEnd: input.campaignEnd, units: input.units, deadline: input.deadline }),
    seq: 1,
  };
  let plan: Plan | null = carried?.plan ?? null;
  let planForVersion = carried ? state.deadlineVersion : 0;
  const fired = new Set<string>(carried?.fired ?? []);
  let lastReportDueAt = carried?.lastReportDueAt ?? assignedAt;
  let changes = 0;
  let replanRequested = carried?.replanRequested ?? false;
  let lookBackPassed = false;

  const stepKey = (s: PlannedStep) => `${s.key}@v${state.deadlineVersion}`;

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
    planForVersion = version;
    state = { ...state, deadline: r.deadline, deadlineDate: r.plan.deadlineDate, dueAt: r.plan.dueAt === null ? null : iso(r.plan.dueAt) };
    changes++;
  }

  async function record(type: 'light_changed' | 'deadline_changed', payload: Record<string, unknown>, actor: Principal) {
    state = { ...state, seq: state.seq + 1 };
    await recordItemEvent({ type, fromStatus: state.status, toStatus: state.status, payload, actor, occurredAt: iso(Date.now()), state });
  }

  // One thing at a time: a user's action and the timer work (firing steps, replanning) never
  // interleave, so every record carries a state that includes everything before it.
  // Versioned change: items started before the lock existed replay without it.
  const serialized = patched('serialize-actions');
  let busy = false;
  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (!serialized) return fn();
    await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  }

  async function act<A extends ItemAction>(action: A, args: ActionArgs<A>): Promise<ItemState> {
    return exclusive(() => actNow(action, args));
  }

  async function actNow<A extends ItemAction>(action: A, args: ActionArgs<A>): Promise<ItemState> {
    const { actor, ...payload } = args;
    const now = Date.now();
    // Validated on admission, but the item may have moved on while this action waited its turn.
    const late = refusal(state, action, actor, payload, now);
    if (late) throw ApplicationFailure.create({ type: late.code, message: late.message, details: [late], nonRetryable: true });
    const before = state;
    // State changes synchronously, before any await, so concurrent updates see each other.
    const { state: next, event } = applyAction(state, action, actor, payload, iso(now));
    state = next;
    changes++;
    if (action === 'recheck' && (payload as unknown as ActionInput<'recheck'>).passed) lookBackPassed = true;
    if (next.deadlineVersion !== before.deadlineVersion) {
      await replan(action === 'resume' && before.paused ? { from: Date.parse(before.paused.since), to: now } : undefined);
    }
    if (action === 'close' && input.policy.lookBack) {
      const r = await planItem({ deadline: null, assignedAt, from: now, campaignEnd: input.campaignEnd, policy: input.policy, lookBackFrom: now });
      state = { ...state, lookBackAt: r.lookBackAt === null ? null : iso(r.lookBackAt) };
      changes++; // wake the main loop again: it now has a look-back to wait for
    }
    const snapshot = { ...state, seq: next.seq };
    await recordItemEvent({
      ...event,
      payload: { ...event.payload, ...(snapshot.deadlineVersion !== before.deadlineVersion ? { deadlineDate: snapshot.deadlineDate, deadlineVersion: snapshot.deadlineVersion } : {}) },
      actor,
      occurredAt: iso(now),
      state: snapshot,
    });
    return state;
  }

  function validator<A extends ItemAction>(action: A) {
    return (args: ActionArgs<A>): void => {
      const { actor, ...payload } = args;
      const r = refusal(state, action, actor, payload, Date.now());
      if (r) throw ApplicationFailure.create({ type: r.code, message: r.message, details: [r], nonRetryable: true });
    };
  }

  setHandler(getStateQuery, () => state);
  setHandler(getPlanQuery, () => plan);
  setHandler(replanSignal, () => {
    replanRequested = true;
    changes++;
  });
  for (const action of Object.keys(ACTION_INPUTS) as ItemAction[]) {
    setHandler(itemUpdates[action] as UpdateDefinition<ItemState, [ActionArgs<typeof action>], string>, (a) => act(action, a), {
      validator: validator(action),
    });
  }

  const system: Principal = { role: 'office', name: '系统' };

  if (!carried) {
    // Users may act while this runs (their events take seq 2, 3, …): 'assigned' keeps seq 1.
    const assigned = state;
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
    // Versioned change (see README, "Changing workflow code"): items started since plan first,
    // so the 'assigned' event carries the deadline resolved on the calendar; items started
    // before keep recording first, as their histories say.
    // Nothing can hold the lock yet: take it without waiting (a wait here would change the
    // command sequence that histories recorded before the lock existed replay against).
    busy = serialized;
    try {
      if (patched('plan-before-assigned')) {
        // Versioned change: items started since the first steps ran locally use local activities.
        const acts = patched('local-start') ? local : remote;
        await replan(undefined, acts);
        await recordAssigned(acts);
      } else {
        await recordAssigned();
        await replan();
      }
    } finally {
      busy = false;
    }
  }

  const open = () => isOpen(state.status);
  const lightInput = (): LightInput => ({
    active: open() && !state.paused,
    progressPercent: state.progressPercent,
    startAt: assignedAt,
    dueAt: plan?.dueAt ?? null,
    nearAt: plan?.nearAt ?? null,
    missedReports: state.missedReports,
  });

  const planCurrent = () => plan !== null && planForVersion === state.deadlineVersion;

  /** Steps whose time has come and that apply now, in order. */
  function dueSteps(now: number): PlannedStep[] {
    if (!planCurrent() || state.paused) return [];
    return plan!.steps.filter((s) => s.at <= now && !fired.has(stepKey(s)) && (open() || (s.kind === 'reminder' && state.status !== 'submitted')));
  }

  /** When the workflow must next wake up by itself, or null when only a user can move it on. */
  function nextWake(now: number): number | null {
    if (state.paused) return null;
    const candidates: (number | null)[] = [];
    if (planCurrent()) {
      // While submitted, the ladder waits (it resumes if the item is rejected).
      if (open()) for (const s of plan!.steps) if (!fired.has(stepKey(s))) candidates.push(s.at);
      if (open()) candidates.push(plan!.reportDues.find((t) => t > lastReportDueAt) ?? null);
      candidates.push(nextLightChange(now, lightInput(), input.policy.lights));
    }
    if (state.status === 'closed' && state.lookBackAt && !state.lookBackDue) candidates.push(Date.parse(state.lookBackAt));
    const future = candidates.filter((c): c is number => c !== null);
    return future.length ? Math.min(...future) : null;
  }

  /**
   * Sends one notice through `fireStep` as the next event: its intent is keyed by
   * `<item>:<key>` (for ladder steps the key carries the deadline version).
   */
  async function fire(key: string, kind: StepRecord['kind'], name: string, plannedAt: number, now: number, step?: PlannedStep): Promise<void> {
    state = { ...state, seq: state.seq + 1 };
    const idempotencyKey = `${state.itemId}:${key}`;
    await fireStep({
      itemId: state.itemId,
      seq: state.seq,
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
      // The step's letter, numbered once under the step's key; its own workflow delivers it.
      // A letter that cannot be composed (the office was told) must not stop the item.
      await issueStepLetter({ itemId: state.itemId, idempotencyKey, ladderStep: step.ladderStep, seq: state.seq, occurredAt: iso(now), units: state.units, state }).catch((err: unknown) => {
        if (!(err instanceof ActivityFailure)) throw err;
      });
    }
  }

  async function handleDue(): Promise<void> {
    // A deadline change is being planned: wait for the plan (it wakes the loop again), so
    // nothing is judged or recorded against a deadline that no longer holds.
    if (plan !== null && !planCurrent()) return;
    const now = Date.now();
    // Reminders and ladder steps: every one whose time has come, in order, each once.
    for (const step of dueSteps(now)) {
      fired.add(stepKey(step));
      // A reminder whose deadline has passed meanwhile (held while submitted) has nothing left to remind of.
      if (step.kind === 'reminder' && (!open() || (plan!.dueAt !== null && now >= plan!.dueAt))) continue;
      await fire(`${step.key}:v${state.deadlineVersion}`, step.kind, step.name, step.at, now, step);
    }
    // Report dues on the cadence: a due passed without a report since the previous one is a late event.
    if (planCurrent() && open() && !state.paused) {
      for (const due of plan!.reportDues.filter((t) => t > lastReportDueAt && t <= now)) {
        const reported = state.lastReportAt !== null && Date.parse(state.lastReportAt) > lastReportDueAt;
        lastReportDueAt = due;
        if (reported) continue;
        state = { ...state, missedReports: state.missedReports + 1 };
        await fire(`report:${iso(due)}`, 'report_missed', '未按期报送进展', due, now);
      }
      if (plan!.reportDues.length && plan!.reportDues.every((t) => t <= lastReportDueAt)) await replan();
    }
    // Look-back review (回头看) after close-out.
    if (state.status === 'closed' && state.lookBackAt && !state.lookBackDue && Date.parse(state.lookBackAt) <= now) {
      state = { ...state, lookBackDue: true };
      await fire(`look_back:${state.lookBackAt!}`, 'look_back', '回头看', Date.parse(state.lookBackAt!), now);
    }
    // The warning light.
    const light = lightAt(now, lightInput(), input.policy.lights);
    if (light !== state.light) {
      const from = state.light;
      state = { ...state, light };
      await record('light_changed', { from, to: light }, system);
    }
  }

  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  for (;;) {
    await exclusive(async () => {
      if (replanRequested) {
        // A new calendar version: plan again; if the deadline moved, say so in the audit trail.
        replanRequested = false;
        const before = state.deadlineDate;
        await replan();
        if (state.deadlineDate !== before) await record('deadline_changed', { from: before, to: state.deadlineDate, calendarVersion: plan!.calendarVersion }, system);
      }
      await handleDue();
    });
    if (state.status === 'cancelled' || lookBackPassed || (state.status === 'closed' && !input.policy.lookBack)) break;
    if (workflowInfo().historyLength > maxEvents || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof itemWorkflow>({
        ...input,
        // Read after the wait: a replan signalled meanwhile is carried, not lost.
        carried: { state, plan: plan!, assignedAt, fired: [...fired], lastReportDueAt, replanRequested },
      });
    }
    const seen = changes;
    const wake = nextWake(Date.now());
    await condition(() => changes !== seen, wake === null ? undefined : Math.max(1, wake - Date.now()));
  }
  await condition(allHandlersFinished);
  return state;
}
