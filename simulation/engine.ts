/**
 * 试运行: a campaign lived forward in compressed time, before anything is sent for real. The
 * real workflows, activities, policy and API run on Temporal's time-skipping test server with a
 * PostgreSQL database of their own (nothing touches production data); units and the office act
 * through the API as a behaviour model says (simulation/model.ts), day by day at 10:00 Shanghai;
 * every reminder, ladder letter, dispatch sheet, rating, listing and summons is the one the
 * engine would produce. The report (simulation/report.ts) is read afterwards from that database,
 * week by week, with the same views an office uses (statistics as of each week's end: 回溯).
 */
import crypto from 'node:crypto';
import { NativeConnection } from '@temporalio/worker';
import { buildApp, type App } from '../api/app';
import { effectivePolicy, type PolicyInput } from '../domain/policy';
import { isCadenceDay } from '../domain/cadence';
import { addDays, daysBetween, instantAt } from '../domain/time';
import type { Sql } from '../infra/db';
import { startTimeSkippingServer, type TimeSkippingServer } from '../infra/time-skipping-env';
import { provisionTimeSkippingServer } from '../infra/time-skipping-server';
import { createWorker, type RectifyWorker } from '../worker/worker';
import { letterReceiptDay, officeRejects, scriptItem, unitTraits, type Behaviour, type ItemScript } from './model';

/** A campaign to simulate: its definition and items as they would be imported. */
export interface SimulationPlan {
  title: string;
  startDate: string;
  endDate: string;
  units: { name: string; kind: 'county' | 'department' | 'other'; aliases?: string[] }[];
  /** Items to create; or, for a spreadsheet, `importFile` (the importer resolves its deadline phrases). */
  items?: { number: string; category?: string; content: string; kind?: 'immediate' | 'time_limited' | 'long_term'; deadline: string | null; leadUnits: string[]; coUnits: string[] }[];
  importFile?: Buffer;
}

export interface SimulationOptions {
  plan: SimulationPlan;
  policy?: PolicyInput;
  behaviour: Behaviour;
  seed: number;
  /** Days to live through from the start (default: to the campaign's end, then a week). */
  days?: number;
  /** A PostgreSQL of the simulation's own, migrated (simulation/database.ts). */
  sql: Sql;
  cacheDir: string;
  workflowBundlePath?: string;
  onProgress?: (p: { day: number; days: number; phase: 'starting' | 'running' | 'done' }) => void;
}

export interface SimulationRun {
  campaignId: string;
  startDate: string;
  days: number;
  /** Actions the model made and the API refused (a unit acting on an item closed meanwhile, …), by the API's code. */
  refused: number;
  refusedBy: Record<string, number>;
  elapsedMs: number;
}

const OFFICE_TOKEN = `sim-office-${crypto.randomUUID()}`;
/** Actions in flight at once: items' workflows are independent; each item's own actions stay in order. */
const PARALLEL = 8;

/** Runs `fn` over `xs`, at most `n` at a time. */
async function inPool<T>(xs: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, xs.length) }, async () => {
    while (next < xs.length) await fn(xs[next++]!);
  }));
}
const ACT_AT = '10:00';
const MAX_DAYS = 400;

