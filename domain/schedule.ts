/**
 * Turns an item's deadline and policy into instants on the official calendar: when each
 * reminder and ladder step is due, when the light turns yellow, when reports are due. Runs in
 * an activity (the calendar is data that can change), and its result is recorded in workflow
 * history, so replay never depends on the calendar of the day.
 */
import type { WorkCalendar } from './calendar';
import { parseOffset, type Offset } from './offset';
import type { LettersPolicy } from './letters/policy';
import type { LadderStepName, Policy } from './policy';
import { isCadenceDay, isNamedCadence, type NamedCadence } from './cadence';
import { CalendarDomainError } from './bounds';
import { deadlineForm, deadlineSpecProblem } from './deadline-spec';
import { addDays, dateOf, instantAt, minuteOfDay, parseInstant, type DateStr } from './time';

/** 'YYYY-MM-DD' (due by the end of that day), or an offset from assignment ("10WD", "PT2M"); null for long-term items. */
export type DeadlineSpec = string | null;

export interface PlannedStep {
  /** Stable within a deadline version: with it, the step's idempotency key. */
  key: string;
  kind: 'reminder' | 'ladder';
  name: string;
  ladderStep?: LadderStepName;
  listInBulletin?: boolean;
  at: number;
}

export interface Plan {
  calendarVersion: number;
  policyVersion: string;
  deadlineDate: DateStr | null;
  /** The instant the item becomes overdue (the end of the deadline day). */
  dueAt: number | null;
  nearAt: number | null;
  steps: PlannedStep[];
  /** The next report-due instants (at most MAX_REPORT_DUES; planned again when used up). */
  reportDues: number[];
}

export const MAX_REPORT_DUES = 20;

export interface PlanInput {
  deadline: DeadlineSpec;
  /** When the item was assigned: offsets in the deadline count from here. */
  assignedAt: number;
  /** Report dues and steps before this instant are not planned (already past). */
  from: number;
  campaignEnd: DateStr;
  policy: Policy;
}

/**
 * The deadline's date and the instant it passes. A spec outside its domain (a date beyond
 * 2100-12-31, "3000000WD", "P99999999W": domain/bounds.ts) throws CalendarDomainError, which
 * the planning activity reports as non-retryable: the same input fails the same way every time.
 */
export function resolveDeadline(spec: DeadlineSpec, assignedAt: number, cal: WorkCalendar): { date: DateStr; dueAt: number } | null {
  if (spec === null) return null;
  const problem = deadlineSpecProblem(spec);
  if (problem) throw new CalendarDomainError(`invalid deadline "${String(spec).slice(0, 60)}": ${problem}`, `整改时限“${String(spec).slice(0, 60)}”无效：${problem}`, 'deadline');
  const form = deadlineForm(spec);
  if (form === 'date') return { date: spec, dueAt: instantAt(addDays(spec, 1)) };
  if (form === 'instant') {
    const dueAt = parseInstant(spec)!;
    return { date: dateOf(dueAt - 1), dueAt };
  }
  const off = parseOffset(spec);
  if (!off) throw new CalendarDomainError(`invalid deadline "${spec}"`, `整改时限“${spec}”无效`, 'deadline');
  if (off.kind === 'working_days') {
    const date = cal.addWorkingDays(dateOf(assignedAt), off.days);
    return { date, dueAt: instantAt(addDays(date, 1)) };
  }
  const dueAt = assignedAt + off.ms;
  return { date: dateOf(dueAt - 1), dueAt };
}

export function planItem(input: PlanInput, cal: WorkCalendar): Plan {
  const { policy } = input;
  const due = resolveDeadline(input.deadline, input.assignedAt, cal);
  const deliver = (t: number) => deliveryInstant(t, policy, cal);
  const steps: PlannedStep[] = [];
  let nearAt: number | null = null;

  if (due) {
    for (const text of policy.reminders) {
      const off = parseOffset(text)!;
      const at = deliver(off.kind === 'working_days' ? instantAt(cal.addWorkingDays(due.date, -off.days), policy.delivery?.at) : due.dueAt - off.ms);
      if (at >= input.from && at < due.dueAt) steps.push({ key: `reminder:${text}`, kind: 'reminder', name: `到期前提醒（${describe(off)}）`, at });
    }
    // Day 0 of the ladder: the first working morning after the deadline day.
    const day0 = cal.onOrAfterWorkingDay(dateOf(due.dueAt));
    for (const rung of policy.ladder) {
      const off = parseOffset(rung.after)!;
      const at = deliver(off.kind === 'working_days' ? instantAt(cal.addWorkingDays(day0, off.days), policy.delivery?.at) : due.dueAt + off.ms);
      steps.push({ key: `ladder:${rung.step}`, kind: 'ladder', name: rung.step, ladderStep: rung.step, listInBulletin: rung.listInBulletin, at });
    }
    // Planned late (an item created, extended or resumed after some rungs' time): only the
    // highest rung already due is kept, so nobody gets four letters at once. Rungs planned in
    // time and delayed by an outage still all fire, in order (the workflow catches up).
    const late = steps.filter((s) => s.kind === 'ladder' && s.at < input.from).sort((a, b) => a.at - b.at);
    for (const s of late.slice(0, -1)) steps.splice(steps.indexOf(s), 1);
    const near = parseOffset(policy.lights.nearWithin)!;
    nearAt = near.kind === 'working_days' ? instantAt(cal.addWorkingDays(due.date, -near.days)) : due.dueAt - near.ms;
  }
  steps.sort((a, b) => a.at - b.at);

  return {
    calendarVersion: cal.version,
    policyVersion: policy.version,
    deadlineDate: due?.date ?? null,
    dueAt: due?.dueAt ?? null,
    nearAt,
    steps,
    reportDues: reportDues(input, cal),
  };
}

