/**
 * The item lifecycle as a pure state machine, shared by the workflow (update validators and
 * handlers) and the API (labels, schemas). No I/O, no clock: `now` is passed in.
 *
 *   assigned → acknowledged (签收) → in_progress (进展报告) → submitted (提交销号) → closed (销号)
 *   submitted → rejected (退回) → in_progress;  any open status → cancelled
 *   extension request (延期申请) → approved (deadline moves) / refused;  pause (暂缓) / resume
 *   closed → look-back (回头看) → passed, or failed → reopened (in_progress, new deadline)
 */
import { z } from 'zod';
import { evidenceFileSchema, MAX_FILES_PER_ACTION } from './evidence';
import { deadlineSpecSchema } from './deadline-spec';
import type { Light } from './lights';
import { itemActorRefusal, type ItemActor } from './access';
import type { Principal } from './principal';
import { dateOf } from './time';

export const ITEM_STATUSES = ['assigned', 'acknowledged', 'in_progress', 'submitted', 'closed', 'cancelled'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = {
  assigned: '已交办',
  acknowledged: '已签收',
  in_progress: '整改中',
  submitted: '待销号',
  closed: '已销号',
  cancelled: '已撤销',
};

export const ITEM_KINDS = ['immediate', 'time_limited', 'long_term'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const ITEM_KIND_LABELS: Record<ItemKind, string> = {
  immediate: '立行立改',
  time_limited: '限期整改',
  long_term: '长期坚持',
};

export type UnitRole = 'lead' | 'co';
export interface ItemUnit {
  unitId: string;
  role: UnitRole;
}

/** 'YYYY-MM-DD', an offset from assignment ("10WD", "PT2M"), or an exact ISO instant — each within its domain (domain/bounds.ts). */
export { deadlineSpecSchema };

/** What the item workflow holds and reports to the read model. */
export interface ItemState {
  itemId: string;
  kind: ItemKind;
  campaignEnd: string;
  status: ItemStatus;
  progressPercent: number;
  units: ItemUnit[];
  acknowledgedUnits: string[];
  lastReportAt: string | null;
  /** The deadline as given; changes with extensions, pauses and reopening. */
  deadline: string | null;
  /** Bumped whenever the deadline changes: a new version re-arms every reminder and ladder step. */
  deadlineVersion: number;
  /** Resolved on the official calendar by the planning activity. */
  deadlineDate: string | null;
  dueAt: string | null;
  paused: { since: string; reason: string } | null;
  pendingExtension: { requestedBy: string; newDeadline: string; reason: string; at: string } | null;
  light: Light;
  missedReports: number;
  rejections: number;
  /** After close-out, when the look-back review is (or was) due; `lookBackDue` once it is. */
  lookBackAt: string | null;
  lookBackDue: boolean;
  /** Number of events recorded so far: the audit trail's key and the read model's version. */
  seq: number;
}

// Action payloads: validated by the API (400) and again by the workflow's update validators.
const text = (what: string, max = 10_000) => z.string().trim().min(1, what).max(max);
const note = z.string().trim().max(2000);
export const ACTION_INPUTS = {
  acknowledge: z.object({ note: note.optional() }),
  reportProgress: z.object({
    text: text('a progress report needs text'),
    percent: z.number().int().min(0).max(100),
    evidence: z.array(z.string().trim().min(1).max(500)).max(50).default([]),
    /** Uploaded evidence files (佐证材料) it cites, with their SHA-256 (the API resolves ids to these). */
    files: z.array(evidenceFileSchema).max(MAX_FILES_PER_ACTION).optional(),
  }),
  submit: z.object({ summary: text('say what was done'), files: z.array(evidenceFileSchema).max(MAX_FILES_PER_ACTION).optional() }),
  close: z.object({ note: note.optional() }),
  reject: z.object({ reasons: text('say why the item is sent back') }),
  requestExtension: z.object({ newDeadline: deadlineSpecSchema, reason: text('an extension request needs a reason') }),
  decideExtension: z
    .object({ approve: z.boolean(), newDeadline: deadlineSpecSchema.optional().describe('approve a different date than requested'), reason: note.optional() })
    .refine((v) => v.approve || v.reason, { path: ['reason'], message: 'say why the extension is refused' }),
  pause: z.object({ reason: text('a pause (暂缓) needs a reason') }),
  resume: z.object({ note: note.optional() }),
  reassign: z.object({
    leadUnits: z.array(z.string().uuid()).min(1, 'an item needs at least one lead unit'),
    coUnits: z.array(z.string().uuid()).default([]),
  }),
  cancel: z.object({ reason: text('say why the item is cancelled') }),
  reopen: z.object({ newDeadline: deadlineSpecSchema, reason: text('say why the item is reopened') }),
  changeDeadline: z.object({ newDeadline: deadlineSpecSchema, reason: text('say why the deadline changes') }),
  recheck: z
    .object({ passed: z.boolean(), note: note.optional(), newDeadline: deadlineSpecSchema.optional() })
    .refine((v) => v.passed || v.newDeadline, { path: ['newDeadline'], message: 'a failed look-back reopens the item: give it a new deadline' }),
} as const;
export type ItemAction = keyof typeof ACTION_INPUTS;
export type ActionInput<A extends ItemAction> = z.infer<(typeof ACTION_INPUTS)[A]>;

export const ACTION_LABELS: Record<ItemAction, string> = {
  acknowledge: '签收',
  reportProgress: '报送进展',
  submit: '提交销号申请',
  close: '销号',
  reject: '退回',
  requestExtension: '申请延期',
  decideExtension: '审批延期',
  pause: '暂缓',
  resume: '恢复',
  reassign: '调整责任单位',
  cancel: '撤销',
  reopen: '重新打开',
  recheck: '回头看核查',
  changeDeadline: '调整整改时限',
};

/** Who may take each action: a responsible unit (and which), or the supervising office. */
/** Who takes each action (the actor table); whether a principal is that actor is domain/access.ts's call. */
const ACTOR: Record<ItemAction, ItemActor> = {
  acknowledge: 'unit',
  reportProgress: 'unit',
  submit: 'lead',
  requestExtension: 'lead',
  close: 'office',
  reject: 'office',
  decideExtension: 'office',
  pause: 'office',
  resume: 'office',
  reassign: 'office',
  cancel: 'office',
  reopen: 'office',
  recheck: 'office',
  changeDeadline: 'office',
};
export const isOfficeAction = (a: ItemAction): boolean => ACTOR[a] === 'office';

/** Statuses in which the item is being worked on: the clock runs, the ladder may press. */
export const OPEN_STATUSES: readonly ItemStatus[] = ['assigned', 'acknowledged', 'in_progress'];
export const isOpen = (status: ItemStatus): boolean => OPEN_STATUSES.includes(status);
/** Open or awaiting verification: the item still has a deadline that a calendar change can move. */
export const UNFINISHED_STATUSES: readonly ItemStatus[] = [...OPEN_STATUSES, 'submitted'];
/** From which statuses each action is allowed. */
const FROM: Record<ItemAction, readonly ItemStatus[]> = {
  acknowledge: OPEN_STATUSES,
  reportProgress: ['acknowledged', 'in_progress'],
  submit: ['acknowledged', 'in_progress'],
  close: ['submitted'],
  reject: ['submitted'],
  requestExtension: OPEN_STATUSES,
  decideExtension: OPEN_STATUSES,
  pause: OPEN_STATUSES,
  resume: OPEN_STATUSES,
  reassign: UNFINISHED_STATUSES,
  cancel: UNFINISHED_STATUSES,
  reopen: ['closed'],
  recheck: ['closed'],
  changeDeadline: UNFINISHED_STATUSES,
};

export type RefusalCode =
  | 'INVALID_TRANSITION'
  | 'UNIT_NOT_ON_ITEM'
  | 'NOT_LEAD_UNIT'
  | 'ROLE_NOT_ALLOWED'
  | 'ALREADY_ACKNOWLEDGED'
  | 'NOT_ACKNOWLEDGED'
  | 'PAUSED'
  | 'NOT_PAUSED'
  | 'EXTENSION_PENDING'
  | 'NO_EXTENSION_PENDING'
  | 'NO_DEADLINE'
  | 'LONG_TERM_OPEN'
  | 'LOOK_BACK_NOT_DUE'
  | 'INVALID_INPUT';
export type Refusal = { code: RefusalCode; message: string; messageZh: string };

const refuse = (code: RefusalCode, message: string, messageZh: string): Refusal => ({ code, message, messageZh });

export function initialItemState(init: { itemId: string; kind: ItemKind; campaignEnd: string; units: ItemUnit[]; deadline: string | null }): ItemState {
  return {
    ...init,
    status: 'assigned',
    progressPercent: 0,
    acknowledgedUnits: [],
    lastReportAt: null,
    deadlineVersion: 1,
    deadlineDate: null,
    dueAt: null,
    paused: null,
    pendingExtension: null,
    light: 'green',
    missedReports: 0,
    rejections: 0,
    lookBackAt: null,
    lookBackDue: false,
    seq: 0,
  };
}

/** Why `actor` may not take `action` with `input` now, or undefined when allowed (the update validators' and the API's check). */
export function refusal(state: ItemState, action: ItemAction, actor: Principal, input: unknown, now: number): Refusal | undefined {
  return inputRefusal(action, input) ?? stateRefusal(state, action, actor, now);
}

/** Why `input` is not a valid `action` payload (its domains, domain/bounds.ts), or undefined. */
export function inputRefusal(action: ItemAction, input: unknown): Refusal | undefined {
  const parsed = ACTION_INPUTS[action].safeParse(input);
  if (parsed.success) return undefined;
  const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  return refuse('INVALID_INPUT', `invalid ${action} input: ${detail}`, `${ACTION_LABELS[action]}的内容不符合要求：${detail}`);
}

/**
 * Why `actor` may not take `action` in this state, whatever the input. The update handler checks
 * only this (the item may have moved on while the action waited its turn): an input accepted on
 * admission stays accepted on replay even after the input domains change.
 */
export function stateRefusal(state: ItemState, action: ItemAction, actor: Principal, now: number): Refusal | undefined {
  const who = ACTOR[action];
  // Who may act is decided in domain/access.ts; the state checks below are the lifecycle's.
  const denied = itemActorRefusal(who, actor, state.units, action, ACTION_LABELS[action]);
  if (denied) return refuse(denied.code, denied.message, denied.messageZh);
  if (who !== 'office') {
    const unit = state.units.find((u) => u.unitId === actor.unitId)!;
    if (action === 'acknowledge' && state.acknowledgedUnits.includes(unit.unitId)) return refuse('ALREADY_ACKNOWLEDGED', 'your unit has already acknowledged this item', '本单位已签收该事项');
    if (action === 'reportProgress' && !state.acknowledgedUnits.includes(unit.unitId)) return refuse('NOT_ACKNOWLEDGED', 'acknowledge the item before reporting progress', '请先签收再报送进展');
  }
  if (!FROM[action].includes(state.status)) {
    const allowed = FROM[action].map((s) => `"${s}"`).join(', ');
    return refuse('INVALID_TRANSITION', `cannot ${action} an item in status "${state.status}" (allowed from ${allowed})`, `事项当前状态为“${ITEM_STATUS_LABELS[state.status]}”，不能${ACTION_LABELS[action]}`);
  }
  if (state.paused && (action === 'submit' || action === 'pause' || action === 'requestExtension')) {
    return refuse('PAUSED', `the item is paused (${state.paused.reason}); resume it first`, '事项已暂缓，请先恢复');
  }
  if (action === 'resume' && !state.paused) return refuse('NOT_PAUSED', 'the item is not paused', '事项未暂缓');
  if (action === 'requestExtension') {
    if (state.kind === 'long_term') return refuse('NO_DEADLINE', 'long-term items have no deadline to extend', '长期坚持类事项没有整改时限，无需延期');
    if (state.pendingExtension) return refuse('EXTENSION_PENDING', 'an extension request is already waiting for a decision', '已有延期申请待审批');
  }
  if (action === 'decideExtension' && !state.pendingExtension) return refuse('NO_EXTENSION_PENDING', 'there is no extension request to decide', '没有待审批的延期申请');
  if (action === 'close' && state.kind === 'long_term' && dateOf(now) <= state.campaignEnd) {
    return refuse('LONG_TERM_OPEN', `a long-term item keeps reporting until the campaign ends (${state.campaignEnd})`, `长期坚持类事项须持续报送至专项行动结束（${state.campaignEnd}），不能提前销号`);
  }
  if (action === 'recheck' && !state.lookBackDue) return refuse('LOOK_BACK_NOT_DUE', 'the look-back review is not due yet', '尚未到回头看时间');
  return undefined;
}

export interface ItemEventDraft {
  type: ItemAction;
  fromStatus: ItemStatus;
  toStatus: ItemStatus;
  payload: Record<string, unknown>;
}

/**
 * The next state after an allowed action (call `refusal` first). Deadline changes bump
 * `deadlineVersion` and leave resolving the new deadline on the calendar to the workflow's
 * planning activity.
 */
export function applyAction(state: ItemState, action: ItemAction, actor: Principal, rawInput: unknown, at: string): { state: ItemState; event: ItemEventDraft } {
  // Parsed for its defaults; an input admitted under earlier domains is taken as it was (replay).
  const parsed = ACTION_INPUTS[action].safeParse(rawInput);
  const input = (parsed.success ? parsed.data : withDefaults(action, rawInput)) as Record<string, unknown>;
  const next: ItemState = { ...state, seq: state.seq + 1 };
  const newDeadline = (spec: string) => {
    next.deadline = spec;
    next.deadlineVersion = state.deadlineVersion + 1;
  };
  switch (action) {
    case 'acknowledge':
      next.acknowledgedUnits = [...state.acknowledgedUnits, actor.unitId!];
      if (state.status === 'assigned') next.status = 'acknowledged';
      break;
    case 'reportProgress':
      next.status = 'in_progress';
      next.progressPercent = (input as ActionInput<'reportProgress'>).percent;
      next.lastReportAt = at;
      next.missedReports = 0;
      break;
    case 'submit':
      next.status = 'submitted';
      break;
    case 'close':
      next.status = 'closed';
      next.progressPercent = 100;
      next.pendingExtension = null;
      break;
    case 'reject':
      next.status = 'in_progress';
      next.rejections = state.rejections + 1;
      break;
    case 'requestExtension': {
      const i = input as ActionInput<'requestExtension'>;
      next.pendingExtension = { requestedBy: actor.unitId!, newDeadline: i.newDeadline, reason: i.reason, at };
      break;
    }
    case 'decideExtension': {
      const i = input as ActionInput<'decideExtension'>;
      if (i.approve) newDeadline(i.newDeadline ?? state.pendingExtension!.newDeadline);
      next.pendingExtension = null;
      break;
    }
    case 'pause':
      next.paused = { since: at, reason: (input as ActionInput<'pause'>).reason };
      break;
    case 'resume':
      // The clock restarts with the time that was left: the planning activity shifts the deadline.
      next.paused = null;
      next.deadlineVersion = state.deadlineVersion + 1;
      break;
    case 'reassign': {
      const i = input as ActionInput<'reassign'>;
      const leads = [...new Set(i.leadUnits)];
      const co = [...new Set(i.coUnits)].filter((u) => !leads.includes(u));
      next.units = [...leads.map((unitId) => ({ unitId, role: 'lead' as const })), ...co.map((unitId) => ({ unitId, role: 'co' as const }))];
      next.acknowledgedUnits = state.acknowledgedUnits.filter((u) => next.units.some((x) => x.unitId === u));
      if (next.status === 'acknowledged' && next.acknowledgedUnits.length === 0) next.status = 'assigned';
      break;
    }
    case 'changeDeadline':
      newDeadline((input as ActionInput<'changeDeadline'>).newDeadline);
      break;
    case 'cancel':
      next.status = 'cancelled';
      next.pendingExtension = null;
      next.paused = null; // nothing is paused once there is nothing left to do
      break;
    case 'reopen':
      next.status = 'in_progress';
      next.lookBackDue = false;
      next.lookBackAt = null;
      newDeadline((input as ActionInput<'reopen'>).newDeadline);
      break;
    case 'recheck': {
      const i = input as ActionInput<'recheck'>;
      next.lookBackDue = false;
      if (!i.passed) {
        next.status = 'in_progress';
        next.lookBackAt = null;
        newDeadline(i.newDeadline!);
      }
      break;
    }
  }
  return { state: next, event: { type: action, fromStatus: state.status, toStatus: next.status, payload: input } };
}

/** The schema's defaults on an input it no longer accepts (admitted under earlier bounds). */
function withDefaults(action: ItemAction, raw: unknown): Record<string, unknown> {
  const input = { ...(raw as Record<string, unknown>) };
  if (action === 'reportProgress') input.evidence ??= [];
  if (action === 'reassign') input.coUnits ??= [];
  return input;
}
