/**
 * 试运行 (issue 15): a campaign lived forward on the time-skipping server in a database of its
 * own, under two policies on the same behaviour — the real workflows issue the letters, compile
 * the sheets and list the units, and the report reads them back week by week.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { createSql, type Sql } from '../infra/db';
import { loadConfig } from '../infra/config';
import { simulateInOwnDatabase } from '../simulation/database';
import type { SimulationPlan } from '../simulation/engine';
import { behaviourSchema } from '../simulation/model';
import { POLICY_PRESETS } from '../simulation/plans';
import { formatComparison, formatReport } from '../simulation/print';
import type { SimulationReport } from '../simulation/report';
import { installTestRuntime } from './harness';

vi.setConfig({ testTimeout: 600_000 });

const plan: SimulationPlan = {
  title: '试运行检验',
  startDate: '2026-09-01',
  endDate: '2026-10-06',
  units: [
    { name: '洮北区', kind: 'county' },
    { name: '洮南市', kind: 'county' },
    { name: '市扶贫办', kind: 'department' },
  ],
  items: [
    { number: '1', content: '排查清零', deadline: '2026-09-08', leadUnits: ['洮北区'], coUnits: ['市扶贫办'] },
    { number: '2', content: '危房改造', deadline: '2026-09-11', leadUnits: ['洮南市'], coUnits: [] },
    { number: '3', content: '饮水安全', deadline: '2026-09-15', leadUnits: ['洮北区'], coUnits: [] },
    { number: '4', content: '产业项目', deadline: '2026-09-18', leadUnits: ['洮南市'], coUnits: ['洮北区'] },
    { number: '5', content: '小额信贷', deadline: '2026-09-22', leadUnits: ['市扶贫办'], coUnits: [] },
    { number: '6', content: '公益岗位', deadline: '2026-09-25', leadUnits: ['洮南市'], coUnits: [] },
    { number: '7', content: '消费扶贫', deadline: '2026-09-29', leadUnits: ['洮北区'], coUnits: [] },
    { number: '8', content: '动态监测', kind: 'long_term', deadline: null, leadUnits: ['市扶贫办'], coUnits: ['洮南市'] },
  ],
};
// 洮南市 lags (laggardShare 1 would make all lag): a model where units finish late half the time.
const behaviour = behaviourSchema.parse({ onTimeRate: 0.5, lateDays: 12, missReportRate: 0.3, rejectRate: 0.3 });

let admin: Sql;
beforeAll(() => {
  installTestRuntime();
  admin = createSql(inject('databaseUrl'), { max: 1 });
});
afterAll(() => admin?.end());

async function simulate(policy: keyof typeof POLICY_PRESETS): Promise<SimulationReport> {
  const { report, database } = await simulateInOwnDatabase(
    inject('databaseUrl'),
    { plan, policy: POLICY_PRESETS[policy]!.policy, behaviour, seed: 3, days: 35, cacheDir: loadConfig(process.env).RECTIFY_CACHE_DIR, workflowBundlePath: inject('workflowBundlePath') },
    {
      // The letters the report counts are the ones the workflows issued: numbered without a gap.
      inspect: async (sql, report) => {
        const numbers = await sql<{ kind: string; year: number; numbers: number[] }[]>`
          select kind, year, array_agg(number order by number) as numbers from letters group by kind, year`;
        for (const n of numbers) expect(n.numbers, n.kind).toEqual(n.numbers.map((_, i) => i + 1));
        const [{ letters }] = [...(await sql<{ letters: number }[]>`select count(*)::int as letters from letters`)] as [{ letters: number }];
        expect(Object.values(report.totals.letters).reduce((a, b) => a + b, 0)).toBe(letters);
      },
    },
  );
  // Nothing left behind: the simulation's database is gone.
  expect((await admin`select 1 from pg_database where datname = ${database}`).length).toBe(0);
  return report;
}

describe('试运行: a campaign under two policies', () => {
  it('lives five weeks in compressed time and reports letters, close-outs, ratings and listings week by week', async () => {
    const a = await simulate('default');
    const b = await simulate('strict');
    console.log(`${formatReport(a, 'default')}\n\n${formatReport(b, 'strict')}\n\n${formatComparison(a, b, 'default', 'strict')}`);
    for (const r of [a, b]) {
      expect(r.items).toBe(8);
      expect(r.weeks.map((w) => w.week)).toEqual([1, 2, 3, 4, 5]);
      expect(r.weeks[0]!.letters.assignment_letter).toBe(3); // one 整改工作提醒函 per lead unit at assignment
      expect(r.weeks.at(-1)!.closed).toBeGreaterThan(0);
      expect(Math.max(...r.weeks.map((w) => w.overdue))).toBeGreaterThan(0);
      expect(r.weeks.reduce((n, w) => n + w.ratings.good + w.ratings.fair + w.ratings.poor, 0)).toBeGreaterThan(0);
      expect(r.weeks.reduce((n, w) => n + w.reportsReceived, 0)).toBeGreaterThan(0);
      expect(r.weeks.reduce((n, w) => n + w.office.reviews, 0)).toBeGreaterThan(0);
    }
    // The same behaviour: the same close-out requests come in; the stricter ladder presses harder.
    const pressed = (r: SimulationReport) => r.totals.letters.urging_letter + r.totals.letters.supervision_letter + r.totals.letters.summons;
    expect(pressed(b)).toBeGreaterThan(pressed(a));
    expect(b.totals.listed).toBeGreaterThanOrEqual(a.totals.listed);
  });
});

describe('试运行 through the API: a workflow of its own with progress', () => {
  it('starts, shows its progress, and ends with the report; a unit may not see it', async () => {
    const { startHarness, office, unitWithToken, uniq } = await import('./harness');
    const h = await startHarness();
    try {
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/v1/simulations',
        headers: office,
        payload: { source: { kind: 'synthetic', items: 6, startDate: '2026-09-01' }, policies: [{ preset: 'default' }, { preset: 'strict' }], days: 14, behaviour: { onTimeRate: 0.3 } },
      });
      expect(r.statusCode, r.body).toBe(202);
      const id = r.json().id as string;
      expect(r.json()).toMatchObject({ status: 'running', progress: { runs: 2 }, links: { workflow: expect.stringContaining(`simulation-${id}`) } });
      const seen = new Set<string>();
      await expect
        .poll(
          async () => {
            const s = (await h.app.inject({ method: 'GET', url: `/api/v1/simulations/${id}`, headers: office })).json();
            seen.add(`${s.progress.run}/${s.progress.day}`);
            return s.status;
          },
          { timeout: 480_000, interval: 1000 },
        )
        .toBe('done');
      const done = (await h.app.inject({ method: 'GET', url: `/api/v1/simulations/${id}`, headers: office })).json();
      expect(done.result.runs).toHaveLength(2);
      expect(done.result.runs.map((x: { report: { items: number; weeks: unknown[] } }) => [x.report.items, x.report.weeks.length])).toEqual([[6, 2], [6, 2]]);
      expect(done.result.behaviour.onTimeRate).toBe(0.3);
      expect(seen.size).toBeGreaterThan(1); // progress moved while it ran
      const list = (await h.app.inject({ method: 'GET', url: '/api/v1/simulations', headers: office })).json();
      expect(list.simulations.map((s: { id: string }) => s.id)).toContain(id);
      const unit = await unitWithToken(h, `单位-${uniq()}`);
      expect((await h.app.inject({ method: 'GET', url: `/api/v1/simulations/${id}`, headers: unit.headers })).statusCode).toBe(403);
      // A request outside its domain is refused at the edge, in words.
      const bad = await h.app.inject({ method: 'POST', url: '/api/v1/simulations', headers: office, payload: { source: { kind: 'synthetic', items: 0 }, policies: [] } });
      expect(bad.statusCode).toBe(400);
    } finally {
      await h.close();
    }
  });
});
