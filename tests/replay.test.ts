/**
 * Rolling out workflow code changes to running items: histories recorded by earlier code must
 * replay on the current code. tests/fixtures/item-history-before-plan-first.json was recorded
 * by the item workflow as it was before the 'assigned' event moved after planning (commit
 * bbb8120); the change is guarded by patched('plan-before-assigned'), so items started before
 * it keep their old path. Without the patch this test fails with a nondeterminism error.
 *
 * tests/fixtures/{item,campaign}-history-before-letters.json were recorded by the workflows of
 * commit 52c23b0, the last before letters (patched('letters') in workflows/item.ts and
 * workflows/campaign.ts), on a dev server with stubbed activities: an item whose reminder and
 * 提醒函 ladder step fire, a campaign whose first two dispatch periods close. On the current code
 * the ladder step issues its letter and each period its bulletin only behind the patch, so these
 * histories replay; without the patch they fail with a nondeterminism error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { itemWorkflowId } from '../workflows/item';
import { newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const bundle = () => ({ workflowBundle: { codePath: inject('workflowBundlePath') } });

it('replays a history recorded before the plan-first change', async () => {
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'item-history-before-plan-first.json'), 'utf8')));
  await expect(Worker.runReplayHistory(bundle(), history, 'item-fixture')).resolves.toBeUndefined();
});

it.each(['item', 'campaign'])('replays a %s history recorded before letters', async (kind) => {
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', `${kind}-history-before-letters.json`), 'utf8')));
  await expect(Worker.runReplayHistory(bundle(), history, `${kind}-before-letters`)).resolves.toBeUndefined();
});

it('replays a history recorded by the current code', async () => {
  const zj = await unitWithToken(h, `市住建局-${uniq()}`);
  const campaignId = await newCampaign(h, { policy: { delivery: null, reminders: ['PT1S'], ladder: [{ step: 'reminder_letter', after: 'PT0S' }], reportCadence: null, lookBack: null } });
  const r = await h.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/items`, headers: office, payload: { items: [{ number: '1', content: '样例', deadline: 'PT2S', leadUnits: [zj.id] }] } });
  const id = r.json().items[0].id as string;
  await h.app.inject({ method: 'POST', url: `/api/v1/items/${id}/acknowledge`, headers: zj.headers, payload: {} });
  await expect.poll(async () => (await h.sql`select count(*)::int as n from item_steps where item_id = ${id} and status = 'sent'`)[0]!.n, { timeout: 15_000 }).toBe(1);
  const history = await h.client.workflow.getHandle(itemWorkflowId(id)).fetchHistory();
  await expect(Worker.runReplayHistory(bundle(), history, `item-${id}`)).resolves.toBeUndefined();
});
