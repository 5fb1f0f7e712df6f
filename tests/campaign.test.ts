/**
 * A campaign in time: weekly dispatch sheets (调度表), ratings 好/中/差, listed supervision after
 * two consecutive 差, coming off the list by rule and by the office, the progress-vs-target
 * series and the close-out — four weeks lived in seconds on the time-skipping test server.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { actOnItem, office, uniq, unitWithToken } from './harness';
import { startTimeHarness, type TimeHarness } from './time-harness';

vi.setConfig({ testTimeout: 420_000 });

let h: TimeHarness;
type Unit = Awaited<ReturnType<typeof unitWithToken>>;
let A: Unit; // lets its items run late
let B: Unit; // reports every week
let C: Unit; // lets its items run late too; the office takes it off the list
let D: Unit; // A's contact department (联系部门): summoned with A (双约谈)

beforeAll(async () => {
  // Monday 2026-11-02, 16:00 in Shanghai: no holiday in the weeks that follow.
  h = await startTimeHarness({ clock: '@2026-11-02 08:00:00', cache: true });
  A = await unitWithToken(h, `市住建局-${uniq()}`);
  B = await unitWithToken(h, `市财政局-${uniq()}`);
  C = await unitWithToken(h, `市水利局-${uniq()}`);
  D = await unitWithToken(h, `市农业农村局-${uniq()}`);
});
afterAll(() => h?.close());

const post = (url: string, payload: object, headers: Record<string, string> = office) => h.app.inject({ method: 'POST', url, payload, headers });
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: office });

async function campaign(endDate: string, items: object[]) {
  const c = await post('/api/v1/campaigns', { title: `百日攻坚 ${uniq()}`, startDate: '2026-11-02', endDate });
  expect(c.statusCode).toBe(201);
  const r = await post(`/api/v1/campaigns/${c.json().id}/items`, { items });
  expect(r.statusCode).toBe(201);
  const ids = Object.fromEntries(r.json().items.map((i: { number: string; id: string }) => [i.number, i.id]));
  return { id: c.json().id as string, ids: ids as Record<string, string> };
}

const act = (itemId: string, segment: string, payload: object, headers: Record<string, string> = office) => actOnItem(h, itemId, segment, payload, headers);
const report = (itemId: string, u: Unit, percent: number) => act(itemId, 'report-progress', { text: `完成${percent}%`, percent }, u.headers);

describe('dispatch, ratings and listed supervision over four weeks', () => {
  it('rates each week, lists two consecutive 差, delists by rule and by the office, and keeps every sheet as it was', async () => {
    const { id, ids } = await campaign('2026-11-30', [
      { number: '1', content: '老旧小区改造', deadline: '2026-11-04', leadUnits: [A.id] },
      { number: '2', content: '违建清理', deadline: '2026-11-04', leadUnits: [A.id] },
      { number: '3', content: '财政资金整改', deadline: '2026-11-27', leadUnits: [B.id], coUnits: [C.id] },
      { number: '4', content: '河道清障', deadline: '2026-11-04', leadUnits: [C.id] },
      { number: '5', content: '水毁工程修复', deadline: '2026-11-04', leadUnits: [C.id] },
    ]);
    // A's contact department is D: a listing of A summons both heads (双约谈). Set by the office
    // (a name or an alias will do); not to itself, not to an unknown unit, not by a unit.
    const setContact = (unitId: string, contactUnit: string | null, headers: Record<string, string> = office) =>
      h.app.inject({ method: 'PUT', url: `/api/v1/units/${unitId}/contact`, headers, payload: { contactUnit } });
    expect((await setContact(A.id, A.id)).statusCode).toBe(400);
    expect((await setContact(A.id, '市不存在局')).json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.contactUnit' }] });
    expect((await setContact(A.id, D.name, A.headers)).statusCode).toBe(403);
    const contact = await setContact(A.id, D.name);
    expect(contact.statusCode, contact.body).toBe(200);
    expect(contact.json()).toMatchObject({ id: A.id, contactUnitId: D.id });

    const sheet = async (seq: number) => {
      const r = await get(`/api/v1/campaigns/${id}/dispatch-sheets/${seq}`);
      expect(r.statusCode, r.body).toBe(200);
      const s = r.json();
      return { ...s, by: Object.fromEntries(s.units.map((u: { unitId: string }) => [u.unitId, u])) };
    };

    // A small campaign that ends on Wednesday with its one item closed: it closes out.
    const small = await campaign('2026-11-04', [{ number: '1', content: '立行立改：清理占道经营', deadline: '2026-11-04', leadUnits: [B.id] }]);
    await act(small.ids['1']!, 'acknowledge', {}, B.headers);
    await act(small.ids['1']!, 'submit', { summary: '已清理' }, B.headers);
    await act(small.ids['1']!, 'close', {});

    // Week 1: B acknowledges and reports; A and C do nothing.
    await act(ids['3']!, 'acknowledge', {}, B.headers);
    await report(ids['3']!, B, 20);
    await h.env.sleep('5 days'); // past Friday 11-06
    const s1 = await sheet(1);
    expect(s1.periodEnd).toBe('2026-11-06T16:00:00.000Z'); // the end of Friday in Shanghai
    expect(s1.by[A.id]).toMatchObject({ rating: 'poor', ratingLabel: '差', overdue: 2, overdueItems: ['1', '2'], notReported: 2 });
    expect(s1.by[B.id]).toMatchObject({ rating: 'good', reported: 1, notReported: 0, overdue: 0 });
    // C co-operates on item 3 and must report on it too: its own part.
    expect(s1.by[C.id]).toMatchObject({ rating: 'poor', overdue: 2, notReported: 3, notReportedItems: ['3', '4', '5'] });
    expect(s1.units[0].unitId).toBe(B.id);
    expect((await get(`/api/v1/campaigns/${id}/listed`)).json().listings).toEqual([]);
    // The small campaign: its last day closed the last period, nothing was open, so it closed out and its workflow ended.
    const closed = (await get(`/api/v1/campaigns/${small.id}`)).json();
    expect(closed.closedAt).toBe('2026-11-04T16:00:00.000Z');
    expect(closed.summary).toMatchObject({ periods: 1, lastSheet: { items: 1, closed: 1, completionRate: 100 } });
    expect((await h.env.client.workflow.getHandle(closed.workflowId).describe()).status.name).toBe('COMPLETED');

    // Week 2: still 差 → A and C are listed, with a summons intent for their leaders.
    await report(ids['3']!, B, 45);
    await h.env.sleep('7 days');
    const s2 = await sheet(2);
    expect([s2.by[A.id].rating, s2.by[B.id].rating, s2.by[C.id].rating]).toEqual(['poor', 'good', 'poor']);
    const listed = (await get(`/api/v1/campaigns/${id}/listed`)).json().listings;
    expect(listed.map((l: { unitId: string; listedSeq: number; poorPeriods: number[]; delistedAt: null }) => [l.unitId, l.listedSeq, l.poorPeriods, l.delistedAt]).sort()).toEqual(
      [[A.id, 2, [1, 2], null], [C.id, 2, [1, 2], null]].sort(),
    );
    const intents = await h.sql`select kind, unit_id, status from campaign_steps where campaign_id = ${id} order by kind, unit_id`;
    expect(intents.filter((i) => i.unitId === A.id).map((i) => [i.kind, i.status])).toEqual([['listed_supervision', 'sent'], ['summons', 'sent']]);
    const inbox = await h.sql`select title, body from notifications where campaign_id = ${id} and recipient = ${A.id} and title not like '【逾期未签收】%' order by id`;
    expect(inbox.map((n) => n.title)).toEqual([`【挂牌督办】${A.name}`, `【约谈通知】${A.name}和${D.name}主要负责同志`]);
    expect(inbox[0]!.body).toContain('第1期、第2期连续评为“差”');
    expect(inbox[1]!.body).toContain(`联系部门${D.name}主要负责同志进行双约谈`);
    // D hears of A's listing and of the summons too; C has no contact department.
    const inboxD = await h.sql`select title from notifications where campaign_id = ${id} and recipient = ${D.id} and item_id is null and letter_id is null order by id`;
    expect(inboxD.map((n) => n.title)).toEqual([`【挂牌督办】${A.name}`, `【约谈通知】${A.name}和${D.name}主要负责同志`]);
    const inboxC = await h.sql`select title from notifications where campaign_id = ${id} and recipient = ${C.id} and item_id is null and letter_id is null and title like '【约谈通知】%'`;
    expect(inboxC.map((n) => n.title)).toEqual([`【约谈通知】${C.name}主要负责同志`]);
    const state = (await get(`/api/v1/campaigns/${id}/dispatch`)).json();
    expect(state).toMatchObject({ periods: 2, closed: false, nextDispatchAt: '2026-11-20T16:00:00.000Z' });
    // The period's letters: its bulletin (通报) to every unit on the sheet, ranking them and naming
    // the laggards and the listed; and for A the listing notice and the summons, each numbered once.
    const letters = (await get(`/api/v1/letters?campaignId=${id}&limit=100`)).json().letters as { id: string; type: string; docNumber: string; itemIds: string[]; recipients: { unitId: string }[] }[];
    const bulletins = letters.filter((l) => l.type === 'bulletin');
    expect(bulletins).toHaveLength(2);
    const bulletin2 = (await h.sql`select facts, doc_number from letters where campaign_id = ${id} and idempotency_key = ${`${id}:bulletin:2`}`)[0]!;
    const ranked = [...s2.units].sort((x: { rank: number }, y: { rank: number }) => x.rank - y.rank);
    expect(bulletin2.facts).toMatchObject({ seq: 2, laggards: ranked.filter((u: { rating: string }) => u.rating === 'poor').map((u: { name: string }) => u.name).join('、') });
    expect(bulletin2.facts.laggards.split('、').sort()).toEqual([A.name, C.name].sort());
    expect(bulletin2.facts.listed.split('、').sort()).toEqual([A.name, C.name].sort());
    expect(bulletin2.facts.ranking.map((r: { name: string }) => r.name)).toEqual(ranked.map((u: { name: string }) => u.name));
    expect(bulletin2.docNumber).toMatch(/通〔2026〕\d+号$/);
    expect(letters.find((l) => l.id === bulletins[0]!.id)!.recipients.map((r) => r.unitId).sort()).toEqual([A.id, B.id, C.id].sort());
    expect(letters.filter((l) => l.recipients.some((r) => r.unitId === A.id) && l.type !== 'bulletin' && !l.itemIds.length).map((l) => l.type).sort()).toEqual(['listed_supervision', 'summons']);
    // 双约谈: A's summons is addressed to A and D, its listing notice copied to D.
    const roles = (type: string) =>
      (letters.find((l) => l.type === type && l.recipients.some((r) => r.unitId === A.id))!.recipients as unknown as { unitId: string; role: string }[]).map((r) => [r.unitId, r.role]);
    expect(roles('summons')).toEqual([[A.id, 'to'], [D.id, 'to']]);
    expect(roles('listed_supervision')).toEqual([[A.id, 'to'], [D.id, 'cc']]);
    const summonsA = letters.find((l) => l.type === 'summons' && l.recipients.some((r) => r.unitId === A.id))!;
    const summonsHtml = (await get(`/api/v1/letters/${summonsA.id}/document.html`)).body;
    expect(summonsHtml).toContain(`对${A.name}主要负责同志和联系部门${D.name}主要负责同志进行双约谈`);
    const html = (await get(`/api/v1/letters/${bulletins.find((b) => b.docNumber === bulletin2.docNumber)!.id}/document.html`)).body;
    expect(html).toContain('第2期');
    expect(html).toContain(A.name);

    // The office takes C off the list; B was never listed.
    const refused = await post(`/api/v1/campaigns/${id}/listed/${B.id}/delist`, { reason: '误报' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'NOT_LISTED', messageZh: expect.stringContaining('挂牌督办') });
    // 摘牌 goes through C's application and the office's review (初审) first (seed 001).
    const listedC = `/api/v1/campaigns/${id}/listed/${C.id}`;
    expect((await post(`${listedC}/delist`, { reason: '已约谈' })).json()).toMatchObject({ code: 'DELISTING_NOT_REVIEWED', messageZh: expect.stringContaining('初审') });
    expect((await post(`${listedC}/delisting-application`, { application: '代为申请' })).statusCode).toBe(403); // the office does not apply
    expect((await post(`${listedC}/delisting-application`, { application: '代为申请' }, A.headers)).statusCode).toBe(403); // nor another unit
    expect((await post(`${listedC}/delisting-review`, { passed: true, note: '同意' })).json()).toMatchObject({ code: 'NO_DELISTING_APPLICATION' });
    const applied = await post(`${listedC}/delisting-application`, { application: '河道清障已完成，水毁工程修复方案已报' }, C.headers);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().delisting[C.id]).toMatchObject({ requestNo: 1, status: 'applied' });
    expect((await post(`${listedC}/delisting-application`, { application: '再次申请' }, C.headers)).json()).toMatchObject({ code: 'DELISTING_PENDING' });
    expect((await post(`${listedC}/delisting-review`, { passed: false, note: '水毁工程修复佐证材料不全' })).json().delisting[C.id]).toMatchObject({ status: 'review_failed' });
    expect((await post(`${listedC}/delist`, { reason: '已约谈' })).json()).toMatchObject({ code: 'DELISTING_NOT_REVIEWED' });
    expect((await post(`${listedC}/delisting-application`, { application: '佐证材料已补齐' }, C.headers)).json().delisting[C.id]).toMatchObject({ requestNo: 2, status: 'applied' });
    expect((await post(`${listedC}/delisting-review`, { passed: true, note: '佐证齐全，同意摘牌' })).json().delisting[C.id]).toMatchObject({ status: 'review_passed' });
    const delisted = await post(`/api/v1/campaigns/${id}/listed/${C.id}/delist`, { reason: '已约谈，整改方案已报' });
    expect(delisted.statusCode, delisted.body).toBe(200);
    expect(delisted.json().listed.map((l: { unitId: string }) => l.unitId)).toEqual([A.id]);
    expect(delisted.json().delisting).toEqual({});
    // Each step recorded once, in order; C heard of each review and of the decision (the 摘牌 notice).
    const trail = (await get(`/api/v1/campaigns/${id}/listed`)).json().listings.find((l: { unitId: string }) => l.unitId === C.id).delisting;
    expect(trail.map((s: { requestNo: number; stepLabel: string; note: string }) => [s.requestNo, s.stepLabel, s.note])).toEqual([
      [1, '摘牌申请', '河道清障已完成，水毁工程修复方案已报'],
      [1, '初审未通过', '水毁工程修复佐证材料不全'],
      [2, '摘牌申请', '佐证材料已补齐'],
      [2, '初审通过', '佐证齐全，同意摘牌'],
      [2, '摘牌决定', '已约谈，整改方案已报'],
    ]);
    const toC = await h.sql`select title from notifications where campaign_id = ${id} and recipient = ${C.id} and title like '【摘牌%' order by id`;
    expect(toC.map((n) => n.title)).toEqual([`【摘牌初审未通过】${C.name}`, `【摘牌初审通过】${C.name}`, `【摘牌】${C.name}解除挂牌督办`]);

    // Week 3: A finishes its items (late); the office closes them. B keeps reporting.
    for (const n of ['1', '2']) {
      await act(ids[n]!, 'acknowledge', {}, A.headers);
      await report(ids[n]!, A, 100);
      await act(ids[n]!, 'submit', { summary: '已完成整改' }, A.headers);
      await act(ids[n]!, 'close', { note: '核查通过' });
    }
    await report(ids['3']!, B, 70);
    await h.env.sleep('7 days');
    expect((await sheet(3)).by[A.id]).toMatchObject({ rating: 'good', closed: 2, closedLate: 2, overdue: 0 });

    // Week 4: A's second 好 takes it off the list by rule; C, 差 twice since the office's decision, is listed again.
    await report(ids['3']!, B, 90);
    await h.env.sleep('7 days');
    const s4 = await sheet(4);
    expect([s4.by[A.id].rating, s4.by[B.id].rating, s4.by[C.id].rating]).toEqual(['good', 'good', 'poor']);
    const all = (await get(`/api/v1/campaigns/${id}/listed`)).json().listings as { unitId: string; listedSeq: number; poorPeriods: number[]; delistedBy: string | null; delistedSeq: number | null; delistReason: string | null }[];
    const of = (u: Unit) => all.filter((l) => l.unitId === u.id).map((l) => [l.listedSeq, l.poorPeriods, l.delistedBy, l.delistedSeq]);
    expect(of(A)).toEqual([[2, [1, 2], 'rule', 4]]);
    expect(of(C)).toEqual([
      [2, [1, 2], '督查室', 2],
      [4, [3, 4], null, null],
    ]);
    expect((await h.sql`select title from notifications where campaign_id = ${id} and recipient = ${A.id} order by id`).map((n) => n.title)).toContain(`【摘牌】${A.name}解除挂牌督办`);

    // Every past sheet reads as it was: week 1 still shows A's two overdue items.
    expect((await sheet(1)).by[A.id]).toMatchObject({ overdue: 2, rating: 'poor' });
    await expect(h.sql`update dispatch_sheets set totals = '{}' where campaign_id = ${id}`).rejects.toThrow(/kept as compiled/);

    // The progress-vs-target series: one point per period, the target rising with time.
    const points = (await get(`/api/v1/campaigns/${id}/stats/series`)).json().points as { seq: number; target: number; completionRate: number }[];
    expect(points.map((p) => p.seq)).toEqual([1, 2, 3, 4]);
    expect(points[1]!.target).toBeGreaterThan(points[0]!.target);
    expect(points[3]!.completionRate).toBe(40); // items 1 and 2 of 5
    // The item shows each unit's own part: B reported four times on item 3; C never did.
    const item3 = (await get(`/api/v1/items/${ids['3']}`)).json();
    const parts = Object.fromEntries(item3.units.map((u: { unitId: string }) => [u.unitId, u]));
    expect(parts[B.id]).toMatchObject({ role: 'lead', acknowledged: true, reports: 4, lastPercent: 90 });
    expect(parts[C.id]).toMatchObject({ role: 'co', acknowledged: false, reports: 0, lastReportAt: null });
  });
});
