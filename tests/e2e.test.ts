/**
 * End to end over real HTTP: API → Temporal → worker → PostgreSQL → API, including a worker
 * restart in the middle (the item's workflow is replayed by the new worker and nothing is lost
 * or written twice).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { farDeadline, runningCampaign } from './dates';
import { OFFICE_TOKEN, startHarness, uniq, type Harness } from './harness';

let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => h?.close());

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any, requestId: res.headers.get('x-request-id') };
}

it('takes an item from assignment to close-out across a worker restart', async () => {
  const unit = await call('POST', '/api/v1/units', OFFICE_TOKEN, { name: `白城市水利局-${uniq()}`, kind: 'department', aliases: [`市水利局-${uniq()}`] });
  expect(unit.status).toBe(201);
  expect(unit.requestId).toMatch(/[0-9a-f-]{36}/);
  const token = (await call('POST', '/api/v1/principals', OFFICE_TOKEN, { role: 'unit', name: '水利局联络员', unitId: unit.body.id })).body.token;
  const campaign = await call('POST', '/api/v1/campaigns', OFFICE_TOKEN, { title: '饮水安全整改', ...runningCampaign() });
  // Due months from today: no light change, reminder or ladder step can join the history below.
  const items = await call('POST', `/api/v1/campaigns/${campaign.body.id}/items`, OFFICE_TOKEN, {
    items: [{ number: '1', content: '农村饮水安全工程维修养护', deadline: farDeadline(), leadUnits: [unit.body.aliases[0]] }],
  });
  expect(items.status).toBe(201);
  const id = items.body.items[0].id;

  expect((await call('POST', `/api/v1/items/${id}/acknowledge`, token, {})).body.status).toBe('acknowledged');
  expect((await call('POST', `/api/v1/items/${id}/report-progress`, token, { text: '维修养护工程完成一半', percent: 50 })).body.status).toBe('in_progress');

  // The worker goes away: the submit waits for it instead of failing, and completes once a new worker is up.
  await h.stopWorker();
  const pending = call('POST', `/api/v1/items/${id}/submit`, token, { summary: '1689处工程全部维护完毕' });
  await new Promise((r) => setTimeout(r, 1500));
  const health = await call('GET', '/health', OFFICE_TOKEN);
  expect(health.status).toBe(503);
  expect(health.body.unavailable).toEqual(['worker']);
  await h.startWorker();
  expect((await pending).body.status).toBe('submitted');

  expect((await call('POST', `/api/v1/items/${id}/close`, OFFICE_TOKEN, { note: '现场核查通过' })).body.status).toBe('closed');

  const detail = await call('GET', `/api/v1/items/${id}`, token);
  expect(detail.body).toMatchObject({ status: 'closed', statusLabel: '已销号', progressPercent: 100 });
  expect(detail.body.history.map((e: { seq: number; type: string }) => `${e.seq}:${e.type}`)).toEqual([
    '1:assigned',
    '2:acknowledge',
    '3:reportProgress',
    '4:submit',
    '5:close',
  ]);
  const closed = await call('GET', `/api/v1/items?unitId=${unit.body.id}&status=closed`, token);
  expect(closed.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
});
