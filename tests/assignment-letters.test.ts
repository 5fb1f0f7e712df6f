/**
 * The 整改工作提醒函 at assignment (workflows/assignment-letters.ts), on the real Temporal dev
 * server and PostgreSQL: items assigned in one batch give each unit ONE letter listing the items
 * it leads, with their deadlines — seed 000's 16 departments and 42 measures make 16 letters —
 * copied to the co-operating units; an import written in chunks is still one batch; a repeated
 * create writes nothing again; the policy can turn them off or give co-operating units letters of
 * their own.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEPARTMENTS_000, MEASURES_000 } from '../demo/seed-000';
import { chineseDate } from '../domain/letters/types';
import { farDeadline } from './dates';
import { newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';

vi.setConfig({ testTimeout: 180_000 });

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

interface LetterRow { id: string; type: string; docNumber: string; itemIds: string[]; recipients: { unitId: string; role: string }[] }
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: office });
const assignmentLetters = async (campaignId: string): Promise<LetterRow[]> =>
  ((await get(`/api/v1/letters?campaignId=${campaignId}&type=assignment_letter&limit=100`)).json().letters as LetterRow[]).reverse();
const create = async (campaignId: string, items: object[]) => {
  const r = await h.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/items`, headers: office, payload: { items } });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { created: number; items: { id: string; number: string }[] };
};
const to = (l: LetterRow) => l.recipients.filter((r) => r.role === 'to').map((r) => r.unitId);
const cc = (l: LetterRow) => l.recipients.filter((r) => r.role === 'cc').map((r) => r.unitId).sort();

describe('letters at assignment', () => {
  it('seed 000: 42 measures of 16 departments assigned at once make 16 letters, one per department, each listing its measures', async () => {
    const s = uniq();
    const ids = new Map<string, string>();
    for (const d of DEPARTMENTS_000) ids.set(d.alias, (await unitWithToken(h, `${d.name}${s}`)).id);
    const campaignId = await newCampaign(h, { policy: { letters: { issuer: { abbreviation: `白乡振${s.slice(0, 4)}` } } } });
    const deadline = farDeadline();
    const { items } = await create(
      campaignId,
      MEASURES_000.map((m) => ({ number: m.number, category: m.category, content: m.content, deadline, leadUnits: [ids.get(m.lead)!], coUnits: m.co.map((c) => ids.get(c)!) })),
    );
    expect(items).toHaveLength(42);
    await expect.poll(async () => (await assignmentLetters(campaignId)).length, { timeout: 90_000 }).toBe(16);

    const letters = await assignmentLetters(campaignId);
    const itemId = new Map(items.map((i) => [i.number, i.id]));
    for (const d of DEPARTMENTS_000) {
      const mine = letters.filter((l) => to(l).includes(ids.get(d.alias)!));
      expect(mine, d.alias).toHaveLength(1);
      const measures = MEASURES_000.filter((m) => m.lead === d.alias);
      expect([...mine[0]!.itemIds].sort(), d.alias).toEqual(measures.map((m) => itemId.get(m.number)!).sort());
      // Copied to the departments that co-operate on its measures.
      expect(cc(mine[0]!), d.alias).toEqual([...new Set(measures.flatMap((m) => m.co.map((c) => ids.get(c)!)))].filter((u) => u !== ids.get(d.alias)).sort());
    }
    // 16 numbers of the 函 series, none twice; every letter 整改工作提醒函, in the letter format.
    expect(new Set(letters.map((l) => l.docNumber)).size).toBe(16);
    expect(letters.every((l) => /函〔\d{4}〕\d+号$/.test(l.docNumber))).toBe(true);
    const lead = letters.find((l) => to(l).includes(ids.get('市乡村振兴局')!))!;
    const html = (await get(`/api/v1/letters/${lead.id}/document.html`)).body;
    expect(html).toContain('整改落实的提醒函');
    expect(html).toContain('9项整改任务');
    expect(html).toContain('开展全市防返贫监测帮扶集中排查');
    // Each measure with the deadline its workflow resolved (the letter waits for it), 9 times.
    expect(html.split(`整改时限：${chineseDate(deadline)}`).length - 1).toBe(9);
    expect(html).not.toContain('拓宽消费帮扶渠道'); // 市商务局's
    // Each department's inbox holds its letter.
    await expect
      .poll(async () => (await h.sql`select 1 from notifications where letter_id = ${lead.id} and recipient = ${ids.get('市乡村振兴局')!}`).length, { timeout: 60_000 })
      .toBe(1);

    // The same items again: nothing created, nothing written. New items: a new batch, letters for their units only.
    expect((await create(campaignId, [{ number: '1', content: MEASURES_000[0]!.content, deadline, leadUnits: [ids.get('市乡村振兴局')!] }])).created).toBe(0);
    await create(campaignId, [{ number: '43', content: '补充整改措施：开展整改“回头看”', deadline, leadUnits: [ids.get('市审计局')!] }]);
    await expect.poll(async () => (await assignmentLetters(campaignId)).length, { timeout: 60_000 }).toBe(17);
    expect(to((await assignmentLetters(campaignId)).at(-1)!)).toEqual([ids.get('市审计局')]);
  });

  it('an import written in chunks is one batch: one letter per unit, not one per chunk', async () => {
    const s = uniq();
    const A = await unitWithToken(h, `甲县${s}`, [`甲${s}`]);
    const B = await unitWithToken(h, `乙县${s}`, [`乙${s}`]);
    const campaignId = await newCampaign(h);
    const deadline = farDeadline();
    // 450 rows: the importer writes 200 at a time.
    const rows = Array.from({ length: 450 }, (_, i) => `${i + 1},排查整治第${i + 1}项,${i % 3 === 2 ? `乙${s}` : `甲${s}`},,${deadline}`);
    const csv = ['序号,整改措施,牵头单位,配合单位,整改时限', ...rows].join('\n');
    const r = await h.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/import`, headers: { ...office, 'content-type': 'text/csv' }, payload: csv });
    expect(r.statusCode, r.body).toBe(200);
    await expect.poll(async () => (await assignmentLetters(campaignId)).length, { timeout: 90_000 }).toBe(2);
    const letters = await assignmentLetters(campaignId);
    expect(letters.find((l) => to(l).includes(A.id))!.itemIds).toHaveLength(300);
    expect(letters.find((l) => to(l).includes(B.id))!.itemIds).toHaveLength(150);
  });

  it('the policy can turn them off, or give co-operating units letters of their own', async () => {
    const s = uniq();
    const A = await unitWithToken(h, `丙局${s}`);
    const B = await unitWithToken(h, `丁局${s}`);
    const deadline = farDeadline();
    const items = [
      { number: '1', content: '整治农村人居环境', deadline, leadUnits: [A.id], coUnits: [B.id] },
      { number: '2', content: '完善村级公共服务设施', deadline, leadUnits: [B.id] },
    ];
    const off = await newCampaign(h, { policy: { letters: { atAssignment: false } } });
    await create(off, items);
    const own = await newCampaign(h, { policy: { letters: { coUnitsAtAssignment: 'own_letter' } } });
    await create(own, items);
    await expect.poll(async () => (await assignmentLetters(own)).length, { timeout: 60_000 }).toBe(2);
    const letters = await assignmentLetters(own);
    const toB = letters.find((l) => to(l).includes(B.id))!;
    expect(toB.itemIds).toHaveLength(2); // the item it leads and the one it supports
    expect(cc(toB)).toEqual([]);
    expect(cc(letters.find((l) => to(l).includes(A.id))!)).toEqual([]);
    const html = (await get(`/api/v1/letters/${toB.id}/document.html`)).body;
    expect(html).toContain('牵头1项、配合1项');
    expect(html).toMatch(/配合；整改时限/);
    // Nothing came for the campaign that has them off.
    expect(await assignmentLetters(off)).toEqual([]);
  });
});
