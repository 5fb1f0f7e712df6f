/**
 * Every input has a domain, enforced at the edge (hardening issue, items 1, 2 and 13): dates in
 * 1949-10-01 … 2100-12-31, offsets at most 1,000 working days or 3 years, path and query integers
 * within their columns, UUIDs in any case. Each answer here was a hang, a 500 with PostgreSQL's
 * code, or a wrong 409 before.
 */
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { DEFAULT_POLICY } from '../domain/policy';
import { farDeadline } from './dates';
import { newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const send = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = office) =>
  h.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const post = (url: string, payload: unknown, headers?: Record<string, string>) => send('POST', url, payload, headers);
const get = (url: string, headers?: Record<string, string>) => send('GET', url, undefined, headers);

type Detail = { path: string; message: string };
const paths = (res: { json(): { details?: Detail[] } }) => (res.json().details ?? []).map((d) => d.path);

/** Out-of-domain deadlines: the hang, the 5.7 s and the endless retry of the issue, and a rolled-over date. */
const BAD_DEADLINES = ['9999-12-31', '3000000WD', 'P99999999W', '2026-02-30T00:00:00Z', '0000-01-01', '2026-02-30'];

async function itemWithLead() {
  const zj = await unitWithToken(h, `市住建局-${uniq()}`);
  const campaignId = await newCampaign(h);
  const res = await post(`/api/v1/campaigns/${campaignId}/items`, { items: [{ number: '1', content: '整改事项', deadline: farDeadline(), leadUnits: [zj.id] }] });
  expect(res.statusCode).toBe(201);
  return { zj, campaignId, itemId: res.json().items[0].id as string };
}

describe('calendar arithmetic at the edge', () => {
  it('answers 400 at once for a date past the window (was: 100% CPU, no answer)', async () => {
    const t0 = Date.now();
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/calendar/add-working-days?from=9999-12-31&days=1' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ path: 'querystring.from', message: expect.stringContaining('1949-10-01') }]);
    expect(res.json().message).toMatch(/日期超出支持范围（1949-10-01 至 2100-12-31）/);
    for (const url of ['/api/v1/calendar/add-working-days?from=2026-09-30&days=3000000', '/api/v1/calendar/add-working-days?from=1900-01-01&days=1', '/api/v1/calendar/days/0000-01-01', '/api/v1/calendar/days/2026-02-30']) {
      expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(400);
    }
    // The window's bounds themselves compute.
    const edge = await h.app.inject({ method: 'GET', url: '/api/v1/calendar/add-working-days?from=2100-12-31&days=1000' });
    expect(edge.statusCode).toBe(200);
    expect(edge.json().date > '2100-12-31').toBe(true);
  });
});

describe('deadlines out of their domain', () => {
  it('are refused on create with the field and the reason', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const campaignId = await newCampaign(h);
    for (const deadline of BAD_DEADLINES) {
      const res = await post(`/api/v1/campaigns/${campaignId}/items`, { items: [{ number: uniq(), content: '整改事项', deadline, leadUnits: [zj.id] }] });
      expect(res.statusCode, deadline).toBe(400);
      expect(paths(res), deadline).toEqual(['body.items.0.deadline']);
    }
    const wd = await post(`/api/v1/campaigns/${campaignId}/items`, { items: [{ number: uniq(), content: '整改事项', deadline: '3000000WD', leadUnits: [zj.id] }] });
    expect(wd.json().message).toMatch(/at most 1000 working days/);
    const p = await post(`/api/v1/campaigns/${campaignId}/items`, { items: [{ number: uniq(), content: '整改事项', deadline: 'P99999999W', leadUnits: [zj.id] }] });
    expect(p.json().message).toMatch(/3 years/);
  });

  it('are refused on change-deadline, an extension request and its approval', async () => {
    const { zj, itemId } = await itemWithLead();
    for (const newDeadline of BAD_DEADLINES) {
      const change = await post(`/api/v1/items/${itemId}/change-deadline`, { newDeadline, reason: '调整时限' });
      expect(change.statusCode, newDeadline).toBe(400);
      expect(paths(change)).toEqual(['body.newDeadline']);
      const ask = await post(`/api/v1/items/${itemId}/request-extension`, { newDeadline, reason: '申请延期' }, zj.headers);
      expect(ask.statusCode, newDeadline).toBe(400);
      expect(paths(ask)).toEqual(['body.newDeadline']);
    }
    const ask = await post(`/api/v1/items/${itemId}/request-extension`, { newDeadline: farDeadline(200), reason: '申请延期' }, zj.headers);
    expect(ask.statusCode).toBe(200);
    for (const newDeadline of BAD_DEADLINES) {
      const decide = await post(`/api/v1/items/${itemId}/decide-extension`, { approve: true, newDeadline });
      expect(decide.statusCode, newDeadline).toBe(400);
      expect(paths(decide)).toEqual(['body.newDeadline']);
    }
    // The item is still planned and alive: a valid change goes through.
    const ok = await post(`/api/v1/items/${itemId}/change-deadline`, { newDeadline: '1000WD', reason: '调整时限' });
    expect(ok.statusCode).toBe(200);
  });
});

