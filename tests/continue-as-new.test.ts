/**
 * Continue-as-new (real time, real dev server): an item whose history grows long starts a fresh
 * run carrying everything it had; the audit trail stays gap-free and duplicate-free.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_POLICY, effectivePolicy } from '../domain/policy';
import { getStateQuery, itemWorkflow, itemWorkflowId } from '../workflows/item';
import { daysFromToday } from './dates';
import { newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

it('keeps the item whole across runs when its history grows long', async () => {
  const zj = await unitWithToken(h, `市住建局-${uniq()}`);
  const campaignId = await newCampaign(h);
  const r = await h.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/items`, headers: office, payload: { items: [{ number: '1', content: '长期调度', kind: 'long_term', leadUnits: [zj.id] }] } });
  const id = r.json().items[0].id as string;
  // Its workflow again, with a tiny history budget and a report due every second until a campaign
  // end a year from today (reports are due only until the campaign ends).
  const policy = effectivePolicy({ ...DEFAULT_POLICY, delivery: null, lookBack: null, reportCadence: { every: 'PT1S' } } as never);
  const first = await h.client.workflow.start(itemWorkflow, {
    workflowId: itemWorkflowId(id),
    taskQueue: h.taskQueue,
    workflowIdConflictPolicy: 'TERMINATE_EXISTING',
    args: [{ itemId: id, campaignId, kind: 'long_term', deadline: null, campaignEnd: daysFromToday(365), units: [{ unitId: zj.id, role: 'lead' }], policy, assignedBy: { role: 'office', name: '督查室' }, maxHistoryEvents: 60 }],
  });
  const handle = h.client.workflow.getHandle(itemWorkflowId(id));
  await handle.executeUpdate('acknowledge', { args: [{ actor: { role: 'unit', name: '联络员', unitId: zj.id } }] });
  await expect.poll(async () => (await handle.describe()).runId, { timeout: 40_000, interval: 500 }).not.toBe(first.firstExecutionRunId);
  const state = await handle.query(getStateQuery);
  expect(state.acknowledgedUnits).toEqual([zj.id]);
  expect(state.missedReports).toBeGreaterThan(1);
  const seqs = (await h.sql<{ seq: number }[]>`select seq from item_events where item_id = ${id} order by seq`).map((x) => x.seq);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  await handle.terminate('test done');
});
