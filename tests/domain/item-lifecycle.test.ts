/**
 * The item state machine (domain/item-lifecycle.ts) without Temporal or PostgreSQL: who may take
 * which action in which status (every action × status × kind of caller), the special refusals,
 * the next state of every action, and a property over random sequences of actions.
 *
 * The expectations are written out here from the lifecycle as documented (the file's header,
 * README "The item lifecycle" and the endpoint table, ../shared/DOMAIN.md, the access rules in
 * domain/access.ts's header) — never computed by calling the code under test:
 *
 *   assigned → acknowledged (签收, each unit on the item signs for its part) → in_progress (进展,
 *   a unit that has signed) → submitted (提交销号, a lead unit) → closed (销号, the office)
 *   submitted → 退回 (the office) → in_progress;  closed → 回头看 (once due): passed, or failed →
 *   in_progress with a new deadline;  closed → reopen (the office) with a new deadline
 *   while open (assigned, acknowledged, in_progress): extension requests (a lead unit) and
 *   decisions (the office), pause / resume (the office)
 *   while unfinished (open or submitted): reassign, change the deadline, cancel (the office)
 *   long-term items (长期坚持) have no deadline to extend and cannot be closed before the campaign ends
 *   leaders read only; a unit acts only on items it is on.
 *
 * Order of the checks (what a caller who is refused on several counts is told): the input first
 * (the API answers 400 before anything else), then who is asking (a caller with no business on the
 * item learns nothing of its state), then the state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  initialItemState,
  ITEM_STATUSES,
  refusal,
  type ItemAction,
  type ItemState,
  type ItemStatus,
  type RefusalCode,
} from '../../domain/item-lifecycle';
import type { Principal } from '../../domain/principal';
import { SEED } from './property-kit';

// ——— the cast ———

const ITEM = '11111111-1111-4111-8111-111111111111';
const LEAD = '00000000-0000-4000-8000-00000000000a';
const CO = '00000000-0000-4000-8000-00000000000b';
const OTHER = '00000000-0000-4000-8000-00000000000c';
const NEW_LEAD = '00000000-0000-4000-8000-00000000000d';

const ACTORS = {
  office: { role: 'office', name: '督查室' },
  lead: { role: 'unit', name: '市住建局联络员', unitId: LEAD },
  co: { role: 'unit', name: '市水利局联络员', unitId: CO },
  stranger: { role: 'unit', name: '市教育局联络员', unitId: OTHER },
  leader: { role: 'leader', name: '分管副市长' },
  /** A leader token that happens to carry the lead unit's id: still read-only. */
  leaderOfLead: { role: 'leader', name: '局长', unitId: LEAD },
  /** A unit token that speaks for no unit. */
  unitless: { role: 'unit', name: '无单位' },
} satisfies Record<string, Principal>;
type ActorKind = keyof typeof ACTORS;
const ACTOR_KINDS = Object.keys(ACTORS) as ActorKind[];

// ——— the spec, written out ———

const STATUSES: ItemStatus[] = ['assigned', 'acknowledged', 'in_progress', 'submitted', 'closed', 'cancelled'];
const OPEN: ItemStatus[] = ['assigned', 'acknowledged', 'in_progress'];
const UNFINISHED: ItemStatus[] = [...OPEN, 'submitted'];

type Who = 'office' | 'unit' | 'lead';
/** Who takes each action, and from which statuses. */
const SPEC: Record<ItemAction, { who: Who; from: ItemStatus[] }> = {
  acknowledge: { who: 'unit', from: OPEN },
  reportProgress: { who: 'unit', from: ['acknowledged', 'in_progress'] },
  submit: { who: 'lead', from: ['acknowledged', 'in_progress'] },
  requestExtension: { who: 'lead', from: OPEN },
  close: { who: 'office', from: ['submitted'] },
  reject: { who: 'office', from: ['submitted'] },
  decideExtension: { who: 'office', from: OPEN },
  pause: { who: 'office', from: OPEN },
  resume: { who: 'office', from: OPEN },
  reassign: { who: 'office', from: UNFINISHED },
  changeDeadline: { who: 'office', from: UNFINISHED },
  cancel: { who: 'office', from: UNFINISHED },
  reopen: { who: 'office', from: ['closed'] },
  recheck: { who: 'office', from: ['closed'] },
};
const ACTIONS = Object.keys(SPEC) as ItemAction[];

const OK = 'allowed' as const;
type Outcome = typeof OK | RefusalCode;
/** Whether each kind of caller is the one an action is reserved for. */
const WHO_MAY: Record<ActorKind, Record<Who, Outcome>> = {
  office: { office: OK, unit: 'ROLE_NOT_ALLOWED', lead: 'ROLE_NOT_ALLOWED' },
  lead: { office: 'ROLE_NOT_ALLOWED', unit: OK, lead: OK },
  co: { office: 'ROLE_NOT_ALLOWED', unit: OK, lead: 'NOT_LEAD_UNIT' },
  stranger: { office: 'ROLE_NOT_ALLOWED', unit: 'UNIT_NOT_ON_ITEM', lead: 'UNIT_NOT_ON_ITEM' },
  leader: { office: 'ROLE_NOT_ALLOWED', unit: 'ROLE_NOT_ALLOWED', lead: 'ROLE_NOT_ALLOWED' },
  leaderOfLead: { office: 'ROLE_NOT_ALLOWED', unit: 'ROLE_NOT_ALLOWED', lead: 'ROLE_NOT_ALLOWED' },
  unitless: { office: 'ROLE_NOT_ALLOWED', unit: 'ROLE_NOT_ALLOWED', lead: 'ROLE_NOT_ALLOWED' },
};