/** Moves an instant into office hours on a working day (unless the policy delivers at once). */
export function deliveryInstant(t: number, policy: Policy, cal: WorkCalendar): number {
  if (!policy.delivery) return t;
  const [openH, openM] = policy.delivery.at.split(':').map(Number) as [number, number];
  const [closeH, closeM] = policy.delivery.until.split(':').map(Number) as [number, number];
  const d = dateOf(t);
  const m = minuteOfDay(t);
  if (cal.isWorkingDay(d) && m >= openH * 60 + openM && m < closeH * 60 + closeM) return t;
  const day = cal.isWorkingDay(d) && m < openH * 60 + openM ? d : cal.onOrAfterWorkingDay(addDays(d, 1));
  return instantAt(day, policy.delivery.at);
}

function reportDues(input: PlanInput, cal: WorkCalendar): number[] {
  const cadence = input.policy.reportCadence;
  if (!cadence) return [];
  const end = instantAt(addDays(input.campaignEnd, 1));
  const out: number[] = [];
  const push = (t: number) => {
    if (t > input.from && t <= end && out.length < MAX_REPORT_DUES) out.push(t);
  };
  // A report is due by the end of its day; a due day that is a holiday moves to the next working day.
  const endOfDay = (d: DateStr) => instantAt(addDays(cal.onOrAfterWorkingDay(d), 1));
  const startDate = dateOf(input.from);
  const off = !isNamedCadence(cadence.every) ? parseOffset(cadence.every) : undefined;
  if (off) {
    const step = off.kind === 'duration' ? off.ms : 0;
    if (off.kind === 'working_days' && off.days > 0) {
      // (every "0WD" would be the same day for ever: no cadence, like "PT0S")
      for (let d = cal.addWorkingDays(startDate, off.days); out.length < MAX_REPORT_DUES && instantAt(d) < end; d = cal.addWorkingDays(d, off.days)) push(instantAt(addDays(d, 1)));
    } else if (off.kind === 'duration' && step > 0) {
      for (let t = input.assignedAt + step; out.length < MAX_REPORT_DUES && t <= end; t += step) push(t);
    }
    return out;
  }
  const weekday = 'weekday' in cadence ? cadence.weekday : 5;
  for (let d = startDate, guard = 0; out.length < MAX_REPORT_DUES && instantAt(d) < end && guard < 800; d = addDays(d, 1), guard++) {
    if (isCadenceDay(cadence.every as NamedCadence, weekday, d)) push(endOfDay(d));
  }
  return out;
}

function describe(off: Offset): string {
  if (off.kind === 'working_days') return `${off.days}个工作日`;
  const s = off.ms / 1000;
  if (s % 86_400 === 0) return `${s / 86_400}天`;
  if (s % 3600 === 0) return `${s / 3600}小时`;
  if (s % 60 === 0) return `${s / 60}分钟`;
  return `${s}秒`;
}

/**
 * The deadline after a pause: the clock restarts with the time that was left. A date deadline
 * moves by the working days the pause lasted; an instant deadline by the paused time itself.
 */
export function shiftDeadline(spec: DeadlineSpec, assignedAt: number, pause: { from: number; to: number }, cal: WorkCalendar): DeadlineSpec {
  const due = resolveDeadline(spec, assignedAt, cal);
  if (!due || spec === null) return spec;
  const form = deadlineForm(spec);
  const off = form === 'offset' ? parseOffset(spec) : undefined;
  if (off?.kind === 'duration' || form === 'instant') return new Date(due.dueAt + (pause.to - pause.from)).toISOString();
  return cal.addWorkingDays(due.date, cal.workingDaysBetween(dateOf(pause.from), dateOf(pause.to)));
}

/** When the look-back review (回头看) is due after a close-out at `closedAt`. */
export function lookBackInstant(closedAt: number, policy: Policy, cal: WorkCalendar): number | null {
  if (!policy.lookBack) return null;
  const off = parseOffset(policy.lookBack.after)!;
  const raw = off.kind === 'working_days' ? instantAt(cal.addWorkingDays(dateOf(closedAt), off.days), policy.delivery?.at) : closedAt + off.ms;
  return deliveryInstant(raw, policy, cal);
}

// A letter's reply date and receipt time are deadlines set by an offset from its issue, by the
// same rule as an item's ("3WD": the end of the third working day after; "PT2H": two hours later).

/** The date a letter issued at `at` asks for a reply by. */
export function replyByDate(at: number, p: LettersPolicy, cal: WorkCalendar): DateStr {
  return resolveDeadline(p.replyWithin, at, cal)!.date;
}

/** When signing for a letter issued at `at` is due, or null when the policy asks for none. */
export function receiptDueAt(at: number, p: LettersPolicy, cal: WorkCalendar): number | null {
  return p.receiptWithin === null ? null : resolveDeadline(p.receiptWithin, at, cal)!.dueAt;
}
