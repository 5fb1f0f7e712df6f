/**
 * One letter per unit (seed 000: "对涉及问题整改的16个相关部门，分别印发了整改工作提醒函"): the ladder
 * steps of one rung that fall due for one lead unit on one day are collected into ONE letter
 * listing those items, with one 文号 and one 签收 — not a letter per item.
 *
 * The collecting is a workflow per (campaign, unit, rung, day) (workflows/unit-letter.ts); what
 * is decided here, purely: the batch's identity, when it closes, and whether an item collected
 * earlier still belongs in the letter when it is written (the item may have been closed,
 * submitted, paused, given a new deadline or reassigned to another unit meanwhile).
 */
import type { ItemStatus } from '../item-lifecycle';
import type { LadderStepName } from '../policy';
import type { DateStr } from '../time';

/** An item's ladder step waiting in a unit's letter. */
export interface BatchEntry {
  itemId: string;
  /** The step's idempotency key (`<item>:ladder:<rung>:v<N>`): an item step is listed in one letter per unit, ever. */
  stepKey: string;
  deadlineVersion: number;
  occurredAt: string;
}

export interface UnitLetterBatch {
  campaignId: string;
  unitId: string;
  rung: LadderStepName;
  /** The day (Asia/Shanghai) the steps fell due. */
  day: DateStr;
  /** When the letter is written: the steps of that unit, rung and day that arrive by then are in it. */
  closeAt: number;
  /** The policy's collecting window (ms): steps arriving after the first letter wait this long for company. */
  collectMs?: number;
}

/**
 * The most steps one letter lists: a round's entries travel as one activity input, which
 * Temporal caps at 2 MB (an entry is about 200 bytes). A unit with more due on one rung and day
 * gets a second letter.
 */
export const MAX_ENTRIES_PER_LETTER = 2_000;

export const unitLetterWorkflowId = (b: Pick<UnitLetterBatch, 'campaignId' | 'unitId' | 'rung' | 'day'>): string =>
  `unit-letter-${b.campaignId}-${b.unitId}-${b.rung}-${b.day}`;

/** The item as the read model has it when the letter is written. */
export interface ItemNow {
  status: ItemStatus;
  deadlineVersion: number;
  paused: boolean;
  leadUnits: string[];
}

export type DropReason = 'gone' | 'no_longer_open' | 'paused' | 'deadline_changed' | 'unit_no_longer_lead';

/** Why a collected step no longer belongs in the unit's letter, or null when it does. */
export function dropReason(entry: BatchEntry, unitId: string, item: ItemNow | undefined): DropReason | null {
  if (!item) return 'gone';
  // Submitted (the ladder waits), closed or cancelled: nothing to press for now.
  if (item.status !== 'assigned' && item.status !== 'acknowledged' && item.status !== 'in_progress') return 'no_longer_open';
  if (item.paused) return 'paused';
  // An extension or a new deadline re-arms the ladder: this step belongs to a deadline that no longer holds.
  if (item.deadlineVersion !== entry.deadlineVersion) return 'deadline_changed';
  if (!item.leadUnits.includes(unitId)) return 'unit_no_longer_lead';
  return null;
}

export const DROP_REASON_LABELS: Record<DropReason, string> = {
  gone: '事项不存在',
  no_longer_open: '事项已提交销号、已销号或已撤销',
  paused: '事项已暂缓',
  deadline_changed: '整改时限已调整',
  unit_no_longer_lead: '已不再是牵头单位',
};

/**
 * An assignment batch (交办): the items of one create call or one import. Each unit gets one
 * 整改工作提醒函 listing its items of the batch (workflows/assignment-letters.ts).
 */
export interface AssignmentBatch {
  campaignId: string;
  batchId: string;
  /** False while an import is still writing its chunks (it seals the batch after its last). */
  sealed: boolean;
}

/** A unit's letter of the batch: `at` is when the batch's workflow started (the assignment, on Temporal's clock), the letters' date. */
export interface AssignmentLetterRequest extends AssignmentBatch {
  unitId: string;
  at: string;
}

export const assignmentLettersWorkflowId = (batchId: string): string => `assignment-letters-${batchId}`;