describe('campaign dates', () => {
  it('refuses 0000-01-01 with a 400 naming the field (was: 500 with PostgreSQL 22008)', async () => {
    const res = await post('/api/v1/campaigns', { title: `t-${uniq()}`, startDate: '0000-01-01', endDate: '2026-12-31' });
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toContain('body.startDate');
    expect(res.body).not.toMatch(/22008/);
    const rolled = await post('/api/v1/campaigns', { title: `t-${uniq()}`, startDate: '2026-02-30', endDate: '2026-12-31' });
    expect(rolled.statusCode).toBe(400);
    const long = await post('/api/v1/campaigns', { title: `t-${uniq()}`, startDate: '2026-01-01', endDate: '2099-12-31' });
    expect(long.statusCode).toBe(400);
    expect(long.json().details).toEqual([{ path: 'body.endDate', message: expect.stringContaining('at most 5 years') }]);
  });
});

describe('path and query integers', () => {
  it('answer 400 beyond their columns (was: 500 with PostgreSQL 22003)', async () => {
    const campaignId = await newCampaign(h);
    for (const url of [
      `/api/v1/campaigns/${campaignId}/dispatch-sheets/9007199254740990`,
      `/api/v1/campaigns/${campaignId}/dispatch-sheets/2147483648`,
      `/api/v1/campaigns/${campaignId}/letter-templates/reminder_letter?version=2147483648`,
      '/api/v1/calendar/versions/2147483648/preview',
      '/api/v1/items?after=1e20',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.body, url).not.toMatch(/22003/);
    }
    expect((await get(`/api/v1/campaigns/${campaignId}/dispatch-sheets/2147483647`)).statusCode).toBe(404);
  });
});

describe('UUIDs in upper case', () => {
  it('read and act on the same item as lower case (was: 409 ITEM_CLOSED on every action)', async () => {
    const { zj, campaignId, itemId } = await itemWithLead();
    const upper = itemId.toUpperCase();
    const read = await get(`/api/v1/items/${upper}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().id).toBe(itemId);
    const ack = await post(`/api/v1/items/${upper}/acknowledge`, {}, zj.headers);
    expect(ack.statusCode).toBe(200);
    const report = await post(`/api/v1/items/${upper}/report-progress`, { text: '已完成30%', percent: 30 }, zj.headers);
    expect(report.statusCode).toBe(200);
    expect(report.json().status).toBe('in_progress');
    expect((await get(`/api/v1/campaigns/${campaignId.toUpperCase()}`)).json().id).toBe(campaignId);
    const list = await get(`/api/v1/items?campaignId=${campaignId.toUpperCase()}&unitId=${zj.id.toUpperCase()}`);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([itemId]);
  });
});

describe('a "__proto__" key in a body', () => {
  it('is dropped like any unknown key: the request goes on and no prototype changes', async () => {
    const payload = `{"title":"t-${uniq()}","startDate":"2026-09-18","endDate":"2026-12-31","__proto__":{"polluted":true}}`;
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: { ...office, 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(201);
    expect(res.body).not.toMatch(/not valid JSON/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('an impossible deadline that got past the edge (an old row, a direct workflow start)', () => {
  it('fails planning at once with a non-retryable CalendarDomainError instead of retrying for ever', async () => {
    const acts = createActivities({ sql: h.sql, startLetterWorkflow: async () => {} });
    for (const deadline of ['9999-12-31', '3000000WD', 'P99999999W']) {
      const t0 = Date.now();
      const err = await acts.planItem({ deadline, assignedAt: Date.now(), from: Date.now(), campaignEnd: '2026-12-31', policy: DEFAULT_POLICY }).then(() => null, (e: unknown) => e);
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(err, deadline).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'CalendarDomainError', nonRetryable: true });
      expect((err as ApplicationFailure).details?.[0]).toMatchObject({ field: 'deadline', messageZh: expect.stringContaining('整改时限') });
    }
  });
});
