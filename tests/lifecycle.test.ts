/**
 * The item lifecycle in time: weeks of reminders and escalation lived in seconds on Temporal's
 * time-skipping test server, its clock started before the 2026 National Day holiday. (The
 * worker-restart faults are in lifecycle-faults.test.ts: they need a worker without a cache.)
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { instantAt, iso } from '../domain/time';
import { office, uniq } from './harness';
import { FAST, HOUR, lifecycleKit, startLifecycleHarness, type LifecycleUnit } from './lifecycle-kit';
import type { TimeHarness } from './time-harness';

// Weeks of workflow history per test: on two busy cores a test can take a minute or more.
vi.setConfig({ testTimeout: 240_000 });

let h: TimeHarness;
let unit: LifecycleUnit;
beforeAll(async () => {
  // A workflow cache: this suite never restarts its worker.
  ({ h, unit } = await startLifecycleHarness({ cache: true }));
});
afterAll(() => h?.close());
const { post, newItem, steps, assignedAt, timeline, act } = lifecycleKit(() => h, () => unit);

describe('reminders and the escalation ladder on the official calendar', () => {
  it('reminds before the deadline and escalates after National Day, each step once, at 09:00 on working days', async () => {
    expect(new Date(await h.now()).toISOString()).toMatch(/^2026-09-18T08/);
    const id = await newItem('2026-09-30');
    await h.env.sleep('45 days');
    const fired = await steps(id);
    const at = (d: string) => iso(instantAt(d, '09:00'));
    expect(fired.map((s) => [s.key.split(':').slice(1, 3).join(':'), s.plannedAt])).toEqual([
      ['reminder:3WD', at('2026-09-24')],
      ['reminder:1WD', at('2026-09-29')],
      ['ladder:reminder_letter', at('2026-10-08')],
      ['ladder:urging_letter', at('2026-10-12')],
      ['ladder:supervision_letter', at('2026-10-16')],
      ['ladder:summons', at('2026-10-28')],
    ]);
    // Fired when planned (the timer), sent, and one inbox notice each.
    for (const s of fired) {
      expect(s.status).toBe('sent');
      expect(Math.abs(Date.parse(s.firedAt) - Date.parse(s.plannedAt))).toBeLessThan(60_000);
    }
    const notices = await h.sql`select title from notifications where item_id = ${id} and title not like '【未按期报送】%' and title not like '【逾期未签收】%' order by id`;
    expect(notices.map((n) => n.title)).toEqual([
      '【到期提醒】第1项将于2026-09-30到期',
      '【到期提醒】第1项将于2026-09-30到期',
      '【提醒函】第1项已逾期8天',
      '【催办函】第1项已逾期12天',
      '【督办函】第1项已逾期16天',
      '【约谈通知】第1项已逾期28天',
    ]);
    // The 整改工作提醒函 at assignment, then each step's letter, numbered once; none signed for, so
    // each is a late event once, told to the unit and the office.
    const letters = await h.sql<{ type: string; docNumber: string }[]>`select type, doc_number from letters where ${id}::uuid = any(item_ids) order by number`;
    expect(letters.map((l) => l.type)).toEqual(['assignment_letter', 'reminder_letter', 'urging_letter', 'supervision_letter', 'summons']);
    const unsigned = await h.sql<{ title: string; n: number }[]>`
      select title, count(*)::int as n from notifications where item_id = ${id} and title like '【逾期未签收】%' group by title order by title`;
    expect(unsigned.map((u) => [u.title, u.n]).sort()).toEqual(letters.map((l) => [`【逾期未签收】${l.docNumber}`, 2]).sort());
    const item = (await h.app.inject({ method: 'GET', url: `/api/v1/items/${id}`, headers: office })).json();
    expect(item).toMatchObject({ light: 'red', lightLabel: '红灯', deadlineDate: '2026-09-30' });
    // No progress report on Fridays: each missed weekly report is itself a late event.
    const missed = await steps(id, ['report_missed']);
    expect(missed.length).toBeGreaterThanOrEqual(5);
    expect(missed[0]!.plannedAt).toBe(iso(instantAt('2026-09-19', '00:00')));
    expect(item.missedReports).toBe(missed.length);
    expect(item.history.filter((e: { type: string }) => e.type === 'light_changed').map((e: { label: string }) => e.label)).toEqual([
      '亮灯：绿灯 → 黄灯',
      '亮灯：黄灯 → 红灯',
    ]);
  });
});

describe('the lifecycle in time (policy in hours)', () => {
  it('re-arms every timer when an extension is approved', async () => {
    const id = await newItem('PT10H', FAST);
    await act(id, 'acknowledge', {}, unit.headers);
    await h.env.sleep(2 * HOUR);
    expect((await act(id, 'request-extension', { newDeadline: 'PT30H', reason: '受台风影响' }, unit.headers)).pendingExtension).toMatchObject({ newDeadline: 'PT30H' });
    const approved = await act(id, 'decide-extension', { approve: true });
    expect(approved).toMatchObject({ deadline: 'PT30H', deadlineVersion: 2, pendingExtension: null });
    await h.env.sleep(40 * HOUR);
    // Nothing of the first deadline (10 h) fired; everything of the second (30 h) did, once.
    expect(await timeline(id)).toEqual([
      ['PT1H', 29, '2'],
      ['reminder_letter', 30, '2'],
      ['urging_letter', 31, '2'],
      ['supervision_letter', 32, '2'],
      ['summons', 34, '2'],
    ]);
  });

  it('stops the clock while paused and resumes with the time that was left', async () => {
    const id = await newItem('PT10H', FAST);
    await h.env.sleep(2 * HOUR);
    await act(id, 'pause', { reason: '等待省级政策出台' });
    await h.env.sleep(24 * HOUR);
    expect(await timeline(id)).toEqual([]); // 26 h after assignment, nothing fired while paused
    const resumed = await act(id, 'resume', {});
    expect(resumed).toMatchObject({ paused: false, deadlineVersion: 2 });
    await h.env.sleep(20 * HOUR);
    // The 8 h left after the pause now end 34 h after assignment.
    expect((await timeline(id)).map(([name, hours]) => [name, hours])).toEqual([
      ['PT1H', 33],
      ['reminder_letter', 34],
      ['urging_letter', 35],
      ['supervision_letter', 36],
      ['summons', 38],
    ]);
  });

  it('holds the ladder while submitted and resumes it when the item is rejected', async () => {
    const id = await newItem('PT10H', FAST);
    await act(id, 'acknowledge', {}, unit.headers);
    await h.env.sleep(5 * HOUR);
    await act(id, 'submit', { summary: '已完成' }, unit.headers);
    await h.env.sleep(6 * HOUR); // past the deadline: no reminder, no letter while the office verifies
    expect(await timeline(id)).toEqual([]);
    expect((await act(id, 'reject', { reasons: '佐证材料不全' })).status).toBe('in_progress');
    await h.env.sleep(5 * HOUR);
    // Rejected 11 h in: the overdue reminder letter goes at once, the rest at their times.
    const t = await timeline(id);
    expect(t.map(([name]) => name)).toEqual(['reminder_letter', 'urging_letter', 'supervision_letter', 'summons']);
    const fired = await steps(id);
    const t0 = await assignedAt(id);
    expect(Math.round((Date.parse(fired[0]!.firedAt) - t0) / HOUR)).toBe(11);
    const detail = (await h.app.inject({ method: 'GET', url: `/api/v1/items/${id}`, headers: office })).json();
    expect(detail).toMatchObject({ rejections: 1, status: 'in_progress', light: 'red' });
  });

  it('asks for a look-back after close-out, and a failed look-back reopens the item and runs the ladder again', async () => {
    const id = await newItem('PT10H', FAST);
    await act(id, 'acknowledge', {}, unit.headers);
    await act(id, 'submit', { summary: '已完成' }, unit.headers);
    const closed = await act(id, 'close', { note: '核查通过' });
    expect(closed.lookBackAt).not.toBeNull();
    expect((await post(`/api/v1/items/${id}/recheck`, { passed: true })).json().code).toBe('LOOK_BACK_NOT_DUE');
    await h.env.sleep(3 * HOUR);
    const notice = await h.sql`select title, recipient from notifications where item_id = ${id}`;
    expect(notice).toEqual([{ title: '【回头看】第1项到期复查', recipient: null }]);
    const reopened = await act(id, 'recheck', { passed: false, note: '问题反弹', newDeadline: 'PT20H' });
    expect(reopened).toMatchObject({ status: 'in_progress', deadlineVersion: 2 });
    await h.env.sleep(30 * HOUR);
    expect((await timeline(id)).map(([name, , v]) => `${name}@v${v}`)).toEqual([
      'PT1H@v2',
      'reminder_letter@v2',
      'urging_letter@v2',
      'supervision_letter@v2',
      'summons@v2',
    ]);
  });

  it('keeps a long-term item reporting on its cadence, counts a missed report and never closes it early', async () => {
    const c = await post('/api/v1/campaigns', { title: `长期坚持 ${uniq()}`, startDate: '2026-09-18', endDate: '2027-12-31', policy: { ...FAST, reportCadence: { every: 'PT4H' } } });
    const r = await post(`/api/v1/campaigns/${c.json().id}/items`, { items: [{ number: '18', content: '常态化调度', kind: 'long_term', leadUnits: [unit.id] }] });
    const lt = r.json().items[0].id as string;
    await act(lt, 'acknowledge', {}, unit.headers);
    await h.env.sleep(3 * HOUR);
    await act(lt, 'report-progress', { text: '第一次调度', percent: 10 }, unit.headers);
    await h.env.sleep(6 * HOUR); // the 4 h due was met; the 8 h due is missed
    const detail = (await h.app.inject({ method: 'GET', url: `/api/v1/items/${lt}`, headers: office })).json();
    expect(detail).toMatchObject({ missedReports: 1, light: 'yellow', deadlineDate: null });
    expect(detail.history.map((e: { type: string }) => e.type)).toContain('report_missed');
    await act(lt, 'submit', { summary: '制度已建立' }, unit.headers);
    const early = await post(`/api/v1/items/${lt}/close`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('LONG_TERM_OPEN');
  });
});