// ——— fixtures ———

const AT = '2026-10-01T02:00:00.000Z';
/** 2026-10-01 10:00 in Asia/Shanghai, well before the campaign ends. */
const NOW = Date.parse(AT);
const CAMPAIGN_END = '2026-12-31';
const PENDING = { requestedBy: LEAD, newDeadline: '2026-10-31', reason: '受台风影响', at: '2026-09-28T01:00:00.000Z' };
const PAUSED = { since: '2026-09-25T01:00:00.000Z', reason: '等待省级政策出台' };

/** An item as the workflow holds it some way into its life; every field literal. */
function item(over: Partial<ItemState> = {}): ItemState {
  return {
    itemId: ITEM,
    kind: 'time_limited',
    campaignEnd: CAMPAIGN_END,
    status: 'in_progress',
    progressPercent: 60,
    units: [
      { unitId: LEAD, role: 'lead' },
      { unitId: CO, role: 'co' },
    ],
    acknowledgedUnits: [LEAD, CO],
    lastReportAt: '2026-09-26T01:00:00.000Z',
    deadline: '2026-10-15',
    deadlineVersion: 3,
    deadlineDate: '2026-10-15',
    dueAt: '2026-10-15T16:00:00.000Z',
    paused: null,
    pendingExtension: null,
    light: 'yellow',
    missedReports: 1,
    rejections: 0,
    lookBackAt: null,
    lookBackDue: false,
    seq: 7,
    ...over,
  };
}

/** A valid payload for each action. */
const VALID: Record<ItemAction, Record<string, unknown>> = {
  acknowledge: {},
  reportProgress: { text: '已完成排查，整改过半', percent: 80 },
  submit: { summary: '已整改到位' },
  close: { note: '核查通过' },
  reject: { reasons: '佐证材料不全' },
  requestExtension: { newDeadline: '2026-11-30', reason: '受台风影响' },
  decideExtension: { approve: true },
  pause: { reason: '等待省级政策出台' },
  resume: {},
  reassign: { leadUnits: [LEAD], coUnits: [CO] },
  changeDeadline: { newDeadline: '2026-11-15', reason: '清单调整' },
  cancel: { reason: '问题已不存在' },
  reopen: { newDeadline: '2026-12-15', reason: '问题反弹' },
  recheck: { passed: true },
};

/** What each action needs besides status and caller, so the grid below tests only those two. */
const READY: Record<ItemAction, Partial<ItemState>> = {
  acknowledge: { acknowledgedUnits: [] },
  reportProgress: {},
  submit: {},
  requestExtension: {},
  close: {},
  reject: {},
  decideExtension: { pendingExtension: PENDING },
  pause: {},
  resume: { paused: PAUSED },
  reassign: {},
  changeDeadline: {},
  cancel: {},
  reopen: {},
  recheck: { lookBackDue: true, lookBackAt: '2026-09-30T16:00:00.000Z' },
};

const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
};

/** The refusal code, or 'allowed'; a refusal always says why in English and Chinese. */
function outcome(state: ItemState, action: ItemAction, actor: Principal, input: unknown, now = NOW): Outcome {
  const r = refusal(deepFreeze(state), action, actor, input, now);
  if (!r) return OK;
  expect(r.message.length).toBeGreaterThan(0);
  expect(r.messageZh.length).toBeGreaterThan(0);
  return r.code;
}

// ——— the tables ———

describe('the lifecycle vocabulary', () => {
  it('has the six statuses of the lifecycle, and a new item starts assigned, on its first deadline version, with nothing recorded', () => {
    expect([...ITEM_STATUSES]).toEqual(STATUSES);
    const units = [{ unitId: LEAD, role: 'lead' as const }];
    expect(initialItemState({ itemId: ITEM, kind: 'immediate', campaignEnd: CAMPAIGN_END, units, deadline: '5WD' })).toEqual({
      itemId: ITEM,
      kind: 'immediate',
      campaignEnd: CAMPAIGN_END,
      units,
      deadline: '5WD',
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
    });
  });
});

/** Every action × status × caller: allowed, or refused for the caller, or refused for the status. */
const GRID = ACTIONS.flatMap((action) =>
  STATUSES.flatMap((status) =>
    ACTOR_KINDS.map((actor) => {
      const byWho = WHO_MAY[actor][SPEC[action].who];
      const expected: Outcome = byWho !== OK ? byWho : SPEC[action].from.includes(status) ? OK : 'INVALID_TRANSITION';
      return { action, status, actor, expected };
    }),
  ),
);

