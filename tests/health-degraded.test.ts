/** /health must say which part is missing: here no worker polls the harness's task queue. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(() => h?.close());

it('answers 503 naming the worker when none is polling', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/health' });
  expect(res.statusCode).toBe(503);
  expect(res.json()).toMatchObject({ status: 'unavailable', unavailable: ['worker'], checks: { postgres: { ok: true }, temporal: { ok: true }, worker: { ok: false } } });
});
