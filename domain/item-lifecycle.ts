/**
 * The item lifecycle as a pure state machine: assigned → acknowledged (签收) → in progress
 * (progress reported) → submitted for close-out → closed (销号). Shared by the workflow
 * (update validators and handlers) and the API (labels, filters), with no I/O.
 */
import { z } from 'zod';
import type { Principal } from './principal';

export const ITEM_STATUSES = ['assigned', 'acknowledged', 'in_progress', 'submitted', 'closed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = {
  assigned: '已交办',
  acknowledged: '已签收',
  in_progress: '整改中',
  submitted: '待销号',
  closed: '已销号',
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

/** What the item workflow holds and reports to the read model. */
export interface ItemState {
  itemId: string;
  status: ItemStatus;
  progressPercent: number;
  units: ItemUnit[];
  acknowledgedUnits: string[];
  lastReportAt: string | null;
  /** Number of events recorded so far: the audit trail's key and the read model's version. */
  seq: number;
}

// Action payloads: validated by the API (400) and again by the workflow's update validators.
const note = z.string().trim().max(2000);
export const acknowledgeInput = z.object({ note: note.optional() });
export const reportProgressInput = z.object({
  text: z.string().trim().min(1, 'a progress report needs text').max(10_000),
  percent: z.number().int().min(0).max(100),
  evidence: z.array(z.string().trim().min(1).max(500)).max(50).default([]),
});
export const submitInput = z.object({ summary: z.string().trim().min(1, 'say what was done').max(10_000) });
export const closeInput = z.object({ note: note.optional() });

export const ACTION_INPUTS = {
  acknowledge: acknowledgeInput,
  reportProgress: reportProgressInput,
  submit: submitInput,
  close: closeInput,
} as const;
export type ItemAction = keyof typeof ACTION_INPUTS;
export type ActionInput<A extends ItemAction> = z.infer<(typeof ACTION_INPUTS)[A]>;

export type Refusal = { code: RefusalCode; message: string; messageZh: string };
export type RefusalCode =
  | 'INVALID_TRANSITION'
  | 'UNIT_NOT_ON_ITEM'
  | 'NOT_LEAD_UNIT'
  | 'ROLE_NOT_ALLOWED'
  | 'ALREADY_ACKNOWLEDGED'
  | 'NOT_ACKNOWLEDGED'
  | 'INVALID_INPUT';

/** From which statuses each action is allowed, and the status it leads to. */
const TRANSITIONS: Record<ItemAction, { from: readonly ItemStatus[]; to?: ItemStatus }> = {
  acknowledge: { from: ['assigned', 'acknowledged', 'in_progress'] },
  reportProgress: { from: ['acknowledged', 'in_progress'], to: 'in_progress' },
  submit: { from: ['acknowledged', 'in_progress'], to: 'submitted' },
  close: { from: ['submitted'], to: 'closed' },
};

const ACTION_LABELS: Record<ItemAction, string> = {
  acknowledge: '签收',
  reportProgress: '报送进展',
  submit: '提交销号申请',
  close: '销号',
};

export function initialItemState(itemId: string, units: ItemUnit[]): ItemState {
  return { itemId, status: 'assigned', progressPercent: 0, units, acknowledgedUnits: [], lastReportAt: null, seq: 0 };
}

/** Why `actor` may not do `action` now, or undefined when allowed. */
export function refusal(state: ItemState, action: ItemAction, actor: Principal, input: unknown): Refusal | undefined {
  const parsed = ACTION_INPUTS[action].safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    return { code: 'INVALID_INPUT', message: `invalid ${action} input: ${detail}`, messageZh: `${ACTION_LABELS[action]}的内容不符合要求：${detail}` };
  }
  if (action === 'close') {
    if (actor.role !== 'office') return roleRefusal(action, 'the supervising office');
  } else {
    if (actor.role !== 'unit' || !actor.unitId) return roleRefusal(action, 'a responsible unit');
    const unit = state.units.find((u) => u.unitId === actor.unitId);
    if (!unit) {
      return {
        code: 'UNIT_NOT_ON_ITEM',
        message: `unit ${actor.unitId} is neither the lead nor a co-operating unit of this item`,
        messageZh: '该单位不是本事项的牵头单位或配合单位',
      };
    }
    if (action === 'acknowledge' && state.acknowledgedUnits.includes(unit.unitId)) {
      return { code: 'ALREADY_ACKNOWLEDGED', message: 'your unit has already acknowledged this item', messageZh: '本单位已签收该事项' };
    }
    if (action === 'reportProgress' && !state.acknowledgedUnits.includes(unit.unitId)) {
      return { code: 'NOT_ACKNOWLEDGED', message: 'acknowledge the item before reporting progress', messageZh: '请先签收再报送进展' };
    }
    if (action === 'submit' && unit.role !== 'lead') {
      return { code: 'NOT_LEAD_UNIT', message: 'only a lead unit submits the item for close-out', messageZh: '只有牵头单位可以提交销号申请' };
    }
  }
  const t = TRANSITIONS[action];
  if (!t.from.includes(state.status)) {
    const needs = t.from.map((s) => `"${s}"`).join(' or ');
    return {
      code: 'INVALID_TRANSITION',
      message: `cannot ${action} an item in status "${state.status}" (allowed from ${needs})`,
      messageZh: `事项当前状态为“${ITEM_STATUS_LABELS[state.status]}”，不能${ACTION_LABELS[action]}`,
    };
  }
  return undefined;
}

function roleRefusal(action: ItemAction, who: string): Refusal {
  return {
    code: 'ROLE_NOT_ALLOWED',
    message: `only ${who} may ${action} an item`,
    messageZh: action === 'close' ? '只有督查室可以销号' : `只有责任单位可以${ACTION_LABELS[action]}`,
  };
}

export interface ItemEventDraft {
  type: ItemAction;
  fromStatus: ItemStatus;
  toStatus: ItemStatus;
  payload: Record<string, unknown>;
}

/** The next state after an allowed action (call `refusal` first). */
export function applyAction(
  state: ItemState,
  action: ItemAction,
  actor: Principal,
  rawInput: unknown,
  at: string,
): { state: ItemState; event: ItemEventDraft } {
  const input = ACTION_INPUTS[action].parse(rawInput) as Record<string, unknown>;
  const next: ItemState = { ...state, seq: state.seq + 1 };
  if (action === 'acknowledge') {
    next.acknowledgedUnits = [...state.acknowledgedUnits, actor.unitId!];
    if (state.status === 'assigned') next.status = 'acknowledged';
  } else {
    next.status = TRANSITIONS[action].to!;
  }
  if (action === 'reportProgress') {
    next.progressPercent = (input as ActionInput<'reportProgress'>).percent;
    next.lastReportAt = at;
  }
  if (action === 'close') next.progressPercent = 100;
  return { state: next, event: { type: action, fromStatus: state.status, toStatus: next.status, payload: input } };
}