describe(`who may take which action in which status (${GRID.length} cases)`, () => {
  it.each(GRID)('$action in $status by $actor: $expected', ({ action, status, actor, expected }) => {
    const state = item({ status, ...READY[action] });
    expect(outcome(state, action, ACTORS[actor], VALID[action])).toBe(expected);
    if (expected === OK) {
      const { state: next, event } = applyAction(state, action, ACTORS[actor], VALID[action], AT);
      expect(next.seq).toBe(state.seq + 1);
      expect(event).toMatchObject({ type: action, fromStatus: status, toStatus: next.status });
    }
  });
});

type Special = { name: string; action: ItemAction; actor: ActorKind; state: Partial<ItemState>; input?: Record<string, unknown>; now?: number; expected: Outcome };
/** An instant in Asia/Shanghai (UTC+8). */
const cst = (date: string, time: string) => Date.parse(`${date}T${time}+08:00`);

const SPECIAL: Special[] = [
  // 签收: once per unit.
  { name: 'the lead signs again', action: 'acknowledge', actor: 'lead', state: { status: 'acknowledged', acknowledgedUnits: [LEAD] }, expected: 'ALREADY_ACKNOWLEDGED' },
  { name: 'the co unit signs after the lead', action: 'acknowledge', actor: 'co', state: { status: 'acknowledged', acknowledgedUnits: [LEAD] }, expected: OK },
  { name: 'the co unit signs while in progress', action: 'acknowledge', actor: 'co', state: { status: 'in_progress', acknowledgedUnits: [LEAD] }, expected: OK },
  { name: 'the co unit signs again while in progress', action: 'acknowledge', actor: 'co', state: { status: 'in_progress', acknowledgedUnits: [LEAD, CO] }, expected: 'ALREADY_ACKNOWLEDGED' },
  { name: 'a unit signs while paused', action: 'acknowledge', actor: 'lead', state: { status: 'assigned', acknowledgedUnits: [], paused: PAUSED }, expected: OK },
  // 进展: only after signing.
  { name: 'the co unit reports before signing', action: 'reportProgress', actor: 'co', state: { status: 'acknowledged', acknowledgedUnits: [LEAD] }, expected: 'NOT_ACKNOWLEDGED' },
  { name: 'the lead reports after signing', action: 'reportProgress', actor: 'lead', state: { status: 'acknowledged', acknowledgedUnits: [LEAD] }, expected: OK },
  { name: 'a newly assigned lead reports before signing', action: 'reportProgress', actor: 'lead', state: { status: 'in_progress', acknowledgedUnits: [CO] }, expected: 'NOT_ACKNOWLEDGED' },
  { name: 'a unit reports while paused', action: 'reportProgress', actor: 'co', state: { paused: PAUSED }, expected: OK },
  // 暂缓: the clock is stopped; resume first.
  { name: 'submit while paused', action: 'submit', actor: 'lead', state: { paused: PAUSED }, expected: 'PAUSED' },
  { name: 'submit while paused (acknowledged)', action: 'submit', actor: 'lead', state: { status: 'acknowledged', paused: PAUSED }, expected: 'PAUSED' },
  { name: 'pause twice', action: 'pause', actor: 'office', state: { paused: PAUSED }, expected: 'PAUSED' },
  { name: 'pause twice (assigned)', action: 'pause', actor: 'office', state: { status: 'assigned', acknowledgedUnits: [], paused: PAUSED }, expected: 'PAUSED' },
  { name: 'request an extension while paused', action: 'requestExtension', actor: 'lead', state: { paused: PAUSED }, expected: 'PAUSED' },
  { name: 'resume while paused', action: 'resume', actor: 'office', state: { paused: PAUSED }, expected: OK },
  { name: 'cancel while paused', action: 'cancel', actor: 'office', state: { paused: PAUSED }, expected: OK },
  { name: 'reassign while paused', action: 'reassign', actor: 'office', state: { paused: PAUSED }, expected: OK },
  ...OPEN.map((status): Special => ({ name: `resume an item that is not paused (${status})`, action: 'resume', actor: 'office', state: { status }, expected: 'NOT_PAUSED' })),
  // 延期: one request at a time, decided by the office; none for long-term items.
  { name: 'a second extension request', action: 'requestExtension', actor: 'lead', state: { pendingExtension: PENDING }, expected: 'EXTENSION_PENDING' },
  { name: 'a second extension request (assigned)', action: 'requestExtension', actor: 'lead', state: { status: 'assigned', acknowledgedUnits: [], pendingExtension: PENDING }, expected: 'EXTENSION_PENDING' },
  { name: 'approve with nothing requested', action: 'decideExtension', actor: 'office', state: {}, input: { approve: true }, expected: 'NO_EXTENSION_PENDING' },
  { name: 'refuse with nothing requested', action: 'decideExtension', actor: 'office', state: {}, input: { approve: false, reason: '理由不充分' }, expected: 'NO_EXTENSION_PENDING' },
  { name: 'refuse a pending request', action: 'decideExtension', actor: 'office', state: { pendingExtension: PENDING }, input: { approve: false, reason: '理由不充分' }, expected: OK },
  { name: 'approve another date', action: 'decideExtension', actor: 'office', state: { pendingExtension: PENDING }, input: { approve: true, newDeadline: '2026-11-10' }, expected: OK },
  { name: 'decide a request made before the item was paused', action: 'decideExtension', actor: 'office', state: { pendingExtension: PENDING, paused: PAUSED }, expected: OK },
  { name: 'a long-term item asks for an extension', action: 'requestExtension', actor: 'lead', state: { kind: 'long_term', deadline: null, deadlineDate: null, dueAt: null }, expected: 'NO_DEADLINE' },
  { name: 'an immediate item asks for an extension', action: 'requestExtension', actor: 'lead', state: { kind: 'immediate', deadline: '5WD' }, expected: OK },
  // 长期坚持: not closed before the campaign ends (its last day included, in Asia/Shanghai).
  ...(
    [
      ['a month before the campaign ends', cst('2026-12-01', '10:00'), 'LONG_TERM_OPEN'],
      ['on the campaign’s last day, at midnight', cst('2026-12-31', '00:00:00'), 'LONG_TERM_OPEN'],
      ['on the campaign’s last day, a millisecond before midnight', cst('2026-12-31', '23:59:59.999'), 'LONG_TERM_OPEN'],
      ['the first instant after the campaign (still Dec 31 in UTC)', cst('2027-01-01', '00:00:00'), OK],
      ['a month after the campaign', cst('2027-02-01', '10:00'), OK],
    ] as const
  ).map(([when, now, expected]): Special => ({
    name: `close a long-term item ${when}`,
    action: 'close',
    actor: 'office',
    state: { kind: 'long_term', status: 'submitted', deadline: null, deadlineDate: null, dueAt: null },
    now,
    expected,
  })),
  { name: 'close a time-limited item before the campaign ends', action: 'close', actor: 'office', state: { status: 'submitted' }, now: cst('2026-10-01', '10:00'), expected: OK },
  { name: 'close an immediate item before the campaign ends', action: 'close', actor: 'office', state: { kind: 'immediate', status: 'submitted' }, now: cst('2026-10-01', '10:00'), expected: OK },
  // 回头看: only once due; reopening needs no look-back.
  { name: 'recheck before the look-back is due', action: 'recheck', actor: 'office', state: { status: 'closed', lookBackAt: '2027-01-01T01:00:00.000Z', lookBackDue: false }, expected: 'LOOK_BACK_NOT_DUE' },
  {
    name: 'fail a look-back before it is due',
    action: 'recheck',
    actor: 'office',
    state: { status: 'closed', lookBackAt: '2027-01-01T01:00:00.000Z', lookBackDue: false },
    input: { passed: false, newDeadline: '2027-01-31' },
    expected: 'LOOK_BACK_NOT_DUE',
  },
  { name: 'recheck an item closed with no look-back', action: 'recheck', actor: 'office', state: { status: 'closed', lookBackAt: null, lookBackDue: false }, expected: 'LOOK_BACK_NOT_DUE' },
  { name: 'reopen before the look-back is due', action: 'reopen', actor: 'office', state: { status: 'closed', lookBackAt: '2027-01-01T01:00:00.000Z', lookBackDue: false }, expected: OK },
  // The input comes first: a 400 says nothing about who may act or the item's state.
  { name: 'a leader sends an invalid progress report', action: 'reportProgress', actor: 'leader', state: {}, input: { text: '', percent: 10 }, expected: 'INVALID_INPUT' },
  { name: 'an invalid close of a submitted long-term item', action: 'close', actor: 'office', state: { kind: 'long_term', status: 'submitted' }, input: { note: 'x'.repeat(2001) }, expected: 'INVALID_INPUT' },
  { name: 'an invalid submit on a cancelled item', action: 'submit', actor: 'stranger', state: { status: 'cancelled' }, input: {}, expected: 'INVALID_INPUT' },
  // Who is asking comes before the state.
  { name: 'a stranger asks to sign a cancelled item', action: 'acknowledge', actor: 'stranger', state: { status: 'cancelled' }, expected: 'UNIT_NOT_ON_ITEM' },
  { name: 'the co unit asks to submit a paused item', action: 'submit', actor: 'co', state: { paused: PAUSED }, expected: 'NOT_LEAD_UNIT' },
  { name: 'a unit asks to recheck before the look-back is due', action: 'recheck', actor: 'lead', state: { status: 'closed' }, expected: 'ROLE_NOT_ALLOWED' },
];

