/**
 * Seed 001's "每周一调度、每月一会商、季度一考评" and "对连续两次评为‘差’的乡镇实行挂牌督战，并对乡镇党委书记和
 * 联系部门主要负责人进行双约谈", lived in seconds on the time-skipping server: a campaign with weekly
 * dispatch sheets, monthly bulletins (通报) and quarterly ratings (考评). A unit rated 差 week
 * after week is NOT listed after two weeks: it is listed after two poor quarters, its summons
 * goes to both heads, and it comes off the list through its application, the office's review
 * (初审) and the office's decision.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { actOnItem, office, uniq, unitWithToken } from './harness';
import { startTimeHarness, type TimeHarness } from './time-harness';

vi.setConfig({ testTimeout: 600_000 });

let h: TimeHarness;
type Unit = Awaited<ReturnType<typeof unitWithToken>>;
let A: Unit; // lets its items run late all half year
let B: Unit; // finishes in the first week
let D: Unit; // A's contact department (联系部门)

beforeAll(async () => {
  // Monday 2026-03-02, 09:00 in Shanghai: a first quarter of a month, then a whole one.
  h = await startTimeHarness({ clock: '@2026-03-02 01:00:00', cache: true });
  A = await unitWithToken(h, `洮北区-${uniq()}`);
  B = await unitWithToken(h, `洮南市-${uniq()}`);
  D = await unitWithToken(h, `市农业农村局-${uniq()}`);
});
afterAll(() => h?.close());

const post = (url: string, payload: object, headers: Record<string, string> = office) => h.app.inject({ method: 'POST', url, payload, headers });
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: office });
const act = (itemId: string, segment: string, payload: object, headers: Record<string, string> = office) => actOnItem(h, itemId, segment, payload, headers);
type Letter = { id: string; type: string; docNumber: string; recipients: { unitId: string; role: string }[] };

it('dispatches weekly, bulletins monthly, rates quarterly: lists after two poor quarters, summons both heads, delists through application and review', async () => {
  const c = await post('/api/v1/campaigns', {
    title: `百日攻坚 ${uniq()}`,
    startDate: '2026-03-02',
    endDate: '2026-06-30',
    // Units report monthly here (fewer item events to live through); the sheets are still weekly.
    policy: { reportCadence: { every: 'monthly' }, cadences: { dispatch: { every: 'weekly', weekday: 5 }, bulletin: { every: 'monthly' }, rating: { every: 'quarterly' } } },
  });
  expect(c.statusCode, c.body).toBe(201);
  const id = c.json().id as string;
  const items = await post(`/api/v1/campaigns/${id}/items`, {
    items: [
      { number: '1', content: '城区黑臭水体治理', deadline: '2026-03-06', leadUnits: [A.id] },
      { number: '2', content: '农村人居环境整治', deadline: '2026-03-06', leadUnits: [A.id] },
      { number: '3', content: '惠农资金专项整改', deadline: '2026-06-30', leadUnits: [B.id] },
    ],
  });
  expect(items.statusCode, items.body).toBe(201);
  const ids = Object.fromEntries(items.json().items.map((i: { number: string; id: string }) => [i.number, i.id])) as Record<string, string>;
  expect((await h.app.inject({ method: 'PUT', url: `/api/v1/units/${A.id}/contact`, headers: office, payload: { contactUnit: D.id } })).statusCode).toBe(200);
  // B finishes in the first week: nothing left to report, nothing overdue.
  await act(ids['3']!, 'acknowledge', {}, B.headers);
  await act(ids['3']!, 'submit', { summary: '资金已全部整改到位' }, B.headers);
  await act(ids['3']!, 'close', { note: '核查通过' });

  const letters = async (): Promise<Letter[]> => (await get(`/api/v1/letters?campaignId=${id}&limit=100`)).json().letters;
  const listings = async () => (await get(`/api/v1/campaigns/${id}/listed`)).json().listings as { unitId: string; basis: string; listedSeq: number; poorPeriods: number[]; delisting: { stepLabel: string; note: string }[]; delistedBy: string | null }[];

  // ── The first quarter: four weekly sheets rate A 差 every week, yet A is not listed: listing counts quarters.
  await h.env.sleep('31 days'); // to 2026-04-02
  const sheets = (await get(`/api/v1/campaigns/${id}/dispatch-sheets`)).json().sheets as { seq: number; periodEnd: string }[];
  expect(sheets.map((s) => s.periodEnd.slice(0, 10))).toEqual(['2026-03-06', '2026-03-13', '2026-03-20', '2026-03-27']); // Fridays (16:00 UTC)
  for (const seq of [2, 4]) {
    const s = (await get(`/api/v1/campaigns/${id}/dispatch-sheets/${seq}`)).json();
    expect(s.units.find((u: { unitId: string }) => u.unitId === A.id)).toMatchObject({ rating: 'poor', overdue: 2 });
  }
  expect(await listings()).toEqual([]);
  const q1 = (await get(`/api/v1/campaigns/${id}/evaluations`)).json().evaluations;
  expect(q1).toHaveLength(1);
  expect(q1[0]).toMatchObject({ seq: 1, periodEnd: '2026-03-31T16:00:00.000Z', totals: { units: 2, ratings: { good: 1, fair: 0, poor: 1 } } });
  expect(q1[0].sheetSeqs).toEqual(sheets.filter((s) => s.periodEnd <= '2026-03-31T16:00:00.000Z').map((s) => s.seq));
  const e1 = (await get(`/api/v1/campaigns/${id}/evaluations/1`)).json();
  const e1A = e1.units.find((u: { unitId: string }) => u.unitId === A.id);
  expect(e1A).toMatchObject({ rating: 'poor', ratingLabel: '差', overdue: 2, rank: 2, sheetRatings: { good: 0, fair: 0, poor: e1.sheetSeqs.length } });
  expect(e1A.reasons[0]).toBe('逾期未完成2项');
  expect(e1.units.find((u: { unitId: string }) => u.unitId === B.id)).toMatchObject({ rating: 'good', rank: 1 });
  const state1 = (await get(`/api/v1/campaigns/${id}/dispatch`)).json();
  expect(state1).toMatchObject({ ratingBasis: 'evaluation', evaluations: 1, nextEvaluationAt: '2026-06-30T16:00:00.000Z', bulletins: 1, listed: [] });
  expect(state1.standings[A.id]).toMatchObject({ poorStreak: 1, poorPeriods: [1], listedSince: null });
  // One bulletin a month; March's carries the quarter's evaluation.
  const bulletins1 = (await letters()).filter((l) => l.type === 'bulletin');
  expect(bulletins1).toHaveLength(1);
  const march = (await h.sql`select facts from letters where campaign_id = ${id} and idempotency_key = ${`${id}:bulletin:1`}`)[0]!.facts;
  expect(march).toMatchObject({ seq: 1, ratedIn: '考评' });
  expect(march.periodText).toBe('第1期（2026年3月2日至2026年3月31日）');
  expect(march.evaluationText).toBe(`第1次考评（2026年3月2日至2026年3月31日）：评定为“好”的有${B.name}；评定为“差”的有${A.name}。`);

  // ── The second quarter: 差 again → listed, with its summons to A's and D's heads (双约谈).
  await h.env.sleep('91 days'); // to 2026-07-02
  const listed = await listings();
  expect(listed.map((l) => [l.unitId, l.basis, l.listedSeq, l.poorPeriods])).toEqual([[A.id, 'evaluation', 2, [1, 2]]]);
  const state2 = (await get(`/api/v1/campaigns/${id}/dispatch`)).json();
  expect(state2).toMatchObject({ evaluations: 2, bulletins: 4, listed: [{ unitId: A.id, since: 2 }] });
  const all = await letters();
  expect(all.filter((l) => l.type === 'bulletin')).toHaveLength(4);
  const april = (await h.sql`select facts from letters where campaign_id = ${id} and idempotency_key = ${`${id}:bulletin:2`}`)[0]!.facts;
  expect(april.evaluationText).toBe('');
  const summons = all.filter((l) => l.type === 'summons' && !('itemIds' in l && (l as { itemIds: string[] }).itemIds.length));
  expect(summons).toHaveLength(1);
  expect(summons[0]!.recipients.map((r) => [r.unitId, r.role]).sort()).toEqual([[A.id, 'to'], [D.id, 'to']].sort());
  const html = (await get(`/api/v1/letters/${summons[0]!.id}/document.html`)).body;
  expect(html).toContain('第1次、第2次考评中连续评定为“差”');
  expect(html).toContain(`对${A.name}主要负责同志和联系部门${D.name}主要负责同志进行双约谈`);
  const notice = await h.sql`select title, body from notifications where campaign_id = ${id} and recipient = ${D.id} and title like '【约谈通知】%'`;
  expect(notice.map((n) => n.title)).toEqual([`【约谈通知】${A.name}和${D.name}主要负责同志`]);
  expect(notice[0]!.body).toContain('第1次、第2次考评连续评为“差”');
  const june = (await h.sql`select facts from letters where campaign_id = ${id} and idempotency_key = ${`${id}:bulletin:4`}`)[0]!.facts;
  expect(june.evaluationText).toContain('第2次考评（2026年4月1日至2026年6月30日）');
  expect(june.listed).toBe(A.name);

  // ── 摘牌: A applies, the office reviews (初审), then decides.
  const at = `/api/v1/campaigns/${id}/listed/${A.id}`;
  expect((await post(`${at}/delist`, { reason: '整改到位' })).json()).toMatchObject({ code: 'DELISTING_NOT_REVIEWED' });
  expect((await post(`${at}/delisting-application`, { application: '两项整改已完成，佐证材料已报' }, A.headers)).statusCode).toBe(200);
  expect((await post(`${at}/delisting-review`, { passed: true, note: '佐证齐全，同意摘牌' })).json().delisting[A.id]).toMatchObject({ status: 'review_passed' });
  const delisted = await post(`${at}/delist`, { reason: '经研究同意摘牌' });
  expect(delisted.statusCode, delisted.body).toBe(200);
  expect(delisted.json()).toMatchObject({ listed: [], delisting: {} });
  const after = (await listings())[0]!;
  expect(after.delistedBy).not.toBeNull();
  expect(after.delisting.map((s) => s.stepLabel)).toEqual(['摘牌申请', '初审通过', '摘牌决定']);
});
