/**
 * The item workflow against a real Temporal server and PostgreSQL: the happy path, idempotent
 * create, and refused invalid transitions (refused synchronously, leaving state untouched).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../domain/policy';
import type { Principal } from '../domain/principal';
import {
  acknowledgeUpdate,
  closeUpdate,
  getStateQuery,
  itemWorkflow,
  itemWorkflowId,
  reportProgressUpdate,
  submitUpdate,
} from '../workflows/item';
import { farDeadline } from './dates';
import { newCampaign, office, startHarness, uniq, type Harness } from './harness';

let h: Harness;
const officeActor: Principal = { role: 'office', name: '督查室' };
let leadId: string;
let coId: string;
let lead: Principal;
let co: Principal;

beforeAll(async () => {
  h = await startHarness();
  for (const [name, set] of [
    [`市住建局-${uniq()}`, (id: string) => (leadId = id)],
    [`市水利局-${uniq()}`, (id: string) => (coId = id)],
  ] as const) {
    const r = await h.app.inject({ method: 'POST', url: '/api/v1/units', headers: office, payload: { name, kind: 'department' } });
    set(r.json().id);
  }
  lead = { role: 'unit', name: '住建局联络员', unitId: leadId };
  co = { role: 'unit', name: '水利局联络员', unitId: coId };
});
afterAll(() => h?.close());

/** Creates an item row (through the API, as users do) and returns its id. */
async function createItem(): Promise<string> {
  // No look-back: the workflow completes at close-out (the look-back has its own tests). Due
  // months from today: no light change or reminder joins the exact audit trails checked below.
  const campaignId = await newCampaign(h, { policy: { lookBack: null } });
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${campaignId}/items`,
    headers: office,
    payload: { items: [{ number: '1', content: '危房改造存量清零', deadline: farDeadline(), leadUnits: [leadId], coUnits: [coId] }] },
  });
  expect(res.statusCode).toBe(201);
  return res.json().items[0].id;
}

async function refusalOf(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause as Error & { type?: string };
}

describe('item workflow', () => {
  it('runs assigned → acknowledged → in progress → submitted → closed and records each step', async () => {
    const itemId = await createItem();
    const handle = h.client.workflow.getHandle(itemWorkflowId(itemId));

    expect((await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: lead }] })).status).toBe('acknowledged');
    const ackByCo = await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: co, note: '配合' }] });
    expect(ackByCo.acknowledgedUnits.sort()).toEqual([leadId, coId].sort());
    const reported = await handle.executeUpdate(reportProgressUpdate, { args: [{ actor: lead, text: '已完成排查', percent: 60, evidence: ['排查台账.xlsx'] }] });
    expect(reported).toMatchObject({ status: 'in_progress', progressPercent: 60 });
    expect((await handle.executeUpdate(submitUpdate, { args: [{ actor: lead, summary: '全部整改到位' }] })).status).toBe('submitted');
    expect((await handle.executeUpdate(closeUpdate, { args: [{ actor: officeActor }] })).status).toBe('closed');

    const final = await handle.result();
    expect(final).toMatchObject({ status: 'closed', progressPercent: 100 });

    const events = await h.sql`select seq, type, to_status, actor_role from item_events where item_id = ${itemId} order by seq`;
    expect(events.map((e) => [e.seq, e.type, e.toStatus])).toEqual([
      [1, 'assigned', 'assigned'],
      [2, 'acknowledge', 'acknowledged'],
      [3, 'acknowledge', 'acknowledged'],
      [4, 'reportProgress', 'in_progress'],
      [5, 'submit', 'submitted'],
      [6, 'close', 'closed'],
    ]);
    const [state] = await h.sql`select status, progress_percent, last_seq from item_states where item_id = ${itemId}`;
    expect(state).toEqual({ status: 'closed', progressPercent: 100, lastSeq: 6 });
  });

  it('starts one workflow per item however often it is created', async () => {
    const itemId = await createItem();
    const input = {
      itemId,
      campaignId: 'x',
      kind: 'time_limited' as const,
      deadline: '2026-10-31',
      campaignEnd: '2026-12-31',
      policy: DEFAULT_POLICY,
      units: [{ unitId: leadId, role: 'lead' as const }],
      assignedBy: officeActor,
    };
    const first = await h.client.workflow.getHandle(itemWorkflowId(itemId)).describe();
    const again = await h.client.workflow.start(itemWorkflow, {
      workflowId: itemWorkflowId(itemId),
      taskQueue: h.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const running = await h.client.workflow.getHandle(itemWorkflowId(itemId)).describe();
    expect(again.firstExecutionRunId).toBe(running.runId);
    expect(first.runId).toBe(running.runId);
    const list = h.client.workflow.list({ query: `WorkflowId = '${itemWorkflowId(itemId)}'` });
    let count = 0;
    for await (const _ of list) count++;
    expect(count).toBe(1);
  });

  it('refuses invalid transitions synchronously and leaves the item unchanged', async () => {
    const itemId = await createItem();
    const handle = h.client.workflow.getHandle(itemWorkflowId(itemId));

    const closeEarly = await refusalOf(handle.executeUpdate(closeUpdate, { args: [{ actor: officeActor }] }));
    expect(closeEarly.type).toBe('INVALID_TRANSITION');
    expect(closeEarly.message).toMatch(/cannot close an item in status "assigned"/);

    const stranger: Principal = { role: 'unit', name: '陌生单位', unitId: '00000000-0000-4000-8000-000000000000' };
    expect((await refusalOf(handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: stranger }] }))).type).toBe('UNIT_NOT_ON_ITEM');
    expect((await refusalOf(handle.executeUpdate(reportProgressUpdate, { args: [{ actor: lead, text: '进展', percent: 10, evidence: [] }] }))).type).toBe('NOT_ACKNOWLEDGED');

    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: co }] });
    expect((await refusalOf(handle.executeUpdate(submitUpdate, { args: [{ actor: co, summary: '完成' }] }))).type).toBe('NOT_LEAD_UNIT');
    expect((await refusalOf(handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: co }] }))).type).toBe('ALREADY_ACKNOWLEDGED');
    expect((await refusalOf(handle.executeUpdate(reportProgressUpdate, { args: [{ actor: co, text: '进展', percent: 120, evidence: [] }] }))).type).toBe('INVALID_INPUT');

    const state = await handle.query(getStateQuery);
    expect(state).toMatchObject({ status: 'acknowledged', progressPercent: 0, seq: 2 });
    // Refused updates leave no trace in the audit trail either.
    const [row] = await h.sql`select count(*)::int as n from item_events where item_id = ${itemId}`;
    expect(row!.n).toBe(2);
  });
});
