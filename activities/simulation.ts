/**
 * The activity behind a simulation workflow: reads what the office asked for, builds the plan
 * (seed 002, a campaign's open items from today, a synthetic list) and the behaviour (given, or
 * fitted to the campaign's history), runs each policy in a database of its own on a time-skipping
 * server (simulation/engine.ts), and stores the report. Progress is written to the row as it goes
 * (the console's progress bar) and heartbeated (a worker lost mid-run is noticed in two minutes and
 * the run starts again: a simulation has no effect outside its own database, so a repeat is harmless).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { daysBetween, addDays, dateOf } from '../domain/time';
import type { Sql } from '../infra/db';
import { timeSkippingServerProvisioned } from '../infra/time-skipping-server';
import type { SimulationPlan } from '../simulation/engine';
import { fitBehaviour, behaviourSchema, type ObservedBehaviour } from '../simulation/model';
import { resolvePolicy, simulationRequestSchema, type SimulationRequest } from '../simulation/request';

export interface SimulationDeps {
  /** The PostgreSQL server to create each simulation's own database on (the production database's URL will do). */
  databaseUrl: string;
  cacheDir: string;
  workflowBundlePath?: string;
}

const PROGRESS_EVERY_MS = 1000;
const HEARTBEAT_MS = 10_000;

export function createSimulationActivities({ sql, simulations }: { sql: Sql; simulations?: SimulationDeps }) {
  return {
    async runSimulationRequest(simulationId: string): Promise<void> {
      if (!simulations) throw ApplicationFailure.nonRetryable('试运行未配置：工作进程没有可建库的 PostgreSQL（simulations.databaseUrl）', 'SimulationNotConfigured');
      // Fetching the test server blocks (Maven, synchronously): never inside a worker serving workflows.
      // The start command provisions it before it starts (scripts/provision-temporal.ts); a production
      // worker is told to, in words.
      if (!timeSkippingServerProvisioned(simulations.cacheDir)) {
        throw ApplicationFailure.nonRetryable('试运行所需的时间跳跃测试服务器尚未准备（请在该工作进程所在机器运行 npx tsx scripts/provision-temporal.ts）', 'SimulationNotProvisioned');
      }
      const [row] = await sql<{ request: unknown; status: string }[]>`select request, status from simulations where id = ${simulationId}`;
      if (!row || row.status !== 'running') return; // finished (a retry after the write), or never asked
      const req = simulationRequestSchema.parse(row.request);
      // Dynamic: the engine builds an API and a worker of its own (a static import would be a cycle).
      // Dynamic: the engine builds an API and a worker of its own (a static import would be a cycle).
      const { simulateInOwnDatabase } = await import('../simulation/database');
      const plan = await planOf(sql, req);
      const observed = req.fitBehaviour && req.source.kind === 'campaign' ? await observe(sql, req.source.campaignId) : null;
      const behaviour = behaviourSchema.parse({ ...(observed ? fitBehaviour(observed) : {}), ...req.behaviour });
      const ctx = Context.current();
      // Alive while a run starts (the import, its workflows starting) as well as day by day.
      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
      const runs = req.policies.map(resolvePolicy);
      const results = [];
      let last = 0;
      try {
        for (const [i, { label, policy }] of runs.entries()) {
          const { report } = await simulateInOwnDatabase(
            simulations.databaseUrl,
            {
              plan, policy, behaviour, seed: req.seed, ...(req.days ? { days: req.days } : {}),
              cacheDir: simulations.cacheDir, ...(simulations.workflowBundlePath ? { workflowBundlePath: simulations.workflowBundlePath } : {}),
              onProgress: ({ day, days }) => {
                ctx.heartbeat({ run: i, day });
                if (Date.now() - last < PROGRESS_EVERY_MS && day < days) return;
                last = Date.now();
                void sql`update simulations set progress = ${sql.json({ run: i + 1, runs: runs.length, day, days })} where id = ${simulationId} and status = 'running'`.catch(() => {});
              },
            },
            { key: `${simulationId}_${i + 1}` },
          );
          results.push({ label, report });
        }
      } finally {
        clearInterval(beat);
      }
      await sql`
        update simulations set status = 'done', result = ${sql.json({ behaviour, fitted: observed !== null, runs: results } as never)}, finished_at = now()
        where id = ${simulationId} and status = 'running'`;
    },

    /** The run could not finish (after its retries): said on the row, in Chinese where we can. */
    async failSimulation(r: { simulationId: string; message: string }): Promise<void> {
      await sql`update simulations set status = 'failed', error = ${r.message.slice(0, 2000)}, finished_at = now() where id = ${r.simulationId} and status = 'running'`;
    },
  };
}