describe(`the special refusals (${SPECIAL.length} cases)`, () => {
  it.each(SPECIAL)('$name: $expected', ({ action, actor, state, input, now, expected }) => {
    expect(outcome(item(state), action, ACTORS[actor], input ?? VALID[action], now)).toBe(expected);
  });
});

/** Payloads outside their schemas (domain/bounds.ts): INVALID_INPUT whoever sends them, in a state where the action is otherwise allowed. */
const INVALID: [ItemAction, string, unknown][] = [
  ['acknowledge', 'a note over 2,000 characters', { note: '签'.repeat(2001) }],
  ['acknowledge', 'no payload at all', undefined],
  ['reportProgress', 'no text', { percent: 10 }],
  ['reportProgress', 'blank text', { text: '   ', percent: 10 }],
  ['reportProgress', 'percent above 100', { text: '进展', percent: 101 }],
  ['reportProgress', 'negative percent', { text: '进展', percent: -1 }],
  ['reportProgress', 'fractional percent', { text: '进展', percent: 12.5 }],
  ['reportProgress', 'percent as text', { text: '进展', percent: '50' }],
  ['reportProgress', 'more than 50 pieces of evidence', { text: '进展', percent: 10, evidence: Array.from({ length: 51 }, (_, i) => `照片${i}.jpg`) }],
  ['reportProgress', 'blank evidence', { text: '进展', percent: 10, evidence: [' '] }],
  ['submit', 'no summary', {}],
  ['submit', 'a blank summary', { summary: ' \n ' }],
  ['close', 'a note over 2,000 characters', { note: 'x'.repeat(2001) }],
  ['reject', 'no reasons', {}],
  ['reject', 'blank reasons', { reasons: '' }],
  ['requestExtension', 'no reason', { newDeadline: '2026-11-30' }],
  ['requestExtension', 'no such date', { newDeadline: '2026-02-30', reason: '受台风影响' }],
  ['requestExtension', 'a deadline that is not one', { newDeadline: 'soon', reason: '受台风影响' }],
  ['requestExtension', 'a date beyond 2100-12-31', { newDeadline: '2101-01-01', reason: '受台风影响' }],
  ['requestExtension', 'more than 1,000 working days', { newDeadline: '3000000WD', reason: '受台风影响' }],
  ['decideExtension', 'a refusal without a reason', { approve: false }],
  ['decideExtension', 'no decision', {}],
  ['decideExtension', 'approval of an invalid date', { approve: true, newDeadline: '2026-13-01' }],
  ['pause', 'no reason', {}],
  ['resume', 'a note over 2,000 characters', { note: 'x'.repeat(2001) }],
  ['reassign', 'no lead unit', { leadUnits: [], coUnits: [CO] }],
  ['reassign', 'a unit that is not an id', { leadUnits: ['市住建局'] }],
  ['reassign', 'no units at all', {}],
  ['changeDeadline', 'no new deadline', { reason: '清单调整' }],
  ['changeDeadline', 'an invalid deadline', { newDeadline: 'P99999999W', reason: '清单调整' }],
  ['cancel', 'no reason', {}],
  ['reopen', 'no new deadline', { reason: '问题反弹' }],
  ['reopen', 'no reason', { newDeadline: '2026-12-15' }],
  ['recheck', 'a failed look-back without a new deadline', { passed: false, note: '问题反弹' }],
  ['recheck', 'no result', {}],
];
const INVALID_CASES = INVALID.map(([action, what, input]) => {
  const actor: ActorKind = SPEC[action].who === 'office' ? 'office' : 'lead';
  const status = SPEC[action].from.includes('in_progress') ? 'in_progress' : SPEC[action].from[0]!;
  return { action, what, input, actor, status };
});

