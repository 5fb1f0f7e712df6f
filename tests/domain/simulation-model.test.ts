/** The behaviour model of 试运行 (simulation/model.ts): seeded, within its bounds, and laggards lag. */
import { describe, expect, it } from 'vitest';
import { behaviourSchema, letterReceiptDay, officeRejects, rng, scriptItem, unitTraits } from '../../simulation/model';

const b = behaviourSchema.parse({});
const item = (n: number, deadlineDay: number | null = 30) => ({ number: String(n), assignedDay: 0, deadlineDay, lead: '洮北区', units: ['洮北区', '市扶贫办'] });

describe('the behaviour model', () => {
  it('draws the same script from the same seed, another from another', () => {
    const traits = (u: string) => unitTraits(b, 7, u);
    expect(scriptItem(b, 7, item(1), traits, 100)).toEqual(scriptItem(b, 7, item(1), traits, 100));
    const scripts = (seed: number) => JSON.stringify(Array.from({ length: 20 }, (_, i) => scriptItem(b, seed, item(i), (u) => unitTraits(b, seed, u), 100)));
    expect(scripts(7)).not.toBe(scripts(8));
  });

  it('keeps every action in order and within the run', () => {
    for (let seed = 0; seed < 200; seed++) {
      const s = scriptItem(b, seed, item(seed, seed % 3 === 0 ? null : seed % 60), (u) => unitTraits(b, seed, u), 50);
      const signed = s.sign['洮北区'];
      for (const day of Object.values(s.sign)) if (day !== null) expect(day).toBeGreaterThanOrEqual(0), expect(day).toBeLessThan(50);
      if (signed === null || signed === undefined) expect(s.submit).toBeNull();
      for (const r of s.reports) {
        expect(s.sign[r.unit]).not.toBeNull(); // a unit reports only once it has signed
        expect(r.day).toBeGreaterThanOrEqual(s.sign[r.unit]!);
        expect(r.day).toBeLessThan(s.submit ?? 50);
        expect(r.percent).toBeGreaterThanOrEqual(5);
        expect(r.percent).toBeLessThanOrEqual(95);
      }
      if (s.submit !== null) expect(s.submit).toBeGreaterThanOrEqual(signed!);
      if (seed % 3 === 0) expect(s.submit).toBeNull(); // a long-term item is never closed out
    }
  });

  it('reports the day before each of the campaign\'s due days, every unit its own part', () => {
    const none = behaviourSchema.parse({ laggardShare: 0, missReportRate: 0, signWithinDays: 0 });
    const s = scriptItem(none, 1, { ...item(1, 40), reportDueDays: [4, 11, 18, 25] }, (u) => unitTraits(none, 1, u), 60);
    const days = (u: string) => s.reports.filter((r) => r.unit === u).map((r) => r.day);
    expect(days('洮北区').filter((d) => d < (s.submit ?? 60))).toEqual(days('洮北区'));
    expect(days('洮北区')).toEqual([3, 10, 17, 24].filter((d) => d < (s.submit ?? 60)));
    expect(days('市扶贫办')).toEqual(days('洮北区'));
  });

  it('makes laggards sign later and finish late more often', () => {
    const all = behaviourSchema.parse({ laggardShare: 1 });
    const none = behaviourSchema.parse({ laggardShare: 0 });
    const late = (m: typeof b) =>
      Array.from({ length: 400 }, (_, i) => scriptItem(m, i, item(i, 20), (u) => unitTraits(m, i, u), 200)).filter((s) => s.submit !== null && s.submit > 20).length;
    expect(late(all)).toBeGreaterThan(late(none) * 2);
  });

  it('gives rates their meaning: nobody rejected at 0, everybody at 1; no receipt at 0', () => {
    expect(Array.from({ length: 50 }, (_, i) => officeRejects(behaviourSchema.parse({ rejectRate: 0 }), 1, String(i), 1)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 50 }, (_, i) => officeRejects(behaviourSchema.parse({ rejectRate: 1 }), 1, String(i), 1)).every(Boolean)).toBe(true);
    expect(Array.from({ length: 50 }, (_, i) => letterReceiptDay(behaviourSchema.parse({ receiptRate: 0 }), 1, String(i), 3, false)).every((d) => d === null)).toBe(true);
    const r = rng(42);
    for (let i = 0; i < 1000; i++) {
      const x = r();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('refuses a model outside its domain', () => {
    expect(behaviourSchema.safeParse({ onTimeRate: 1.5 }).success).toBe(false);
    expect(behaviourSchema.safeParse({ reportEveryDays: 0 }).success).toBe(false);
  });
});
