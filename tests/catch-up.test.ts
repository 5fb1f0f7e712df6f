/**
 * Real time, real dev server: steps that fall due while no worker runs are all sent, in order,
 * once, when a worker comes back (time-skipping cannot show this: it stops the clock while a
 * workflow task waits for a worker).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

it('sends every step that fell due during an outage, in order and once', async () => {
  const zj = await unitWithToken(h, `市住建局-${uniq()}`);
  const campaignId = await newCampaign(h, {
    policy: {
      reminders: [],
      ladder: [
        { step: 'reminder_letter', after: 'PT0S' },
        { step: 'urging_letter', after: 'PT2S' },
        { step: 'supervision_letter', after: 'PT4S' },
        { step: 'summons', after: 'PT6S' },
      ],
      delivery: null,
      reportCadence: null,
      lookBack: null,
    },
  });
  const r = await h.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/items`, headers: office, payload: { items: [{ number: '1', content: '限时整改', deadline: 'PT3S', leadUnits: [zj.id] }] } });
  const id = r.json().items[0].id as string;
  await expect.poll(async () => (await h.sql`select count(*)::int as n from item_events where item_id = ${id}`)[0]!.n).toBeGreaterThan(0);
  await h.stopWorker(); // down before the deadline: every rung falls due while it is away
  await new Promise((res) => setTimeout(res, 10_000));
  expect((await h.sql`select count(*)::int as n from item_steps where item_id = ${id}`)[0]!.n).toBe(0);
  // The new worker takes over once the server gives up on the old one's sticky queue (~10 s).
  await h.startWorker();
  await expect.poll(async () => (await h.sql`select count(*)::int as n from item_steps where item_id = ${id} and status = 'sent'`)[0]!.n, { timeout: 40_000 }).toBe(4);
  const steps = await h.sql<{ ladderStep: string; seq: number }[]>`select ladder_step, seq from item_steps where item_id = ${id} order by seq`;
  expect(steps.map((s) => s.ladderStep)).toEqual(['reminder_letter', 'urging_letter', 'supervision_letter', 'summons']);
  const [n] = await h.sql`select count(*)::int as n from notifications where item_id = ${id}`;
  expect(n!.n).toBe(4);
});