describe(`invalid input (${INVALID_CASES.length} cases)`, () => {
  it.each(INVALID_CASES)('$action with $what: INVALID_INPUT', ({ action, input, actor, status }) => {
    const state = item({ status, ...READY[action], ...(action === 'acknowledge' ? { acknowledgedUnits: [] } : {}) });
    // The same state with a valid payload is allowed: the refusal is the input's.
    expect(outcome(state, action, ACTORS[actor], VALID[action])).toBe(OK);
    expect(outcome(state, action, ACTORS[actor], input)).toBe('INVALID_INPUT');
  });
});

// ——— the next state ———

type Step = { name: string; action: ItemAction; actor: ActorKind; from: Partial<ItemState>; input?: Record<string, unknown>; changes: Partial<ItemState>; payload?: Record<string, unknown> };

const STEPS: Step[] = [
  { name: 'the lead signs an assigned item', action: 'acknowledge', actor: 'lead', from: { status: 'assigned', acknowledgedUnits: [] }, changes: { status: 'acknowledged', acknowledgedUnits: [LEAD] } },
  { name: 'the co unit signs an assigned item', action: 'acknowledge', actor: 'co', from: { status: 'assigned', acknowledgedUnits: [] }, changes: { status: 'acknowledged', acknowledgedUnits: [CO] } },
  { name: 'the co unit signs after the lead', action: 'acknowledge', actor: 'co', from: { status: 'acknowledged', acknowledgedUnits: [LEAD] }, changes: { acknowledgedUnits: [LEAD, CO] } },
  { name: 'the co unit signs an item in progress', action: 'acknowledge', actor: 'co', from: { status: 'in_progress', acknowledgedUnits: [LEAD] }, changes: { acknowledgedUnits: [LEAD, CO] } },
  {
    name: 'the first progress report',
    action: 'reportProgress',
    actor: 'lead',
    from: { status: 'acknowledged', acknowledgedUnits: [LEAD], progressPercent: 0, lastReportAt: null, missedReports: 2 },
    input: { text: '已完成排查', percent: 30 },
    changes: { status: 'in_progress', progressPercent: 30, lastReportAt: AT, missedReports: 0 },
    payload: { text: '已完成排查', percent: 30, evidence: [] },
  },
  {
    name: 'a later report by the co unit, with evidence',
    action: 'reportProgress',
    actor: 'co',
    from: {},
    input: { text: '完成过半', percent: 80, evidence: ['现场照片.jpg'] },
    changes: { progressPercent: 80, lastReportAt: AT, missedReports: 0 },
  },
  { name: 'submit after reporting', action: 'submit', actor: 'lead', from: {}, changes: { status: 'submitted' } },
  { name: 'submit straight after signing (立行立改)', action: 'submit', actor: 'lead', from: { kind: 'immediate', status: 'acknowledged' }, changes: { status: 'submitted' } },
  { name: 'close', action: 'close', actor: 'office', from: { status: 'submitted' }, changes: { status: 'closed', progressPercent: 100 } },
  {
    name: 'close drops an extension request still pending',
    action: 'close',
    actor: 'office',
    from: { status: 'submitted', pendingExtension: PENDING },
    changes: { status: 'closed', progressPercent: 100, pendingExtension: null },
  },
  { name: 'reject', action: 'reject', actor: 'office', from: { status: 'submitted', rejections: 0 }, changes: { status: 'in_progress', rejections: 1 } },
  { name: 'reject again', action: 'reject', actor: 'office', from: { status: 'submitted', rejections: 2 }, changes: { status: 'in_progress', rejections: 3 } },
  {
    name: 'request an extension',
    action: 'requestExtension',
    actor: 'lead',
    from: {},
    changes: { pendingExtension: { requestedBy: LEAD, newDeadline: '2026-11-30', reason: '受台风影响', at: AT } },
  },
  {
    name: 'approve the extension as requested',
    action: 'decideExtension',
    actor: 'office',
    from: { pendingExtension: PENDING, deadlineVersion: 3 },
    input: { approve: true },
    changes: { deadline: '2026-10-31', deadlineVersion: 4, pendingExtension: null },
  },
  {
    name: 'approve another date',
    action: 'decideExtension',
    actor: 'office',
    from: { pendingExtension: PENDING, deadlineVersion: 3 },
    input: { approve: true, newDeadline: '10WD' },
    changes: { deadline: '10WD', deadlineVersion: 4, pendingExtension: null },
  },
  {
    name: 'refuse the extension: the deadline stays',
    action: 'decideExtension',
    actor: 'office',
    from: { pendingExtension: PENDING },
    input: { approve: false, reason: '理由不充分' },
    changes: { pendingExtension: null },
  },
  { name: 'pause', action: 'pause', actor: 'office', from: {}, changes: { paused: { since: AT, reason: '等待省级政策出台' } } },
  { name: 'resume: the deadline is planned again', action: 'resume', actor: 'office', from: { paused: PAUSED, deadlineVersion: 3 }, changes: { paused: null, deadlineVersion: 4 } },
  { name: 'change the deadline', action: 'changeDeadline', actor: 'office', from: { status: 'submitted' }, changes: { deadline: '2026-11-15', deadlineVersion: 4 } },
  {
    name: 'reassign: a new lead, the co unit stays signed',
    action: 'reassign',
    actor: 'office',
    from: { status: 'acknowledged', acknowledgedUnits: [LEAD, CO] },
    input: { leadUnits: [NEW_LEAD], coUnits: [CO] },
    changes: {
      units: [
        { unitId: NEW_LEAD, role: 'lead' },
        { unitId: CO, role: 'co' },
      ],
      acknowledgedUnits: [CO],
    },
  },
  {
    name: 'reassign away the only unit that signed: back to assigned',
    action: 'reassign',
    actor: 'office',
    from: { status: 'acknowledged', acknowledgedUnits: [LEAD] },
    input: { leadUnits: [NEW_LEAD] },
    changes: { status: 'assigned', units: [{ unitId: NEW_LEAD, role: 'lead' }], acknowledgedUnits: [] },
    payload: { leadUnits: [NEW_LEAD], coUnits: [] },
  },
  {
    name: 'reassign away every unit of an item in progress: it stays in progress',
    action: 'reassign',
    actor: 'office',
    from: { status: 'in_progress', acknowledgedUnits: [LEAD, CO] },
    input: { leadUnits: [NEW_LEAD], coUnits: [OTHER] },
    changes: {
      units: [
        { unitId: NEW_LEAD, role: 'lead' },
        { unitId: OTHER, role: 'co' },
      ],
      acknowledgedUnits: [],
    },
  },
  {
    name: 'reassign: a unit named lead and co is the lead',
    action: 'reassign',
    actor: 'office',
    from: {},
    input: { leadUnits: [LEAD], coUnits: [LEAD, CO, OTHER] },
    changes: {
      units: [
        { unitId: LEAD, role: 'lead' },
        { unitId: CO, role: 'co' },
        { unitId: OTHER, role: 'co' },
      ],
    },
    payload: { leadUnits: [LEAD], coUnits: [LEAD, CO, OTHER] },
  },
  {
    name: 'reassign: lead and co swap, both stay signed',
    action: 'reassign',
    actor: 'office',
    from: {},
    input: { leadUnits: [CO], coUnits: [LEAD] },
    changes: {
      units: [
        { unitId: CO, role: 'lead' },
        { unitId: LEAD, role: 'co' },
      ],
    },
  },
  {
    name: 'reassign a submitted item',
    action: 'reassign',
    actor: 'office',
    from: { status: 'submitted', acknowledgedUnits: [LEAD] },
    input: { leadUnits: [NEW_LEAD] },
    changes: { units: [{ unitId: NEW_LEAD, role: 'lead' }], acknowledgedUnits: [] },
    payload: { leadUnits: [NEW_LEAD], coUnits: [] },
  },
  { name: 'cancel', action: 'cancel', actor: 'office', from: { pendingExtension: PENDING }, changes: { status: 'cancelled', pendingExtension: null } },
  { name: 'cancel a submitted item', action: 'cancel', actor: 'office', from: { status: 'submitted' }, changes: { status: 'cancelled' } },
  {
    name: 'reopen a closed item',
    action: 'reopen',
    actor: 'office',
    from: { status: 'closed', progressPercent: 100, lookBackAt: '2026-12-01T01:00:00.000Z', lookBackDue: false },
    changes: { status: 'in_progress', deadline: '2026-12-15', deadlineVersion: 4, lookBackAt: null, lookBackDue: false },
  },
  {
    name: 'a passed look-back: the item stays closed',
    action: 'recheck',
    actor: 'office',
    from: { status: 'closed', progressPercent: 100, lookBackAt: '2026-09-30T16:00:00.000Z', lookBackDue: true },
    input: { passed: true, note: '未反弹' },
    changes: { lookBackDue: false },
  },
  {
    name: 'a failed look-back reopens the item with a new deadline',
    action: 'recheck',
    actor: 'office',
    from: { status: 'closed', progressPercent: 100, lookBackAt: '2026-09-30T16:00:00.000Z', lookBackDue: true },
    input: { passed: false, note: '问题反弹', newDeadline: 'PT20H' },
    changes: { status: 'in_progress', lookBackDue: false, lookBackAt: null, deadline: 'PT20H', deadlineVersion: 4 },
  },
];