/** The plan a request names. A campaign runs from today: its open items, their deadlines and units. */
async function planOf(sql: Sql, req: SimulationRequest): Promise<SimulationPlan> {
  const { seed002Plan, syntheticPlan } = await import('../simulation/plans');
  const src = req.source;
  if (src.kind === 'seed-002') return seed002Plan();
  if (src.kind === 'synthetic') return syntheticPlan(src.items, src.startDate ?? dateOf(Date.now()));
  const [c] = await sql<{ title: string; endDate: string }[]>`select title, end_date from campaigns where id = ${src.campaignId}`;
  if (!c) throw ApplicationFailure.nonRetryable(`专项行动 ${src.campaignId} 不存在`, 'CampaignNotFound');
  const today = dateOf(Date.now());
  const items = await sql<{ id: string; number: string; category: string | null; content: string; kind: 'immediate' | 'time_limited' | 'long_term'; deadlineDate: string | null; units: { name: string; role: 'lead' | 'co' }[] }[]>`
    select i.id, i.number, i.category, i.content, i.kind, st.deadline_date,
           (select json_agg(json_build_object('name', u.name, 'role', iu.role)) from item_units iu join units u on u.id = iu.unit_id where iu.item_id = i.id) as units
    from items i join item_states st on st.item_id = i.id
    where i.campaign_id = ${src.campaignId} and st.status in ('assigned', 'acknowledged', 'in_progress', 'submitted')
    order by i.ord`;
  const units = await sql<{ name: string; kind: 'county' | 'department' | 'other' }[]>`
    select distinct u.name, u.kind from items i join item_units iu on iu.item_id = i.id join units u on u.id = iu.unit_id where i.campaign_id = ${src.campaignId}`;
  const end = c.endDate > addDays(today, 7) ? c.endDate : addDays(today, 30);
  return {
    title: `${c.title}（试运行，自${today}起）`,
    startDate: today,
    endDate: end,
    units,
    items: items.map((i) => ({
      number: i.number,
      ...(i.category ? { category: i.category } : {}),
      content: i.content,
      kind: i.kind,
      // A deadline already past stays past: the item is overdue from the first day, as it is now.
      deadline: i.deadlineDate,
      leadUnits: (i.units ?? []).filter((u) => u.role === 'lead').map((u) => u.name),
      coUnits: (i.units ?? []).filter((u) => u.role === 'co').map((u) => u.name),
    })),
  };
}

/** What a campaign's audit trail says of how its units behave (the input of fitBehaviour). */
async function observe(sql: Sql, campaignId: string): Promise<ObservedBehaviour> {
  const events = await sql<{ itemId: string; type: string; occurredAt: string; deadlineDate: string | null }[]>`
    select e.item_id, e.type, e.occurred_at, (e.state->>'deadlineDate') as deadline_date
    from item_events e join items i on i.id = e.item_id
    where i.campaign_id = ${campaignId} and e.type in ('assigned', 'acknowledge', 'reportProgress', 'report_missed', 'close', 'reject')
    order by e.item_id, e.seq`;
  const o: ObservedBehaviour = { signDays: [], reports: 0, missedReports: 0, closedOnTime: 0, closedLate: 0, lateDays: [], reviews: 0, rejections: 0 };
  const assigned = new Map<string, string>();
  for (const e of events) {
    if (e.type === 'assigned') assigned.set(e.itemId, e.occurredAt);
    else if (e.type === 'acknowledge' && assigned.has(e.itemId)) o.signDays.push(Math.max(0, daysBetween(dateOf(assigned.get(e.itemId)!), dateOf(e.occurredAt))));
    else if (e.type === 'reportProgress') o.reports++;
    else if (e.type === 'report_missed') o.missedReports++;
    else if (e.type === 'reject') (o.reviews++, o.rejections++);
    else if (e.type === 'close') {
      o.reviews++;
      const late = e.deadlineDate ? daysBetween(e.deadlineDate, dateOf(e.occurredAt)) : 0;
      if (late > 0) (o.closedLate++, o.lateDays.push(late));
      else o.closedOnTime++;
    }
  }
  return o;
}
