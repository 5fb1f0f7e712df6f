/**
 * Calendar endpoints: public calendar arithmetic, and loading next year's notice at run time —
 * preview which running items it moves, activate it, and the item's workflow plans again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCalendarData, WorkCalendar, type CalendarData } from '../domain/calendar';
import { addDays, dateOf, daysBetween, isoWeekday, type DateStr } from '../domain/time';
import { builtinCalendar, today, yearWithoutBuiltinSchedule } from './dates';
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

interface Notice {
  name: string;
  year: number;
  holidays: { from: DateStr; to?: DateStr; name: string }[];
  workdays: { date: DateStr; name: string }[];
}

/**
 * A State Council notice for `year` as the office would load it: 元旦 on the first three days of
 * January, a week of 春节 in February and a weekend day worked for it (调休上班). Test data: only
 * its shape is real.
 */
function noticeFor(year: number): Notice {
  let makeup = `${year}-02-14`;
  while (isoWeekday(makeup) < 6) makeup = addDays(makeup, 1);
  return {
    name: `国务院办公厅关于${year}年部分节假日安排的通知（测试）`,
    year,
    holidays: [
      { from: `${year}-01-01`, to: `${year}-01-03`, name: '元旦' },
      { from: `${year}-02-06`, to: `${year}-02-13`, name: '春节' },
    ],
    workdays: [{ date: makeup, name: '春节' }],
  };
}

/** `data` with the notice's year replaced by the notice, as loading a version does. */
function withNotice(data: CalendarData, notice: Notice): CalendarData {
  const otherYears = (days: Record<DateStr, string>) => Object.fromEntries(Object.entries(days).filter(([d]) => !d.startsWith(`${notice.year}-`)));
  const holidays = otherYears(data.holidays);
  for (const off of notice.holidays) for (let d = off.from; d <= (off.to ?? off.from); d = addDays(d, 1)) holidays[d] = off.name;
  const workdays = otherYears(data.workdays);
  for (const w of notice.workdays) workdays[w.date] = w.name;
  return { holidays, workdays, years: [...new Set([...data.years, notice.year])].sort() };
}

describe("loading next year's holiday notice", () => {
  it('previews and activates a version; a running item counted in working days moves its deadline', async () => {
    // "Next year" is one the built-in data does not know, on whatever day this runs (tests/dates.ts).
    // The item is due ten working days after its 3 January as the built-in calendar counts them
    // (only weekends off that year), so the notice's new-year holiday must move its deadline.
    const year = yearWithoutBuiltinSchedule();
    const notice = noticeFor(year);
    const builtin = builtinCalendar();
    const days = builtin.workingDaysBetween(today(), `${year}-01-03`) + 10;

    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const campaignId = await newCampaign(h, { endDate: `${year}-12-31` });
    const created = await h.app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${campaignId}/items`,
      headers: office,
      payload: { items: [{ number: '1', content: `${days}个工作日内完成整改`, deadline: `${days}WD`, leadUnits: [zj.id] }] },
    });
    const id = created.json().items[0].id as string;
    await expect.poll(async () => (await get(`/api/v1/items/${id}`, office)).json().deadlineDate).not.toBeNull();
    const item = (await get(`/api/v1/items/${id}`, office)).json();
    const before = item.deadlineDate as string;
    // Counted from the day it was assigned (the test may cross midnight), on the built-in calendar.
    const assignedOn = dateOf(item.history[0].occurredAt as string);
    expect(before).toBe(builtin.addWorkingDays(assignedOn, days));
    expect(before > `${year}-01-03`).toBe(true);
    // Without the notice only weekends are off that year: new year's day is worked unless it is a weekend.
    expect((await get(`/api/v1/calendar/days/${year}-01-01`)).json()).toMatchObject({ working: isoWeekday(`${year}-01-01`) <= 5, officialScheduleKnown: false });

    const bad = await h.app.inject({ method: 'POST', url: '/api/v1/calendar/versions', headers: office, payload: { name: 'x', year, holidays: [{ from: `${year - 1}-12-31`, name: '元旦' }] } });
    expect(bad.statusCode).toBe(400);
    const loaded = await h.app.inject({ method: 'POST', url: '/api/v1/calendar/versions', headers: office, payload: notice });
    expect(loaded.statusCode).toBe(201);
    const version = loaded.json().version as number;

    // What the notice must do to the item: the same count on the domain calendar with the notice
    // applied. 元旦 takes three days, at most two of them a weekend: the deadline moves later.
    const after = new WorkCalendar(withNotice(builtinCalendarData(), notice)).addWorkingDays(assignedOn, days);
    const shift = daysBetween(before, after);
    expect(shift).toBeGreaterThan(0);
    const preview = (await get(`/api/v1/calendar/versions/${version}/preview`, office)).json();
    const mine = preview.items.find((i: { itemId: string }) => i.itemId === id);
    expect(mine).toMatchObject({ deadlineBefore: before, deadlineAfter: after, deadlineShiftDays: shift });
    expect(mine.stepsMoved.length).toBeGreaterThan(0);
    const activated = await h.app.inject({ method: 'POST', url: `/api/v1/calendar/versions/${version}/activate`, headers: office });
    expect(activated.statusCode).toBe(200);
    expect(activated.json().signalled).toBeGreaterThan(0);
    expect((await get(`/api/v1/calendar/days/${year}-01-01`)).json()).toMatchObject({ working: false, holiday: '元旦', calendarVersion: version, officialScheduleKnown: true });
    const versions = (await get('/api/v1/calendar/versions', office)).json().versions;
    expect(versions.filter((v: { status: string }) => v.status === 'active').map((v: { version: number }) => v.version)).toEqual([version]);

    // The workflow planned again on the new calendar: the read model shows the moved deadline.
    await expect.poll(async () => (await get(`/api/v1/items/${id}`, office)).json().deadlineDate).toBe(after);
    const history = (await get(`/api/v1/items/${id}`, office)).json().history;
    expect(history.at(-1)).toMatchObject({ type: 'deadline_changed', payload: { from: before, to: after, calendarVersion: version } });
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/calendar/versions/${version}/activate`, headers: office })).statusCode).toBe(409);
    const asUnit = await h.app.inject({ method: 'POST', url: '/api/v1/calendar/versions', headers: zj.headers, payload: { name: 'x', year: year + 1, holidays: [{ from: `${year + 1}-01-01`, name: '元旦' }] } });
    expect(asUnit.statusCode).toBe(403);
  });
});