describe(`the next state after each action (${STEPS.length} cases)`, () => {
  it('has a case for every action', () => {
    expect(new Set(STEPS.map((s) => s.action))).toEqual(new Set(ACTIONS));
  });

  it.each(STEPS)('$action: $name', ({ action, actor, from, input, changes, payload }) => {
    const before = deepFreeze(item(from));
    const args = input ?? VALID[action];
    expect(refusal(before, action, ACTORS[actor], args, NOW)).toBeUndefined();
    const { state, event } = applyAction(before, action, ACTORS[actor], args, AT);
    // Exactly these fields change, and the sequence moves on by one.
    expect(state).toEqual({ ...before, ...changes, seq: before.seq + 1 });
    expect(event).toEqual({ type: action, fromStatus: before.status, toStatus: state.status, payload: payload ?? args });
  });

  it('takes an input admitted under earlier bounds as it was (replay), with the schema’s defaults', () => {
    const before = deepFreeze(item());
    const long = '进'.repeat(10_001); // beyond today's 10,000 characters
    expect(refusal(before, 'reportProgress', ACTORS.lead, { text: long, percent: 70 }, NOW)?.code).toBe('INVALID_INPUT');
    const { state, event } = applyAction(before, 'reportProgress', ACTORS.lead, { text: long, percent: 70 }, AT);
    expect(state).toEqual({ ...before, progressPercent: 70, lastReportAt: AT, missedReports: 0, seq: before.seq + 1 });
    expect(event.payload).toEqual({ text: long, percent: 70, evidence: [] });
  });
});