export async function runSimulation(o: SimulationOptions): Promise<SimulationRun> {
  const started = Date.now();
  const { sql, plan, behaviour: b, seed } = o;
  // To the campaign's end and a week after, at most MAX_DAYS (a long campaign from today is cut there).
  const days = Math.min(o.days ?? daysBetween(plan.startDate, plan.endDate) + 8, MAX_DAYS);
  o.onProgress?.({ day: 0, days, phase: 'starting' });

  // The test server's clock starts at the campaign's first day, 08:00 Shanghai.
  const wrapper = provisionTimeSkippingServer({ cacheDir: o.cacheDir });
  const server: TimeSkippingServer = await startTimeSkippingServer(wrapper, { clock: `@${plan.startDate} 00:00:00` });
  const env = server.env;
  const taskQueue = `simulation-${crypto.randomUUID()}`;
  let apiNow = await env.currentTimeMs();
  let worker: RectifyWorker | undefined;
  let running: Promise<void> | undefined;
  let app: App | undefined;
  try {
    worker = await createWorker({
      connection: env.nativeConnection as unknown as NativeConnection,
      namespace: 'default',
      taskQueue,
      sql,
      client: env.client,
      ...(o.workflowBundlePath ? { workflowBundlePath: o.workflowBundlePath } : {}),
      extra: { maxCachedWorkflows: 2000, stickyQueueScheduleToStartTimeout: '1s' },
    });
    running = worker.run();
    app = await buildApp({ sql, temporal: env.client, namespace: 'default', taskQueue, temporalUiUrl: '', officeToken: OFFICE_TOKEN, logger: false, rateLimit: { max: 0, windowMs: 60_000 }, clock: () => apiNow });
    await app.ready();
    const api = client(app);

    // Units, each with a token to act as; the campaign with the policy under test; its items.
    const unitIds = new Map<string, string>();
    const tokens = new Map<string, string>();
    for (const u of plan.units) {
      const r = await api.call('POST', '/api/v1/units', { name: u.name, kind: u.kind, aliases: u.aliases ?? [] });
      if (r.status !== 201) throw new Error(`unit ${u.name}: ${JSON.stringify(r.body)}`);
      const id = r.body.id as string;
      unitIds.set(u.name, id);
      const t = await api.call('POST', '/api/v1/principals', { role: 'unit', name: `${u.name}联络员`, unitId: id });
      tokens.set(id, t.body.token as string);
    }
    const c = await api.call('POST', '/api/v1/campaigns', { title: plan.title, startDate: plan.startDate, endDate: plan.endDate, ...(o.policy ? { policy: o.policy } : {}) });
    if (c.status !== 201) throw new Error(`campaign: ${JSON.stringify(c.body)}`);
    const campaignId = c.body.id as string;
    if (plan.importFile) {
      await app.imports.run(campaignId, plan.importFile, { role: 'office', name: '督查室（试运行）' });
    } else {
      const r = await api.call('POST', `/api/v1/campaigns/${campaignId}/items`, { items: plan.items ?? [] });
      if (r.status !== 201) throw new Error(`items: ${JSON.stringify(r.body)}`);
    }
    // Every item's workflow has planned its deadline on the calendar (the 'assigned' record) before the script is drawn.
    for (const until = Date.now() + 600_000; ; ) {
      const [r] = await sql<{ waiting: number }[]>`
        select count(*)::int as waiting from items i left join item_states st on st.item_id = i.id where i.campaign_id = ${campaignId} and coalesce(st.last_seq, 0) < 1`;
      if (r!.waiting === 0) break;
      if (Date.now() > until) throw new Error(`${r!.waiting} items never started`);
      await new Promise((res) => setTimeout(res, 200));
    }
    const items = await api.allItems(campaignId);

    // The days the policy's report cadence falls due (a named cadence; an offset cadence: the model's own rhythm).
    const cadence = effectivePolicy(o.policy).reportCadence;
    const reportDueDays =
      cadence && 'weekday' in cadence
        ? Array.from({ length: days }, (_, d) => d).filter((d) => isCadenceDay(cadence.every, cadence.weekday, addDays(plan.startDate, d)))
        : undefined;
    // Each item's script, drawn up front from the seed (the same for every policy compared).
    const traits = new Map<string, ReturnType<typeof unitTraits>>();
    const traitOf = (unitId: string) => traits.get(unitId) ?? traits.set(unitId, unitTraits(b, seed, unitId)).get(unitId)!;
    const scripts = new Map<string, { item: (typeof items)[number]; lead: string; script: ItemScript }>();
    for (const item of items) {
      const lead = item.units.find((u) => u.role === 'lead')!.unitId;
      const deadlineDay = item.deadlineDate ? daysBetween(plan.startDate, item.deadlineDate) : null;
      // Units are keyed by name in the model's streams (ids differ from run to run, names do not).
      const names = new Map(item.units.map((u) => [u.unitId, u.name]));
      const script = scriptItem(b, seed, { number: item.number, assignedDay: 0, deadlineDay, lead: names.get(lead)!, units: item.units.map((u) => u.name), ...(reportDueDays ? { reportDueDays } : {}) }, (n) => traitOf(n), days);
      const idOf = new Map(item.units.map((u) => [u.name, u.unitId]));
      scripts.set(item.id, {
        item,
        lead,
        script: { ...script, sign: Object.fromEntries(item.units.map((u) => [u.unitId, script.sign[u.name] ?? null])), reports: script.reports.map((r) => ({ ...r, unit: idOf.get(r.unit)! })) },
      });
    }
    const unitName = new Map([...unitIds].map(([n, id]) => [id, n]));
    const resubmit = new Map<string, number>(); // item → day of its next close-out request
    const attempts = new Map<string, number>();
    let refused = 0;
    const refusedBy: Record<string, number> = {};
    const act = async (token: string | null, url: string, body: object = {}) => {
      const r = await api.call('POST', url, body, token);
      if (r.status !== 200) {
        refused++;
        const code = `${url.split('/').at(-1)}: ${String(r.body.code ?? r.status)}`;
        refusedBy[code] = (refusedBy[code] ?? 0) + 1;
      }
      return r.status === 200;
    };

    for (let day = 0; day < days; day++) {
      // Live up to 10:00 of the day: every timer before it fires on the way.
      const at = instantAt(addDays(plan.startDate, day), ACT_AT);
      const now = await env.currentTimeMs();
      if (at > now) await env.sleep(at - now);
      apiNow = await env.currentTimeMs();

      // Items side by side (their workflows are independent), each item's actions in order.
      await inPool([...scripts], PARALLEL, async ([itemId, { item, lead, script }]) => {
        for (const u of item.units) if (script.sign[u.unitId] === day) await act(tokens.get(u.unitId)!, `/api/v1/items/${itemId}/acknowledge`);
        for (const r of script.reports) if (r.day === day) await act(tokens.get(r.unit)!, `/api/v1/items/${itemId}/report-progress`, { text: `按计划推进，完成${r.percent}%`, percent: r.percent });
        if (script.submit === day || resubmit.get(itemId) === day) await act(tokens.get(lead)!, `/api/v1/items/${itemId}/submit`, { summary: '整改完成，申请销号' });
      });
      // The office reviews the day's close-out requests: closes, or sends back (the unit tries again in 3 days).
      const submitted = await api.allItems(campaignId, 'submitted');
      await inPool(submitted, PARALLEL, async (i) => {
        const n = (attempts.get(i.id) ?? 0) + 1;
        attempts.set(i.id, n);
        if (officeRejects(b, seed, i.number, n)) {
          if (await act(null, `/api/v1/items/${i.id}/reject`, { reasons: '佐证材料不全，请补充后重新申请' })) resubmit.set(i.id, day + 3);
        } else {
          await act(null, `/api/v1/items/${i.id}/close`, { note: '核查属实，同意销号' });
        }
      });
      // Letters awaiting a unit's signature (签收): signed on the day the model says, or never.
      const letters = await sql<{ id: string; issuedOn: string; unitId: string }[]>`
        select l.id, l.issued_on, r.unit_id from letters l join letter_recipients r on r.letter_id = l.id
        where l.campaign_id = ${campaignId} and r.receipted_at is null`;
      await inPool(letters, PARALLEL, async (l) => {
        const due = letterReceiptDay(b, seed, `${l.id}:${l.unitId}`, daysBetween(plan.startDate, l.issuedOn), traitOf(unitName.get(l.unitId) ?? l.unitId).laggard);
        if (due !== null && due <= day && tokens.has(l.unitId)) await act(tokens.get(l.unitId)!, `/api/v1/letters/${l.id}/receipt`);
      });
      o.onProgress?.({ day: day + 1, days, phase: 'running' });
    }
    o.onProgress?.({ day: days, days, phase: 'done' });
    return { campaignId, startDate: plan.startDate, days, refused, refusedBy, elapsedMs: Date.now() - started };
  } finally {
    await app?.close();
    worker?.shutdown();
    await running?.catch(() => {});
    await server.teardown();
  }
}

type ItemRow = { id: string; number: string; deadlineDate: string | null; status: string; units: { unitId: string; name: string; role: 'lead' | 'co' }[] };

/** The API as the office (or as a unit, by its token), in-process. */
function client(app: App) {
  const call = async (method: 'GET' | 'POST', url: string, payload?: object, token: string | null = null) => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token ?? OFFICE_TOKEN}` }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> };
  };
  return {
    call,
    /** Every item of the campaign (paged through), optionally of one status. */
    async allItems(campaignId: string, status?: string): Promise<ItemRow[]> {
      const out: ItemRow[] = [];
      for (let after: number | null = null; ; ) {
        const q = new URLSearchParams({ campaignId, limit: '500', ...(status ? { status } : {}), ...(after !== null ? { after: String(after) } : {}) });
        const r = await call('GET', `/api/v1/items?${q}`);
        if (r.status !== 200) throw new Error(`items: ${JSON.stringify(r.body)}`);
        out.push(...(r.body.items as ItemRow[]));
        after = r.body.nextCursor as number | null;
        if (after === null) return out;
      }
    },
  };
}
