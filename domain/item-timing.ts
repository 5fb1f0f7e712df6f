/**
 * What the item workflow must do by itself as time passes, decided here as pure functions of
 * what it holds and the instant `now` — no I/O, no clock — so the workflow only carries the
 * decisions out, and the rules are tested in tests/domain without Temporal.
 *
 *  - reminders before the deadline and the ladder after it fire once per deadline version;
 *    while the item is submitted (提交销号) the ladder waits, and a reminder whose deadline has
 *    passed meanwhile is dropped, not sent;
 *  - a report due on the cadence with no report since the previous due is a missed report;
 *  - after close-out, the look-back (回头看) falls due at its planned instant;
 *  - the warning light follows domain/lights.ts.
 */
import { isOpen, type ItemState } from './item-lifecycle';
import { lightAt, nextLightChange, type Light, type LightInput } from './lights';
import type { Policy } from './policy';
import type { Plan, PlannedStep } from './schedule';

/** Everything the workflow carries from run to run (continue-as-new) besides its input. */
export interface ItemTiming {
  state: ItemState;
  /** The plan for the deadline version it was made for (null until the first plan). */
  plan: Plan | null;
  assignedAt: number;
  /** Step keys (`stepKey`) already fired or dropped. */
  fired: string[];
  /** The last report due judged (or the assignment, before the first). */
  lastReportDueAt: number;
  /** A calendar change signalled while the run waited for its handlers: the next run plans again. */
  replanRequested?: boolean;
}

/**
 * A step's key within its deadline version: the item's fired set and, prefixed with the item
 * id, the idempotency key of the notice and the letter. A new deadline version re-arms every step.
 */
export const stepKey = (step: Pick<PlannedStep, 'key'>, deadlineVersion: number): string => `${step.key}:v${deadlineVersion}`;

/** Fired sets carried by runs before the one step-key format used `key@vN`. */
export const normalizeFired = (fired: readonly string[]): string[] => fired.map((k) => k.replace(/@v(\d+)$/, ':v$1'));

/** What the timing decisions read: the item, its plan, and what has been done. */
export interface ItemClock {
  state: ItemState;
  plan: Plan | null;
  /** The deadline version the plan was made for. */
  planVersion: number;
  fired: ReadonlySet<string>;
  lastReportDueAt: number;
  assignedAt: number;
  lights: Policy['lights'];
}

/** The plan holds for the current deadline (a changed deadline waits for its new plan). */
export const planIsCurrent = (c: ItemClock): boolean => c.plan !== null && c.planVersion === c.state.deadlineVersion;

export const lightInput = (c: ItemClock): LightInput => ({
  active: isOpen(c.state.status) && !c.state.paused,
  progressPercent: c.state.progressPercent,
  startAt: c.assignedAt,
  dueAt: c.plan?.dueAt ?? null,
  nearAt: c.plan?.nearAt ?? null,
  missedReports: c.state.missedReports,
});

export interface DueStep {
  step: PlannedStep;
  key: string;
  /** False for a reminder with nothing left to remind of: marked done, not sent. */
  send: boolean;
}

export interface DueReport {
  at: number;
  /** No report since the previous due: a missed report (a late event). */
  missed: boolean;
}

export interface DuePresses {
  steps: DueStep[];
  reports: DueReport[];
  /** Every planned report due is used up: plan the next ones. */
  planMoreReports: boolean;
}

/** The steps and report dues whose time has come at `now`, in order, each once. */
export function duePresses(c: ItemClock, now: number): DuePresses {
  const none: DuePresses = { steps: [], reports: [], planMoreReports: false };
  if (!planIsCurrent(c) || c.state.paused) return none;
  const plan = c.plan!;
  const open = isOpen(c.state.status);
  // While submitted the ladder waits (it resumes if the item is rejected); reminders are judged below.
  const applies = (s: PlannedStep) => open || (s.kind === 'reminder' && c.state.status !== 'submitted');
  const steps = plan.steps
    .filter((s) => s.at <= now && !c.fired.has(stepKey(s, c.state.deadlineVersion)) && applies(s))
    .map((step) => ({
      step,
      key: stepKey(step, c.state.deadlineVersion),
      // A reminder whose deadline has passed meanwhile (held while submitted) has nothing left to remind of.
      send: step.kind !== 'reminder' || (open && (plan.dueAt === null || now < plan.dueAt)),
    }));
  if (!open) return { ...none, steps };

  const reports: DueReport[] = [];
  let previous = c.lastReportDueAt;
  const lastReport = c.state.lastReportAt === null ? null : Date.parse(c.state.lastReportAt);
  for (const at of plan.reportDues.filter((t) => t > c.lastReportDueAt && t <= now)) {
    reports.push({ at, missed: lastReport === null || lastReport <= previous });
    previous = at;
  }
  const planMoreReports = plan.reportDues.length > 0 && plan.reportDues.every((t) => t <= previous);
  return { steps, reports, planMoreReports };
}

/** The look-back review (回头看) falls due now. */
export const lookBackFallsDue = (state: ItemState, now: number): boolean =>
  state.status === 'closed' && state.lookBackAt !== null && !state.lookBackDue && Date.parse(state.lookBackAt) <= now;

/** The light the item shows at `now`. */
export const lightNow = (c: ItemClock, now: number): Light => lightAt(now, lightInput(c), c.lights);

/** When the workflow must next wake up by itself, or null when only a user can move it on. */
export function nextWake(c: ItemClock, now: number): number | null {
  const { state, plan } = c;
  if (state.paused) return null;
  const open = isOpen(state.status);
  const candidates: (number | null)[] = [];
  if (planIsCurrent(c)) {
    // While submitted, the ladder waits (it resumes if the item is rejected).
    if (open) for (const s of plan!.steps) if (!c.fired.has(stepKey(s, state.deadlineVersion))) candidates.push(s.at);
    if (open) candidates.push(plan!.reportDues.find((t) => t > c.lastReportDueAt) ?? null);
    candidates.push(nextLightChange(now, lightInput(c), c.lights));
  }
  if (state.status === 'closed' && state.lookBackAt && !state.lookBackDue) candidates.push(Date.parse(state.lookBackAt));
  const future = candidates.filter((t): t is number => t !== null);
  return future.length ? Math.min(...future) : null;
}

/** The item's workflow has nothing left to do: cancelled, closed without a look-back, or looked back and passed. */
export const itemFinished = (state: ItemState, lookBackPolicy: boolean, lookBackPassed: boolean): boolean =>
  state.status === 'cancelled' || lookBackPassed || (state.status === 'closed' && !lookBackPolicy);