// ——— the property ———

/** Actions that move the deadline (and so bump its version), given their input. */
const movesDeadline = (action: ItemAction, input: Record<string, unknown>) =>
  action === 'resume' || action === 'changeDeadline' || action === 'reopen' || (action === 'decideExtension' && input.approve === true) || (action === 'recheck' && input.passed === false);

const UNIT_POOL = [LEAD, CO, OTHER, NEW_LEAD];
const deadline = fc.constantFrom('2026-10-31', '10WD', 'P30D', 'PT2H', '2027-03-31');
const reason = fc.constantFrom('受台风影响', '核查', '问题反弹');
const someUnits = fc.uniqueArray(fc.constantFrom(...UNIT_POOL), { minLength: 1, maxLength: 3 });
const INPUTS: Record<ItemAction, fc.Arbitrary<Record<string, unknown>>> = {
  acknowledge: fc.constant({}),
  reportProgress: fc.record({ text: fc.constant('进展'), percent: fc.integer({ min: 0, max: 100 }) }),
  submit: fc.constant({ summary: '已整改' }),
  close: fc.constant({}),
  reject: fc.constant({ reasons: '材料不全' }),
  requestExtension: fc.record({ newDeadline: deadline, reason }),
  decideExtension: fc.oneof(fc.constant({ approve: true }), fc.record({ approve: fc.constant(true), newDeadline: deadline }), fc.record({ approve: fc.constant(false), reason })),
  pause: fc.record({ reason }),
  resume: fc.constant({}),
  reassign: fc.tuple(someUnits, someUnits).map(([leadUnits, coUnits]) => ({ leadUnits, coUnits })),
  changeDeadline: fc.record({ newDeadline: deadline, reason }),
  cancel: fc.record({ reason }),
  reopen: fc.record({ newDeadline: deadline, reason }),
  recheck: fc.oneof(fc.constant({ passed: true }), fc.record({ passed: fc.constant(false), newDeadline: deadline })),
};
/** Mostly the caller the action is for (so sequences get far), sometimes anyone. */
const PROPER: Record<Who, ActorKind[]> = { office: ['office'], unit: ['lead', 'co'], lead: ['lead'] };
/** Cancelling ends a sequence: rarely. */
const action = fc.oneof({ arbitrary: fc.constantFrom(...ACTIONS.filter((a) => a !== 'cancel')), weight: 30 }, { arbitrary: fc.constant<ItemAction>('cancel'), weight: 1 });
/** One attempted action, with a valid input; the workflow's timer may make a look-back due first. */
const attempt = action.chain((action) =>
  fc.record({
    action: fc.constant(action),
    actor: fc.oneof({ arbitrary: fc.constantFrom(...PROPER[SPEC[action].who]), weight: 4 }, { arbitrary: fc.constantFrom(...ACTOR_KINDS), weight: 1 }),
    input: INPUTS[action],
    lookBackFallsDue: fc.boolean(),
    late: fc.boolean(),
  }),
);

