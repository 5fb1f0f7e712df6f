/**
 * Faults on the time-skipping server: an activity dying right after sending, and a worker
 * restarted mid-ladder — nothing lost, nothing sent twice. No workflow cache here: a restarted
 * worker must get the next task at once, and every task replays the whole history.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FAST, HOUR, lifecycleKit, startLifecycleHarness, type LifecycleUnit } from './lifecycle-kit';
import type { TimeHarness } from './time-harness';

vi.setConfig({ testTimeout: 240_000 });

let h: TimeHarness;
let unit: LifecycleUnit;
beforeAll(async () => {
  ({ h, unit } = await startLifecycleHarness({ cache: false }));
});
afterAll(() => h?.close());
const { newItem, steps } = lifecycleKit(() => h, () => unit);

describe('faults: nothing lost, nothing twice', () => {
  it('sends each notice once when the activity dies right after sending', async () => {
    const { inboxNotifier } = await import('../activities/notifier');
    const inbox = inboxNotifier(h.sql);
    const crashed = new Set<string>();
    // Delivers, then fails before the ledger says "sent" — the first time for every notice.
    const flaky = {
      async notify(n: Parameters<typeof inbox.notify>[0]) {
        await inbox.notify(n);
        if (!crashed.has(n.idempotencyKey)) {
          crashed.add(n.idempotencyKey);
          throw new Error('connection reset after send');
        }
      },
    };
    await h.stopWorker();
    await h.startWorker(flaky);
    try {
      const id = await newItem('PT2H', FAST);
      await h.env.sleep(8 * HOUR);
      const fired = await steps(id);
      expect(fired.map((s) => s.key.split(':')[2])).toEqual(['PT1H', 'reminder_letter', 'urging_letter', 'supervision_letter', 'summons']);
      expect(fired.every((s) => s.status === 'sent')).toBe(true);
      // This item's five steps (other items' letters may crash their notices meanwhile: the notifier is the worker's).
      expect([...crashed].filter((k) => k.startsWith(`${id}:`)).length).toBe(5);
      const perKey = await h.sql`select idempotency_key, count(*)::int as n from notifications where item_id = ${id} and title not like '【逾期未签收】%' group by 1`;
      expect(perKey.map((r) => r.n)).toEqual([1, 1, 1, 1, 1]);
      // A letter's unsigned-receipt notice whose first telling crashed still reaches the unit and the office, once each.
      const unsigned = await h.sql`select idempotency_key, count(*)::int as n from notifications where item_id = ${id} and title like '【逾期未签收】%' group by 1`;
      expect(unsigned.every((r) => r.n === 2)).toBe(true);
    } finally {
      await h.stopWorker();
      await h.startWorker();
    }
  });

  it('neither loses nor repeats a step when the worker is restarted mid-ladder', async () => {
    const id = await newItem('PT2H', FAST);
    await h.env.sleep(2.5 * HOUR); // reminder (1 h) and reminder letter (2 h) sent
    expect((await steps(id)).length).toBe(2);
    // A new worker has no cache: it replays the history and must not send those two again.
    await h.stopWorker();
    await h.startWorker();
    await h.env.sleep(10 * HOUR);
    const fired = await steps(id);
    expect(fired.map((s) => s.key.split(':')[2])).toEqual(['PT1H', 'reminder_letter', 'urging_letter', 'supervision_letter', 'summons']);
    const [n] = await h.sql`select count(*)::int as n from notifications where item_id = ${id}`;
    expect(n!.n).toBe(5);
  });
});
