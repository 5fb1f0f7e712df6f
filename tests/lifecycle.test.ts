/**
 * The item lifecycle in time: weeks of reminders and escalation lived in seconds on Temporal's
 * time-skipping test server, its clock started before the 2026 National Day holiday.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantAt, iso } from '../domain/time';
import { office, uniq } from './harness';
import { startTimeHarness, type TimeHarness } from './time-harness';

let h: TimeHarness;
let unit: { id: string; headers: Record<string, string> };

beforeAll(async () => {
  // 2026-09-18 16:00 in Shanghai (a Friday).
  h = await startTimeHarness({ clock: '@2026-09-18 08:00:00' });
  const u = await h.app.inject({ method: 'POST', url: '/api/v1/units', headers: office, payload: { name: `市住建局-${uniq()}`, kind: 'department' } });
  const tok = await h.app.inject({ method: 'POST', url: '/api/v1/principals', headers: office, payload: { role: 'unit', name: '联络员', unitId: u.json().id } });
  unit = { id: u.json().id, headers: { authorization: `Bearer ${tok.json().token}` } };
});
afterAll(() => h?.close());

const post = (url: string, payload: object, headers = office) => h.app.inject({ method: 'POST', url, payload, headers });

async function newItem(deadline: string, policy: object = {}) {
  const c = await post('/api/v1/campaigns', { title: `百日冲刺 ${uniq()}`, startDate: '2026-09-18', endDate: '2026-12-31', policy });
  const r = await post(`/api/v1/campaigns/${c.json().id}/items`, { items: [{ number: '1', content: '危房改造清零', deadline, leadUnits: [unit.id] }] });
  expect(r.statusCode).toBe(201);
  return r.json().items[0].id as string;
}

const steps = (itemId: string, kinds = ['reminder', 'ladder']) =>
  h.sql<{ key: string; kind: string; plannedAt: string; status: string; firedAt: string }[]>`
    select s.idempotency_key as key, s.kind, s.planned_at, s.status, e.occurred_at as fired_at
    from item_steps s join item_events e on e.item_id = s.item_id and e.seq = s.seq
    where s.item_id = ${itemId} and s.kind in ${h.sql(kinds)} order by s.planned_at`;

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
    ].map(([k, t]) => [k, t]));
    // Fired when planned (the timer), sent, and one inbox notice each.
    for (const s of fired) {
      expect(s.status).toBe('sent');
      expect(Math.abs(Date.parse(s.firedAt) - Date.parse(s.plannedAt))).toBeLessThan(60_000);
    }
    const notices = await h.sql`select title from notifications where item_id = ${id} and title not like '【未按期报送】%' order by id`;
    expect(notices.map((n) => n.title)).toEqual([
      '【到期提醒】第1项将于2026-09-30到期',
      '【到期提醒】第1项将于2026-09-30到期',
      '【提醒函】第1项已逾期8天',
      '【催办函】第1项已逾期12天',
      '【督办函】第1项已逾期16天',
      '【约谈通知】第1项已逾期28天',
    ]);
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