describe('any sequence of allowed actions (property)', () => {
  it('keeps the lifecycle’s invariants, and reaches every allowed action × status', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.constantFrom<'time_limited' | 'immediate' | 'long_term'>('time_limited', 'immediate', 'long_term'), fc.array(attempt, { minLength: 1, maxLength: 80, size: 'max' }), (kind, attempts) => {
        let state = deepFreeze(
          item({
            kind,
            status: 'assigned',
            acknowledgedUnits: [],
            progressPercent: 0,
            lastReportAt: null,
            deadline: kind === 'long_term' ? null : '2026-10-15',
            deadlineVersion: 1,
            missedReports: 0,
            light: 'green',
            seq: 1,
          }),
        );
        for (const a of attempts) {
          // What the workflow does by itself after close-out: the look-back falls due.
          if (a.lookBackFallsDue && state.status === 'closed' && !state.lookBackDue) state = deepFreeze({ ...state, lookBackAt: AT, lookBackDue: true });
          const now = a.late ? cst('2027-01-05', '10:00') : NOW;
          const actor: Principal = ACTORS[a.actor];
          const r = refusal(state, a.action, actor, a.input, now);
          if (state.status === 'cancelled') expect(r).toBeDefined(); // cancelled is final
          if (r) continue;
          const before = state;
          reached.add(`${a.action} from ${before.status}`);
          const { state: next, event } = applyAction(before, a.action, actor, a.input, AT);
          state = deepFreeze(next);
          // One event per action, numbered in order.
          expect(state.seq).toBe(before.seq + 1);
          expect(event).toMatchObject({ type: a.action, fromStatus: before.status, toStatus: state.status });
          // Closed and cancelled only by closing and cancelling.
          if (state.status === 'closed' && before.status !== 'closed') expect(a.action).toBe('close');
          if (state.status === 'cancelled') expect(a.action).toBe('cancel');
          // The deadline version never goes back, and moves by one exactly when the deadline does.
          expect(state.deadlineVersion).toBe(before.deadlineVersion + (movesDeadline(a.action, a.input) ? 1 : 0));
          if (state.deadline !== before.deadline) expect(movesDeadline(a.action, a.input)).toBe(true);
          // Only the office acts as the office; units only on their items.
          if (SPEC[a.action].who === 'office') expect(actor.role).toBe('office');
          else expect(before.units.map((u) => u.unitId)).toContain(actor.unitId);
          // Only allowed statuses.
          expect(SPEC[a.action].from).toContain(before.status);
          // Units: at least one lead, each once; signatures only by units on the item, each once.
          const ids = state.units.map((u) => u.unitId);
          expect(state.units.some((u) => u.role === 'lead')).toBe(true);
          expect(new Set(ids).size).toBe(ids.length);
          expect(new Set(state.acknowledgedUnits).size).toBe(state.acknowledgedUnits.length);
          for (const u of state.acknowledgedUnits) expect(ids).toContain(u);
          // Acknowledged means someone has signed.
          if (state.status === 'acknowledged') expect(state.acknowledgedUnits.length).toBeGreaterThan(0);
          // A finished item has no extension request waiting; a pending request is a lead's.
          if (state.status === 'closed' || state.status === 'cancelled') expect(state.pendingExtension).toBeNull();
          if (state.pendingExtension && a.action === 'requestExtension') expect(state.pendingExtension.requestedBy).toBe(actor.unitId);
          // Never paused while submitted (the lead cannot submit a paused item); closed items are not paused.
          if (state.status === 'submitted' || state.status === 'closed') expect(state.paused).toBeNull();
          // A look-back is due only after close-out.
          if (state.lookBackDue) expect(state.status).toBe('closed');
          // A long-term item never closes before the campaign ends.
          if (kind === 'long_term' && a.action === 'close') expect(now).toBeGreaterThan(cst('2026-12-31', '23:59:59.999'));
          expect(state.rejections).toBeGreaterThanOrEqual(before.rejections);
          expect(state.progressPercent).toBeGreaterThanOrEqual(0);
          expect(state.progressPercent).toBeLessThanOrEqual(100);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
    // The sequences went everywhere the lifecycle allows (else the invariants were checked on little).
    expect([...reached].sort()).toEqual(ACTIONS.flatMap((action) => SPEC[action].from.map((status) => `${action} from ${status}`)).sort());
  });
});
