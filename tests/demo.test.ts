/**
 * The start command's demo: the seed-002 sprint imports cleanly through the real importer; seed
 * 000's 42 measures of 16 departments, assigned at once, make 16 整改工作提醒函.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEPARTMENTS_000, MEASURES_000 } from '../demo/seed-000';
import { TASKS } from '../demo/seed-002';
import { loadDemo } from '../scripts/demo';
import { office, OFFICE_TOKEN, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

it('loads the hundred-day sprint of seed 002, and loading it again changes nothing', async () => {
  const first = await loadDemo(h.app, OFFICE_TOKEN);
  expect(first.itemsCreated).toBe(TASKS.length);
  const items = (await h.app.inject({ method: 'GET', url: `/api/v1/items?campaignId=${first.campaignId}&limit=100`, headers: office })).json().items;
  expect(items).toHaveLength(TASKS.length);
  const byNumber = Object.fromEntries(items.map((i: { number: string }) => [i.number, i]));
  expect(byNumber['19']).toMatchObject({ kind: 'time_limited', deadline: '2020-10-20' });
  expect(byNumber['15']).toMatchObject({ deadline: '2020-11-30' });
  expect(byNumber['7']).toMatchObject({ kind: 'immediate' });
  expect(byNumber['18']).toMatchObject({ kind: 'long_term', deadline: null });
  // "各县市区" became the five county-level units.
  const leads = byNumber['1'].units.filter((u: { role: string }) => u.role === 'lead').map((u: { name: string }) => u.name);
  expect(leads).toEqual(expect.arrayContaining(['洮北区', '洮南市', '大安市', '镇赉县', '通榆县']));
  // Seed 000: "细化42条整改措施……对涉及问题整改的16个相关部门，分别印发了整改工作提醒函".
  expect(first.feedback.itemsCreated).toBe(MEASURES_000.length);
  const letters = async () =>
    (await h.app.inject({ method: 'GET', url: `/api/v1/letters?campaignId=${first.feedback.campaignId}&type=assignment_letter&limit=100`, headers: office })).json().letters as {
      itemIds: string[];
      recipients: { unitName: string; role: string }[];
    }[];
  await expect.poll(async () => (await letters()).length, { timeout: 90_000 }).toBe(DEPARTMENTS_000.length);
  const sent = await letters();
  expect(sent.reduce((n, l) => n + l.itemIds.length, 0)).toBe(42);
  expect(new Set(sent.map((l) => l.recipients.find((r) => r.role === 'to')!.unitName))).toEqual(new Set(DEPARTMENTS_000.map((d) => d.name)));

  const again = await loadDemo(h.app, OFFICE_TOKEN);
  expect(again).toMatchObject({ campaignId: first.campaignId, itemsCreated: 0, feedback: { campaignId: first.feedback.campaignId, itemsCreated: 0 } });
  expect(await letters()).toHaveLength(DEPARTMENTS_000.length);
}, 240_000); // 70 items, 16 letters: about 20 s alone, several times that beside another file
