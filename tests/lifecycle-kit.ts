/**
 * The lifecycle suites' shared set-up: a time-skipping harness with its clock on Friday
 * 2026-09-18 16:00 in Shanghai (before Mid-autumn and National Day), one unit with its token,
 * a compact policy in hours, and helpers that read like the timeline they check.
 */
import { expect } from 'vitest';
import { office, uniq } from './harness';
import { startTimeHarness, type TimeHarness } from './time-harness';

export interface LifecycleUnit {
  id: string;
  headers: Record<string, string>;
}

export async function startLifecycleHarness(opts: { cache: boolean }): Promise<{ h: TimeHarness; unit: LifecycleUnit }> {
  const h = await startTimeHarness({ clock: '@2026-09-18 08:00:00', cache: opts.cache });
  const u = await h.app.inject({ method: 'POST', url: '/api/v1/units', headers: office, payload: { name: `市住建局-${uniq()}`, kind: 'department' } });
  const tok = await h.app.inject({ method: 'POST', url: '/api/v1/principals', headers: office, payload: { role: 'unit', name: '联络员', unitId: u.json().id } });
  return { h, unit: { id: u.json().id, headers: { authorization: `Bearer ${tok.json().token}` } } };
}

/** A compact policy in hours, delivered at the exact instant, so each test reads like a timeline. */
export const FAST = {
  reminders: ['PT1H'],
  ladder: [
    { step: 'reminder_letter', after: 'PT0S' },
    { step: 'urging_letter', after: 'PT1H' },
    { step: 'supervision_letter', after: 'PT2H', listInBulletin: true },
    { step: 'summons', after: 'PT4H', listInBulletin: true },
  ],
  delivery: null,
  reportCadence: null,
  lights: { nearWithin: 'PT1H', behindYellow: 10, behindRed: 30 },
  lookBack: { after: 'PT2H' },
};
export const HOUR = 3_600_000;

/** Helpers over the file's harness and unit (getters: both are set in beforeAll). */
export function lifecycleKit(h: () => TimeHarness, unit: () => LifecycleUnit) {
  const post = (url: string, payload: object, headers: Record<string, string> = office) => h().app.inject({ method: 'POST', url, payload, headers });

  async function newItem(deadline: string, policy: object = {}) {
    const c = await post('/api/v1/campaigns', { title: `百日冲刺 ${uniq()}`, startDate: '2026-09-18', endDate: '2026-12-31', policy });
    const r = await post(`/api/v1/campaigns/${c.json().id}/items`, { items: [{ number: '1', content: '危房改造清零', deadline, leadUnits: [unit().id] }] });
    expect(r.statusCode).toBe(201);
    return r.json().items[0].id as string;
  }

  const steps = (itemId: string, kinds = ['reminder', 'ladder']) =>
    h().sql<{ key: string; kind: string; plannedAt: string; status: string; firedAt: string }[]>`
      select s.idempotency_key as key, s.kind, s.planned_at, s.status, e.occurred_at as fired_at
      from item_steps s join item_events e on e.item_id = s.item_id and e.seq = s.seq
      where s.item_id = ${itemId} and s.kind in ${h().sql(kinds)} order by s.planned_at`;

  async function assignedAt(itemId: string): Promise<number> {
    const [e] = await h().sql<{ occurredAt: string }[]>`select occurred_at from item_events where item_id = ${itemId} and seq = 1`;
    return Date.parse(e!.occurredAt);
  }
  /** [step name, hours after assignment, deadline version] of every reminder and ladder step fired. */
  async function timeline(itemId: string) {
    const t0 = await assignedAt(itemId);
    return (await steps(itemId)).map((s) => [s.key.split(':')[2], Math.round(((Date.parse(s.plannedAt) - t0) / HOUR) * 10) / 10, s.key.split(':v')[1]]);
  }
  /**
   * An action as a careful client sends it: with an Idempotency-Key, repeated with the same key when
   * the API answers 503 (without a workflow cache a busy two-core machine can leave the first task
   * of a new item waiting longer than the API's 20 s).
   */
  const act = async (id: string, action: string, body: object, headers: Record<string, string> = office) => {
    const key = `${action}:${id}:${uniq()}`;
    for (let attempt = 1; ; attempt++) {
      const r = await post(`/api/v1/items/${id}/${action}`, body, { ...headers, 'idempotency-key': key });
      if (r.statusCode === 503 && attempt < 4) continue;
      if (r.statusCode !== 200) throw new Error(`${action}: ${r.statusCode} ${r.body}`);
      return r.json();
    }
  };

  return { post, newItem, steps, assignedAt, timeline, act };
}
