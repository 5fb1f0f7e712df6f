/**
 * Ladder letters one per unit (domain/letters/batch.ts, workflows/unit-letter.ts), on Temporal's
 * time-skipping server and the real PostgreSQL: the steps of one rung that fall due for a lead
 * unit on one day are collected into ONE numbered letter listing those items (seed 000: "对涉及
 * 问题整改的16个相关部门，分别印发了整改工作提醒函"); items that stop being due while the letter
 * collects (closed out, given a new deadline, reassigned) are left out; a step enlisted again
 * after its letter was written finds itself claimed and makes no second letter.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { unitLetterWorkflowId } from '../domain/letters/batch';
import { enlistSignal, unitLetterWorkflow } from '../workflows/unit-letter';
import { office, uniq, unitWithToken } from './harness';
import { startTimeHarness, type TimeHarness } from './time-harness';

vi.setConfig({ testTimeout: 300_000 });
const HOUR = 3_600_000;

let h: TimeHarness;
let abbr: string;
type Unit = Awaited<ReturnType<typeof unitWithToken>>;

beforeAll(async () => {
  // Monday 2026-11-02, 16:00 in Shanghai.
  h = await startTimeHarness({ clock: '@2026-11-02 08:00:00', cache: true });
  abbr = `批改办${uniq().slice(0, 6)}`;
});
afterAll(async () => {
  await h?.close();
});

const post = (url: string, payload: object, headers: Record<string, string> = office) => h.app.inject({ method: 'POST', url, payload, headers });
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: office });

const POLICY = (collectFor: string) => ({
  reminders: [],
  ladder: [{ step: 'reminder_letter', after: 'PT0S' }],
  delivery: null,
  reportCadence: null,
  lookBack: null,
  letters: { issuer: { mark: '测试市整改工作领导小组办公室', abbreviation: abbr }, officeName: '市整改办', collectFor, receiptWithin: null, atAssignment: false },
});

async function campaign(collectFor: string, items: { number: string; content: string; deadline: string; leadUnits: string[]; coUnits?: string[] }[]) {
  const c = await post('/api/v1/campaigns', { title: `百日攻坚行动${uniq()}`, startDate: '2026-11-02', endDate: '2026-12-31', policy: POLICY(collectFor) });
  expect(c.statusCode, c.body).toBe(201);
  const r = await post(`/api/v1/campaigns/${c.json().id}/items`, { items });
  expect(r.statusCode, r.body).toBe(201);
  return { campaignId: c.json().id as string, ids: (r.json().items as { id: string }[]).map((i) => i.id) };
}

const act = async (id: string, action: string, body: object) => {
  const r = await post(`/api/v1/items/${id}/${action}`, body, { ...office, 'idempotency-key': `${action}:${id}:${uniq()}` });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

interface LetterRow { id: string; type: string; docNumber: string; recipients: { unitId: string; role: string }[] }
const lettersOfCampaign = async (campaignId: string): Promise<LetterRow[]> => (await get(`/api/v1/letters?campaignId=${campaignId}`)).json().letters;
const itemsOf = async (letterId: string) => (await h.sql<{ itemId: string }[]>`select unnest(item_ids) as item_id from letters where id = ${letterId}`).map((x) => x.itemId).sort();

describe('ladder letters one per unit', () => {
  let A: Unit;
  let B: Unit;
  let C: Unit;
  beforeAll(async () => {
    A = await unitWithToken(h, `市住建局-${uniq()}`);
    B = await unitWithToken(h, `市财政局-${uniq()}`);
    C = await unitWithToken(h, `市水利局-${uniq()}`);
  });

  it('a unit late on three items that day gets one letter listing the three; another unit its own', async () => {
    const { campaignId, ids } = await campaign('PT10M', [
      { number: '1', content: '老旧小区雨污分流改造', deadline: 'PT1H', leadUnits: [A.id], coUnits: [C.id] },
      { number: '2', content: '建筑工地扬尘治理', deadline: 'PT1H', leadUnits: [A.id] },
      { number: '3', content: '城市内涝点整治', deadline: 'PT2H', leadUnits: [A.id] }, // due an hour later, still that day
      { number: '4', content: '财政专项资金拨付', deadline: 'PT1H', leadUnits: [B.id], coUnits: [A.id] },
    ]);
    // A reports on item 2 before its deadline: the letter asks it for the rest, item 1 for a first report.
    expect((await post(`/api/v1/items/${ids[1]}/acknowledge`, {}, A.headers)).statusCode).toBe(200);
    expect((await post(`/api/v1/items/${ids[1]}/report-progress`, { text: '已完成60%', percent: 60 }, A.headers)).statusCode).toBe(200);
    // Items 1, 2 and 4 fall due at 1 h; A's letter closes 10 min later, B's too.
    await h.env.sleep(1.5 * HOUR);
    await expect.poll(async () => (await lettersOfCampaign(campaignId)).length, { timeout: 60_000 }).toBe(2);
    // Item 3 falls due at 2 h, after A's first letter was written: a second letter, the same day.
    await h.env.sleep(1.5 * HOUR);
    await expect.poll(async () => (await lettersOfCampaign(campaignId)).length, { timeout: 60_000 }).toBe(3);

    const letters = (await lettersOfCampaign(campaignId)).reverse();
    const toA = letters.filter((l) => l.recipients.some((r) => r.unitId === A.id && r.role === 'to'));
    const toB = letters.filter((l) => l.recipients.some((r) => r.unitId === B.id && r.role === 'to'));
    expect(toA).toHaveLength(2);
    expect(toB).toHaveLength(1);
    expect(await itemsOf(toA[0]!.id)).toEqual([ids[0], ids[1]].sort());
    expect(await itemsOf(toA[1]!.id)).toEqual([ids[2]]);
    expect(await itemsOf(toB[0]!.id)).toEqual([ids[3]]);
    // One 主送 per letter; the co-unit of a listed item is copied; every letter numbered once, in order.
    expect(toA[0]!.recipients.map((r) => [r.unitId, r.role])).toEqual([[A.id, 'to'], [C.id, 'cc']]);
    expect(toB[0]!.recipients.map((r) => [r.unitId, r.role])).toEqual([[B.id, 'to'], [A.id, 'cc']]);
    expect(letters.map((l) => l.docNumber).sort()).toEqual([1, 2, 3].map((n) => `${abbr}函〔2026〕${n}号`));
    // The letter's text lists both items of A under one heading of the unit.
    const body = (await get(`/api/v1/letters/${toA[0]!.id}/document.html`)).body;
    expect(body).toContain('老旧小区雨污分流改造');
    expect(body).toContain('建筑工地扬尘治理');
    expect(body).toMatch(/老旧小区雨污分流改造（[^）]*尚缺：整改进展报告及佐证材料）/);
    expect(body).toMatch(/建筑工地扬尘治理（[^）]*尚缺：整改完成情况及佐证材料）/);
    expect(body).not.toContain('财政专项资金拨付');
    // Each item's own letter list finds the unit letter it is in.
    expect((await get(`/api/v1/letters?itemId=${ids[1]}`)).json().letters.map((l: { id: string }) => l.id)).toEqual([toA[0]!.id]);
  });

  it('an item closed out, given a new deadline or reassigned while the letter collects is left out of it', async () => {
    const D = await unitWithToken(h, `洮北区-${uniq()}`);
    const { campaignId, ids } = await campaign('PT1H', [
      { number: '1', content: '黑臭水体治理', deadline: 'PT1H', leadUnits: [D.id] },
      { number: '2', content: '农村厕所改造', deadline: 'PT1H', leadUnits: [D.id] },
      { number: '3', content: '违建别墅拆除', deadline: 'PT1H', leadUnits: [D.id] },
      { number: '4', content: '河道采砂整治', deadline: 'PT1H', leadUnits: [D.id] },
    ]);
    // Due at 1 h; the letter collects until 2 h. Meanwhile, at 1.5 h:
    await h.env.sleep(1.5 * HOUR);
    await expect.poll(async () => (await h.sql`select 1 from item_steps where item_id = any(${ids}::uuid[]) and kind = 'ladder'`).length, { timeout: 60_000 }).toBe(4);
    expect(await lettersOfCampaign(campaignId)).toEqual([]);
    await act(ids[1]!, 'cancel', { reason: '问题已并入第1项' });
    await act(ids[2]!, 'change-deadline', { newDeadline: 'P10D', reason: '依整改方案调整' });
    await act(ids[3]!, 'reassign', { leadUnits: [B.id] });
    await h.env.sleep(HOUR);
    const toD = async () => (await lettersOfCampaign(campaignId)).filter((l) => l.recipients.some((r) => r.unitId === D.id));
    await expect.poll(async () => (await toD()).length, { timeout: 60_000 }).toBe(1);
    const [letter] = await toD();
    expect(letter!.recipients.map((r) => r.unitId)).toEqual([D.id]);
    expect(await itemsOf(letter!.id)).toEqual([ids[0]]);
    // Nothing more comes of the three for D: no other letter that day.
    await h.env.sleep(3 * HOUR);
    expect((await lettersOfCampaign(campaignId)).filter((l) => l.recipients.some((r) => r.unitId === D.id))).toHaveLength(1);
  });

  it('a step enlisted again after its letter was written finds itself claimed: no second letter', async () => {
    const E = await unitWithToken(h, `洮南市-${uniq()}`);
    const { campaignId, ids } = await campaign('PT0S', [{ number: '1', content: '饮用水源地保护', deadline: 'PT1H', leadUnits: [E.id] }]);
    await h.env.sleep(1.5 * HOUR);
    await expect.poll(async () => (await lettersOfCampaign(campaignId)).length, { timeout: 60_000 }).toBe(1);
    const [step] = await h.sql<{ key: string; occurredAt: string }[]>`
      select s.idempotency_key as key, e.occurred_at from item_steps s join item_events e on e.item_id = s.item_id and e.seq = s.seq
      where s.item_id = ${ids[0]!} and s.kind = 'ladder'`;
    const batch = { campaignId, unitId: E.id, rung: 'reminder_letter' as const, day: '2026-11-02', closeAt: Date.parse(step!.occurredAt) };
    // A retried activity enlisting the same step again: the finished batch starts a new run under its id.
    const handle = await h.env.client.workflow.signalWithStart(unitLetterWorkflow, {
      workflowId: unitLetterWorkflowId(batch),
      taskQueue: h.taskQueue,
      args: [batch],
      signal: enlistSignal,
      signalArgs: [{ itemId: ids[0]!, stepKey: step!.key, deadlineVersion: 1, occurredAt: step!.occurredAt }],
    });
    const result = await handle.result();
    expect(result).toEqual({ letters: [], listed: 0, dropped: 1 });
    expect(await lettersOfCampaign(campaignId)).toHaveLength(1);
  });
});
