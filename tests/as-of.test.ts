/**
 * 回溯 (issue 15): "what did the ledger, the ranking and the item list say on 2026-11-05?" A
 * campaign lives two weeks on the time-skipping server — units sign for items, report, submit,
 * are sent back, ask for and get an extension, an item is reassigned, items run late and the
 * ladder fires — and every few days the API's answers are recorded (the item list with its
 * filters, each item, the statistics and ranking, the ledger). Afterwards each view is asked
 * again with `asOf` = the instant it was recorded: from the audit trail, it must equal what the
 * API answered then, field for field.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { actOnItem, addItems, newCampaign, office, uniq, unitWithToken } from './harness';
import { startTimeHarness, type TimeHarness } from './time-harness';

vi.setConfig({ testTimeout: 600_000 });

let h: TimeHarness;
type Unit = Awaited<ReturnType<typeof unitWithToken>>;
let A: Unit; // lets its items run late
let B: Unit; // signs, reports, submits
let C: Unit; // takes over an item, asks for more time

beforeAll(async () => {
  // Monday 2026-11-02, 16:00 in Shanghai.
  h = await startTimeHarness({ clock: '@2026-11-02 08:00:00', cache: true, apiClock: true });
  A = await unitWithToken(h, `市住建局-${uniq()}`);
  B = await unitWithToken(h, `市财政局-${uniq()}`);
  C = await unitWithToken(h, `市水利局-${uniq()}`);
});
afterAll(() => h?.close());

const get = async (url: string) => {
  const r = await h.app.inject({ method: 'GET', url, headers: office });
  expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
  return r;
};
const act = (itemId: string, segment: string, payload: object, u?: Unit) => actOnItem(h, itemId, segment, payload, u?.headers ?? office);

/** The ledger's rows (its title row names the day and whether it is 回溯; the rows must match). */
async function ledgerRows(url: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await get(url)).rawPayload as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((row, n) => {
    if (n > 1) rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

/**
 * Nothing in flight: every event of the campaign's items is in the read model, every step sent,
 * and nothing new for a moment — the state an office would have seen had it looked then.
 */
async function settle(campaignId: string) {
  let last = '';
  for (let quiet = 0, tries = 0; quiet < 3; tries++) {
    if (tries > 120) throw new Error('the campaign did not settle');
    const [r] = await h.sql<{ f: string; lagging: number; unsent: number }[]>`
      select (select count(*) from item_events e join items i on i.id = e.item_id where i.campaign_id = ${campaignId})::text as f,
             (select count(*) from items i join item_states st on st.item_id = i.id
               where i.campaign_id = ${campaignId} and st.last_seq < (select coalesce(max(seq), 0) from item_events e where e.item_id = i.id))::int as lagging,
             (select count(*) from item_steps s join items i on i.id = s.item_id where i.campaign_id = ${campaignId} and s.status <> 'sent')::int as unsent`;
    quiet = r!.f === last && r!.lagging === 0 && r!.unsent === 0 ? quiet + 1 : 0;
    last = r!.f;
    await new Promise((res) => setTimeout(res, 400));
  }
}

describe('every view as of a past instant equals what the API answered then', () => {
  it('records the list, each item, the statistics and the ledger over two weeks, then asks again with asOf', async () => {
    const campaignId = await newCampaign(h, { title: `回溯检验 ${uniq()}`, startDate: '2026-11-02', endDate: '2026-11-30' });
    const ids = await addItems(h, campaignId, [
      { number: '1', content: '老旧小区改造', deadline: '2026-11-04', leadUnits: [A.id] },
      { number: '2', content: '财政资金整改', deadline: '2026-11-20', leadUnits: [B.id], coUnits: [A.id] },
      { number: '3', content: '立行立改：清理占道经营', deadline: '2026-11-06', leadUnits: [B.id] },
      { number: '4', content: '违建清理', deadline: '2026-11-05', leadUnits: [A.id] },
      { number: '5', content: '河道清障', deadline: '2026-11-09', leadUnits: [C.id] },
      { number: '6', content: '专项资金审计整改', deadline: '2026-11-10', leadUnits: [B.id] },
    ]);

    const views = (): string[] => [
      `/api/v1/items?campaignId=${campaignId}&limit=500`,
      `/api/v1/items?campaignId=${campaignId}&overdue=true&limit=500`,
      `/api/v1/items?campaignId=${campaignId}&light=red&limit=500`,
      `/api/v1/items?campaignId=${campaignId}&dueWithinDays=3&limit=500`,
      `/api/v1/items?campaignId=${campaignId}&unitId=${A.id}&limit=500`,
      `/api/v1/items?campaignId=${campaignId}&unitId=${C.id}&limit=2`,
      ...Object.values(ids).map((id) => `/api/v1/items/${id}`),
      `/api/v1/campaigns/${campaignId}/stats`,
    ];
    const recorded: { at: number; answers: Map<string, unknown>; ledger: unknown[][] }[] = [];
    async function record() {
      await settle(campaignId);
      const at = await h.syncApiClock();
      const answers = new Map<string, unknown>();
      for (const url of views()) answers.set(url, (await get(url)).json());
      recorded.push({ at, answers, ledger: await ledgerRows(`/api/v1/campaigns/${campaignId}/ledger.xlsx`) });
    }

    // Day 0 (Mon 16:00): B signs for its items and reports; item 3 is done at once.
    await act(ids['2']!, 'acknowledge', {}, B);
    await act(ids['2']!, 'report-progress', { text: '已制定整改方案', percent: 30 }, B);
    await act(ids['3']!, 'acknowledge', {}, B);
    await act(ids['3']!, 'submit', { summary: '已清理完毕' }, B);
    await record();
    // Tue: the office closes item 3; A signs as co-operating unit of item 2.
    await h.env.sleep('1 day');
    await act(ids['3']!, 'close', { note: '核查属实' });
    await act(ids['2']!, 'acknowledge', {}, A);
    await record();
    // Thu (item 1 is late since Wed): item 4 goes to C, which signs; C asks for more time on item 5.
    await h.env.sleep('2 days');
    await act(ids['4']!, 'reassign', { leadUnits: [C.id] });
    await act(ids['4']!, 'acknowledge', {}, C);
    await act(ids['5']!, 'request-extension', { newDeadline: '2026-11-16', reason: '汛后施工条件不足' }, C);
    await record();
    // Fri: approved; B submits item 6.
    await h.env.sleep('1 day');
    await act(ids['5']!, 'decide-extension', { approve: true });
    await act(ids['6']!, 'acknowledge', {}, B);
    await act(ids['6']!, 'submit', { summary: '已完成审计整改' }, B);
    await record();
    // The next Monday: item 6 sent back; item 2 at 60 %.
    await h.env.sleep('3 days');
    await act(ids['6']!, 'reject', { reasons: '佐证材料不全' });
    await act(ids['2']!, 'report-progress', { text: '资金已拨付六成', percent: 60 }, B);
    await record();
    // A week on: the ladder has climbed for what A and B let run late.
    await h.env.sleep('6 days');
    await record();
    await h.env.sleep('2 days');
    await settle(campaignId);
    await h.syncApiClock();

    // The views changed over the fortnight (a test that compared equal things would prove nothing).
    const stats = (i: number) => recorded[i]!.answers.get(`/api/v1/campaigns/${campaignId}/stats`) as { campaign: { closed: number; overdueNow: number; red: number } };
    expect(stats(0).campaign).toMatchObject({ closed: 0, overdueNow: 0 });
    expect(stats(1).campaign.closed).toBe(1);
    expect(stats(2).campaign.overdueNow).toBeGreaterThan(0);
    expect(stats(5).campaign.red).toBeGreaterThan(stats(0).campaign.red);
    expect(new Set(recorded.map((x) => JSON.stringify(x.answers.get(`/api/v1/items/${ids['4']}`)))).size).toBeGreaterThan(3);

    for (const { at, answers, ledger } of recorded) {
      const asOf = new Date(at).toISOString();
      for (const [url, then] of answers) {
        const now = (await get(`${url}${url.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(asOf)}`)).json();
        expect(now, `${url} as of ${asOf}`).toEqual(then);
      }
      expect(await ledgerRows(`/api/v1/campaigns/${campaignId}/ledger.xlsx?asOf=${encodeURIComponent(asOf)}`), `ledger as of ${asOf}`).toEqual(ledger);
    }

    // A day means its close in Shanghai: the same as that day's last instant.
    const day = await get(`/api/v1/campaigns/${campaignId}/stats?asOf=2026-11-05`);
    const lastInstant = await get(`/api/v1/campaigns/${campaignId}/stats?asOf=${encodeURIComponent('2026-11-05T23:59:59.999+08:00')}`);
    expect(day.json()).toEqual(lastInstant.json());
    expect(day.json().asOf).toBe('2026-11-05');

    // Letters are records of their own day: the list as of a day is those issued by then.
    const all = (await get(`/api/v1/letters?campaignId=${campaignId}&limit=500`)).json().letters as { issuedOn: string }[];
    const early = (await get(`/api/v1/letters?campaignId=${campaignId}&limit=500&issuedOnOrBefore=2026-11-05`)).json().letters as { issuedOn: string }[];
    expect(early.length).toBeGreaterThan(0);
    expect(early.length).toBeLessThan(all.length);
    expect(early).toEqual(all.filter((l) => l.issuedOn <= '2026-11-05'));
  });

  it('refuses a future instant and a malformed one, and says an item had not started yet', async () => {
    const now = await h.syncApiClock();
    const tomorrow = new Date(now + 2 * 86_400_000).toISOString().slice(0, 10);
    const future = await h.app.inject({ method: 'GET', url: `/api/v1/items?asOf=${tomorrow}`, headers: office });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'querystring.asOf' }] });
    for (const bad of ['yesterday', '2026-02-30', '2026-11-05T10:00:00', '1900-01-01']) {
      const res = await h.app.inject({ method: 'GET', url: `/api/v1/campaigns/00000000-0000-4000-8000-000000000000/stats?asOf=${bad}`, headers: office });
      expect(res.statusCode, bad).toBe(400);
    }
    const c = await h.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: office, payload: { title: `回溯检验 ${uniq()}`, startDate: '2026-11-02', endDate: '2026-12-30' } });
    const item = await h.app.inject({ method: 'POST', url: `/api/v1/campaigns/${c.json().id}/items`, headers: office, payload: { items: [{ number: '1', content: '新增事项', deadline: '2026-12-20', leadUnits: [A.id] }] } });
    const id = item.json().items[0].id as string;
    await expect.poll(async () => (await h.app.inject({ method: 'GET', url: `/api/v1/items/${id}`, headers: office })).json().history?.length ?? 0).toBeGreaterThan(0);
    const before = await h.app.inject({ method: 'GET', url: `/api/v1/items/${id}?asOf=2026-11-03`, headers: office });
    expect(before.statusCode).toBe(404);
    expect(before.json().messageZh).toBe('该事项在 2026-11-03 时尚未开始');
    const list = await h.app.inject({ method: 'GET', url: `/api/v1/items?campaignId=${c.json().id}&asOf=2026-11-03`, headers: office });
    expect(list.json().items).toEqual([]);
  });
});
