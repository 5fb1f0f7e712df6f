/**
 * Calendar endpoints: public calendar arithmetic, and loading next year's notice at run time —
 * preview which running items it moves, activate it, and the item's workflow plans again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });

describe('public calendar arithmetic', () => {
  it('says whether a day is worked, and why, without a token', async () => {
    expect((await get('/api/v1/calendar/days/2026-10-01')).json()).toMatchObject({ working: false, reason: 'holiday', holiday: '国庆节' });
    expect((await get('/api/v1/calendar/days/2026-10-10')).json()).toMatchObject({ working: true, reason: 'makeup_workday', holiday: '国庆节' });
    expect((await get('/api/v1/calendar/days/2026-10-11')).json()).toMatchObject({ working: false, reason: 'weekend' });
    expect((await get('/api/v1/calendar/days/2026-02-30')).statusCode).toBe(400);
  });

  it('adds working days as offices count them', async () => {
    const r = await get('/api/v1/calendar/add-working-days?from=2026-09-30&days=1');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ from: '2026-09-30', days: 1, date: '2026-10-08' });
    expect((await get('/api/v1/calendar/add-working-days?from=2026-09-30&days=x')).statusCode).toBe(400);
  });
});

describe("loading next year's holiday notice", () => {
  it('previews and activates a version; a running item counted in working days moves its deadline', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const campaignId = await newCampaign(h, { endDate: '2027-12-31' });
    const created = await h.app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${campaignId}/items`,
      headers: office,
      payload: { items: [{ number: '1', content: '30个工作日内完成整改', deadline: '30WD', leadUnits: [zj.id] }] },
    });
    const id = created.json().items[0].id as string;
    await expect.poll(async () => (await get(`/api/v1/items/${id}`, office)).json().deadlineDate).not.toBeNull();
    const before = (await get(`/api/v1/items/${id}`, office)).json().deadlineDate as string;
    // Without a 2027 notice, 2027-01-01 (a Friday) counts as a working day.
    expect((await get('/api/v1/calendar/days/2027-01-01')).json()).toMatchObject({ working: true, officialScheduleKnown: false });

    const bad = await h.app.inject({ method: 'POST', url: '/api/v1/calendar/versions', headers: office, payload: { name: 'x', year: 2027, holidays: [{ from: '2026-12-31', name: '元旦' }] } });
    expect(bad.statusCode).toBe(400);
    const loaded = await h.app.inject({
      method: 'POST',
      url: '/api/v1/calendar/versions',
      headers: office,
      payload: {
        name: '国务院办公厅关于2027年部分节假日安排的通知（测试）',
        year: 2027,
        holidays: [{ from: '2027-01-01', to: '2027-01-03', name: '元旦' }, { from: '2027-02-06', to: '2027-02-13', name: '春节' }],
        workdays: [{ date: '2027-02-20', name: '春节' }],
      },
    });
    expect(loaded.statusCode).toBe(201);
    const version = loaded.json().version as number;

    const preview = (await get(`/api/v1/calendar/versions/${version}/preview`, office)).json();
    const mine = preview.items.find((i: { itemId: string }) => i.itemId === id);
    // 30 working days from late November 2026 end in January 2027, after the new-year holiday.
    expect(before >= '2027-01-01').toBe(true);
    expect(mine).toMatchObject({ deadlineBefore: before, deadlineShiftDays: 1 });
    expect(mine.stepsMoved.length).toBeGreaterThan(0);
    const activated = await h.app.inject({ method: 'POST', url: `/api/v1/calendar/versions/${version}/activate`, headers: office });
    expect(activated.statusCode).toBe(200);
    expect(activated.json().signalled).toBeGreaterThan(0);
    expect((await get('/api/v1/calendar/days/2027-01-01')).json()).toMatchObject({ working: false, holiday: '元旦', calendarVersion: version });
    const versions = (await get('/api/v1/calendar/versions', office)).json().versions;
    expect(versions.filter((v: { status: string }) => v.status === 'active').map((v: { version: number }) => v.version)).toEqual([version]);

    // The workflow planned again on the new calendar: the read model shows the moved deadline.
    await expect.poll(async () => (await get(`/api/v1/items/${id}`, office)).json().deadlineDate).toBe(mine.deadlineAfter);
    const history = (await get(`/api/v1/items/${id}`, office)).json().history;
    expect(history.at(-1)).toMatchObject({ type: 'deadline_changed', payload: { from: before, to: mine.deadlineAfter, calendarVersion: version } });
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/calendar/versions/${version}/activate`, headers: office })).statusCode).toBe(409);
    const asUnit = await h.app.inject({ method: 'POST', url: '/api/v1/calendar/versions', headers: zj.headers, payload: { name: 'x', year: 2028, holidays: [{ from: '2028-01-01', name: '元旦' }] } });
    expect(asUnit.statusCode).toBe(403);
  });
});
