/**
 * Every endpoint through app.inject against the real PostgreSQL and Temporal: success, and the
 * 400 / 401 / 403 / 404 / 409 answers a client must be able to rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysFromToday, farDeadline } from './dates';
import { newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = office) => h.app.inject({ method: 'POST', url, payload: payload as object, headers });
const get = (url: string, headers: Record<string, string> = office) => h.app.inject({ method: 'GET', url, headers });

describe('units', () => {
  it('creates a unit with aliases and lists it', async () => {
    const name = `白城市住房和城乡建设局-${uniq()}`;
    const res = await post('/api/v1/units', { name, kind: 'department', aliases: [`市住建局-${name}`] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name, kind: 'department', aliases: [`市住建局-${name}`] });
    const list = await get('/api/v1/units?kind=department');
    expect(list.json().units.map((u: { name: string }) => u.name)).toContain(name);
  });

  it('answers 400 with field-level messages for bad input', async () => {
    const res = await post('/api/v1/units', { name: '', kind: 'ministry' });
    expect(res.statusCode).toBe(400);
    const paths = res.json().details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.kind']));
  });

  it('answers 409 when a name or alias is already taken', async () => {
    const name = `市水利局-${uniq()}`;
    expect((await post('/api/v1/units', { name, kind: 'department' })).statusCode).toBe(201);
    const dup = await post('/api/v1/units', { name: `另一个-${uniq()}`, kind: 'department', aliases: [name] });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'NAME_TAKEN', names: [name] });
  });

  it('needs a token (401) and the office role to write (403)', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/units' })).statusCode).toBe(401);
    expect((await get('/api/v1/units', { authorization: 'Bearer nope-nope' })).statusCode).toBe(401);
    const leader = await post('/api/v1/principals', { role: 'leader', name: '分管领导' });
    const leaderAuth = { authorization: `Bearer ${leader.json().token}` };
    expect((await get('/api/v1/units', leaderAuth)).statusCode).toBe(200);
    const denied = await post('/api/v1/units', { name: `x-${uniq()}`, kind: 'county' }, leaderAuth);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toMatch(/read-only/);
  });
});

describe('campaigns', () => {
  it('creates, gets and lists a campaign; the same code returns the same campaign', async () => {
    const code = `bai-2020-13-${uniq()}`;
    const body = { code, title: '白城市决战决胜脱贫攻坚“百日冲刺”行动', docNumber: '白脱贫发〔2020〕13号', issuingBody: '白城市脱贫攻坚领导小组', startDate: '2020-09-22', endDate: '2020-12-31' };
    const first = await post('/api/v1/campaigns', body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ code, docNumber: '白脱贫发〔2020〕13号', startDate: '2020-09-22', itemCounts: {} });
    const again = await post('/api/v1/campaigns', body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect((await get(`/api/v1/campaigns/${first.json().id}`)).json().title).toBe(body.title);
    expect((await get('/api/v1/campaigns')).json().campaigns.map((c: { id: string }) => c.id)).toContain(first.json().id);
  });

  it('rejects an end before the start (400) and answers 404 for an unknown id', async () => {
    const bad = await post('/api/v1/campaigns', { title: 't', startDate: '2020-09-22', endDate: '2020-09-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual([{ path: 'body.endDate', message: 'endDate must not be before startDate' }]);
    expect((await get('/api/v1/campaigns/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await get('/api/v1/campaigns/not-a-uuid')).statusCode).toBe(400);
  });
});

describe('items', () => {
  it('adds items by unit name or alias, lists and filters them, and gets one with its history', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`, [`住建-${uniq()}`]);
    const sl = await unitWithToken(h, `市水利局-${uniq()}`);
    const campaignId = await newCampaign(h);
    // Due months from today: green, not overdue, and nothing but 'assigned' in its history.
    const due = farDeadline();
    const res = await post(`/api/v1/campaigns/${campaignId}/items`, {
      items: [
        { number: '1', category: '再排查再巩固再提升', content: '严格进行排查，10月底前清零销号', deadline: due, leadUnits: [zj.name], coUnits: [sl.id] },
        { number: '2', content: '强化动态管理', deadline: due, leadUnits: [sl.name] },
        { number: '3', content: '开展问题整改“回头看”', kind: 'long_term', leadUnits: [zj.id] },
      ],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ created: 3, existing: 0 });
    const [first] = res.json().items;
    expect(first).toMatchObject({ number: '1', status: 'assigned', statusLabel: '已交办', deadline: due });
    expect(first.units).toEqual([
      { unitId: zj.id, name: zj.name, role: 'lead', acknowledged: false, reports: 0, lastReportAt: null, lastPercent: null },
      { unitId: sl.id, name: sl.name, role: 'co', acknowledged: false, reports: 0, lastReportAt: null, lastPercent: null },
    ]);

    const byUnit = await get(`/api/v1/items?campaignId=${campaignId}&unitId=${sl.id}`);
    expect(byUnit.json().items.map((i: { number: string }) => i.number)).toEqual(['1', '2']);
    const paged = await get(`/api/v1/items?campaignId=${campaignId}&limit=2`);
    expect(paged.json().items).toHaveLength(2);
    const rest = await get(`/api/v1/items?campaignId=${campaignId}&limit=2&after=${paged.json().nextCursor}`);
    expect(rest.json()).toMatchObject({ items: [{ number: '3' }], nextCursor: null });

    // The workflow records the 'assigned' event shortly after the start.
    await expect.poll(async () => (await get(`/api/v1/items/${first.id}`)).json().history.length).toBe(1);
    const detail = (await get(`/api/v1/items/${first.id}`)).json();
    expect(detail.history[0]).toMatchObject({ seq: 1, type: 'assigned', label: '交办', toStatus: 'assigned', actor: { role: 'office' } });
    expect(detail).toMatchObject({ deadlineDate: due, light: 'green', overdueDays: 0 });
    expect(detail.links.temporalUi).toContain(`/workflows/item-${first.id}`);
  });

  it('re-adding the same numbers changes nothing', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const campaignId = await newCampaign(h);
    const items = [{ number: '1', content: '原内容', deadline: farDeadline(), leadUnits: [zj.id] }];
    const a = await post(`/api/v1/campaigns/${campaignId}/items`, { items });
    const b = await post(`/api/v1/campaigns/${campaignId}/items`, { items });
    expect(b.statusCode).toBe(201);
    expect(b.json()).toMatchObject({ created: 0, existing: 1 });
    expect(b.json().items[0].id).toBe(a.json().items[0].id);
    expect((await get(`/api/v1/items?campaignId=${campaignId}`)).json().items).toHaveLength(1);
  });

  it('is all or nothing: an unknown unit or a missing deadline fails every row and writes none', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const campaignId = await newCampaign(h);
    const res = await post(`/api/v1/campaigns/${campaignId}/items`, {
      items: [
        { number: '1', content: '好的一行', deadline: farDeadline(), leadUnits: [zj.id] },
        { number: '2', content: '未知单位', deadline: farDeadline(), leadUnits: ['市不存在局'] },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ path: 'body.items.1.leadUnits.0', message: expect.stringContaining('unknown unit "市不存在局"') }]);
    expect((await get(`/api/v1/items?campaignId=${campaignId}`)).json().items).toHaveLength(0);

    const noDeadline = await post(`/api/v1/campaigns/${campaignId}/items`, { items: [{ number: '1', content: 'x', leadUnits: [zj.id] }] });
    expect(noDeadline.statusCode).toBe(400);
    expect(noDeadline.json().details[0].path).toBe('body.items.0.deadline');
    expect((await post('/api/v1/campaigns/00000000-0000-4000-8000-000000000000/items', { items: [{ number: '1', content: 'x', deadline: farDeadline(), leadUnits: [zj.id] }] })).statusCode).toBe(404);
  });

  it('takes actions from the right principals and refuses the rest with 403/404/409', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const other = await unitWithToken(h, `市教育局-${uniq()}`);
    const campaignId = await newCampaign(h);
    // Due months from today: no light change or reminder joins the exact history checked below.
    const created = await post(`/api/v1/campaigns/${campaignId}/items`, { items: [{ number: '1', content: '整改', deadline: farDeadline(), leadUnits: [zj.id] }] });
    const id = created.json().items[0].id as string;

    const early = await post(`/api/v1/items/${id}/close`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'INVALID_TRANSITION', messageZh: expect.stringContaining('不能销号') });

    expect((await post(`/api/v1/items/${id}/acknowledge`, {}, other.headers)).statusCode).toBe(403);
    expect((await post(`/api/v1/items/${id}/acknowledge`, {})).statusCode).toBe(403); // the office does not acknowledge
    expect((await post(`/api/v1/items/00000000-0000-4000-8000-000000000000/acknowledge`, {}, zj.headers)).statusCode).toBe(404);

    const ack = await post(`/api/v1/items/${id}/acknowledge`, {}, zj.headers);
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', statusLabel: '已签收', acknowledgedUnits: [zj.id] });

    const badReport = await post(`/api/v1/items/${id}/report-progress`, { text: '', percent: 101 }, zj.headers);
    expect(badReport.statusCode).toBe(400);
    expect(badReport.json().details.map((d: { path: string }) => d.path).sort()).toEqual(['body.percent', 'body.text']);

    const key = { ...zj.headers, 'idempotency-key': `report-${uniq()}` };
    expect((await post(`/api/v1/items/${id}/report-progress`, { text: '已完成70%', percent: 70, evidence: ['照片.zip'] }, key)).statusCode).toBe(200);
    // The same request retried (same Idempotency-Key) is applied once.
    expect((await post(`/api/v1/items/${id}/report-progress`, { text: '已完成70%', percent: 70, evidence: ['照片.zip'] }, key)).statusCode).toBe(200);
    expect((await post(`/api/v1/items/${id}/submit`, { summary: '整改完成' }, zj.headers)).json().status).toBe('submitted');
    expect((await post(`/api/v1/items/${id}/close`, { note: '核查通过' })).json()).toMatchObject({ status: 'closed', statusLabel: '已销号', progressPercent: 100 });

    const again = await post(`/api/v1/items/${id}/close`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'INVALID_TRANSITION', messageZh: expect.stringContaining('已销号') });

    const detail = (await get(`/api/v1/items/${id}`, other.headers)).json();
    expect(detail.history.map((e: { type: string }) => e.type)).toEqual(['assigned', 'acknowledge', 'reportProgress', 'submit', 'close']);
    expect(detail.history[2].payload).toEqual({ text: '已完成70%', percent: 70, evidence: ['照片.zip'] });
    expect((await get(`/api/v1/items?campaignId=${campaignId}&status=closed`)).json().items).toHaveLength(1);
    expect((await get(`/api/v1/campaigns/${campaignId}`)).json().itemCounts).toEqual({ closed: 1 });
  });

  it('says a cancelled item is cancelled (撤销), not closed (销号)', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const campaignId = await newCampaign(h);
    const created = await post(`/api/v1/campaigns/${campaignId}/items`, { items: [{ number: '1', content: '整改', deadline: farDeadline(), leadUnits: [zj.id] }] });
    const id = created.json().items[0].id as string;
    expect((await post(`/api/v1/items/${id}/cancel`, { reason: '问题已由上级统一处理' })).json()).toMatchObject({ status: 'cancelled' });
    // The workflow ends with the cancellation: later actions meet a completed workflow.
    await expect.poll(async () => (await h.client.workflow.getHandle(`item-${id}`).describe()).status.name, { timeout: 15_000 }).toBe('COMPLETED');
    const late = await post(`/api/v1/items/${id}/acknowledge`, {}, zj.headers);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'ITEM_CANCELLED', messageZh: '事项已撤销' });
  });
});

describe('item lists by light, lateness and due date', () => {
  it('filters overdue items, items due within N days, and red lights', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    // Started before item 1's deadline, running for a year from today (a start computed from
    // today too, so the campaign never outgrows the 5-year bound as the years pass).
    const campaignId = await newCampaign(h, { startDate: daysFromToday(-90) });
    // 1 was due 60 days ago: overdue by more than 20 days, its ladder (15 working days to the
    // summons, even across 春节 or 国庆) long run through. 2 is due within the week (whatever its weekday: it may be yellow, never
    // red); 3 months ahead, beyond the week.
    const res = await post(`/api/v1/campaigns/${campaignId}/items`, {
      items: [
        { number: '1', content: '已逾期', deadline: daysFromToday(-60), leadUnits: [zj.id] },
        { number: '2', content: '即将到期', deadline: daysFromToday(3), leadUnits: [zj.id] },
        { number: '3', content: '远期', deadline: farDeadline(), leadUnits: [zj.id] },
      ],
    });
    const ids = res.json().items.map((i: { id: string }) => i.id) as string[];
    const list = (q: string) => get(`/api/v1/items?campaignId=${campaignId}&${q}`).then((r) => r.json().items.map((i: { number: string }) => i.number));
    await expect.poll(() => list('light=red'), { timeout: 15_000 }).toEqual(['1']);
    expect(await list('overdue=true')).toEqual(['1']);
    expect(await list('overdue=false')).toEqual(['2', '3']);
    expect(await list('dueWithinDays=7')).toEqual(['2']);
    const late = (await get(`/api/v1/items/${ids[0]}`)).json();
    expect(late).toMatchObject({ light: 'red', lightLabel: '红灯', deadlineDate: daysFromToday(-60) });
    expect(late.overdueDays).toBeGreaterThan(20);
    // Created weeks late: only the highest rung already due is sent, not all four at once.
    expect(late.history.filter((e: { type: string }) => e.type === 'ladder').map((e: { label: string }) => e.label)).toEqual(['督办：约谈通知']);
    expect((await get(`/api/v1/items?light=purple`)).statusCode).toBe(400);

    // A second unit closes its item on time: it ranks first; the first unit has one overdue.
    const sl = await unitWithToken(h, `市水利局-${uniq()}`);
    const done = await post(`/api/v1/campaigns/${campaignId}/items`, { items: [{ number: '4', content: '按时完成', deadline: farDeadline(90), leadUnits: [sl.id] }] });
    const doneId = done.json().items[0].id as string;
    await post(`/api/v1/items/${doneId}/acknowledge`, {}, sl.headers);
    await post(`/api/v1/items/${doneId}/submit`, { summary: '完成' }, sl.headers);
    expect((await post(`/api/v1/items/${doneId}/close`, {})).statusCode).toBe(200);
    const stats = (await get(`/api/v1/campaigns/${campaignId}/stats`)).json();
    expect(stats.campaign).toMatchObject({ items: 4, closed: 1, overdueNow: 1 });
    expect(stats.units.map((u: { name: string; rank: number }) => [u.rank, u.name])).toEqual([
      [1, sl.name],
      [2, zj.name],
    ]);
    expect(stats.units[0]).toMatchObject({ closed: 1, closedOnTime: 1, onTimeRate: 1, overdueNow: 0 });
    expect(stats.units[1]).toMatchObject({ items: 3, overdueNow: 1, onTimeRate: null, lights: { red: 1 } });
    expect(stats.units[1].averageDaysLate).toBe(60);

    // Item 1 closed today, 60 days late: a late close, no longer overdue, still 60 days late on average.
    await post(`/api/v1/items/${ids[0]}/acknowledge`, {}, zj.headers);
    await post(`/api/v1/items/${ids[0]}/submit`, { summary: '完成' }, zj.headers);
    expect((await post(`/api/v1/items/${ids[0]}/close`, {})).statusCode).toBe(200);
    const after = (await get(`/api/v1/campaigns/${campaignId}/stats`)).json();
    expect(after.campaign).toMatchObject({ items: 4, closed: 2, overdueNow: 0 });
    expect(after.units.find((u: { name: string }) => u.name === zj.name)).toMatchObject({ items: 3, closed: 1, closedOnTime: 0, onTimeRate: 0, overdueNow: 0, averageDaysLate: 60 });
  });
});

describe('health and docs', () => {
  it('reports PostgreSQL, Temporal and the worker as reachable', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', unavailable: [], checks: { postgres: { ok: true }, temporal: { ok: true }, worker: { ok: true } } });
  });

  it('serves the OpenAPI document generated from the zod schemas', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/units', '/api/v1/campaigns/{id}/items', '/api/v1/items/{id}/close', '/health']));
    expect(doc.paths['/api/v1/units'].post.requestBody.content['application/json'].schema.required).toEqual(['name', 'kind']);
    // One public-route rule (auth.ts isPublic): a route open to anyone documents no 401/403, one behind a token does.
    expect(Object.keys(doc.paths['/api/v1/calendar/days/{date}'].get.responses)).not.toEqual(expect.arrayContaining(['401']));
    expect(Object.keys(doc.paths['/api/v1/calendar/days/{date}'].get.responses)).not.toContain('403');
    expect(Object.keys(doc.paths['/api/v1/calendar/versions'].get.responses)).toEqual(expect.arrayContaining(['401', '403']));
  });
});
