/**
 * Imports and starts a synthetic N-item campaign on the embedded stack (embedded PostgreSQL,
 * Temporal dev server, in-process worker and API) and prints:
 *   - items/s until every item's workflow runs and its read model is written,
 *   - the same rate for a no-op workflow started the same way in the same run (the ceiling),
 *     and the ratio between them (the figure we track; target ≥ 0.5),
 *   - peak RSS of the process running the worker,
 *   - p50/p99 of GET /api/v1/items (50 per page) over HTTP at that size (target p99 < 20 ms).
 *   npx tsx bench/campaign-import.ts [--items 10000]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from '@temporalio/worker';
import { buildApp } from '../api/app';
import { syntheticCsv, syntheticUnits } from '../scripts/generate';
import { createWorker } from '../worker/worker';
import { benchCampaignDates, percentiles, runBenchmark, startBenchStack } from './stack';

async function main() {
  const { values } = parseArgs({ options: { items: { type: 'string', default: '10000' } } });
  const N = Number(values.items);
  const stack = await startBenchStack();
  const { sql, temporal, nativeConnection } = stack;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

  let worker: Awaited<ReturnType<typeof createWorker>> | undefined;
  let workerRun: Promise<void> | undefined;
  try {
    // Ceiling: N no-op workflows started with the same concurrency as item workflows.
    const noopWorker = await Worker.create({ connection: nativeConnection, taskQueue: 'bench-noop', workflowsPath: require.resolve('./noop-workflow') });
    const noopRun = noopWorker.run();
    let t = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < N) {
          const i = next++;
          await temporal.workflow.start('noopWorkflow', { taskQueue: 'bench-noop', workflowId: `noop-${i}` });
        }
      }),
    );
    // Wait for every result, 32 at a time (ten thousand long polls at once would swamp the connection).
    let done = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (done < N) await temporal.workflow.getHandle(`noop-${done++}`).result();
      }),
    );
    const noopRate = N / ((Date.now() - t) / 1000);
    noopWorker.shutdown();
    await noopRun;

    // The real thing: units, a campaign, the import, every workflow running with its read model written.
    worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue: 'bench', sql, client: temporal });
    workerRun = worker.run();
    const app = await buildApp({ sql, temporal, namespace: 'default', taskQueue: 'bench', temporalUiUrl: stack.uiUrl, officeToken: 'bench-office-token', logger: false });
    const office = { authorization: 'Bearer bench-office-token' };
    for (const u of syntheticUnits()) await app.inject({ method: 'POST', url: '/api/v1/units', headers: office, payload: u });
    const campaign = await app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: office, payload: { title: '合成专项行动', ...benchCampaignDates() } });
    const campaignId = campaign.json().id as string;
    t = Date.now();
    await app.imports.run(campaignId, Buffer.from(syntheticCsv(N)), { role: 'office', name: '督查室' });
    const imported = Date.now();
    for (;;) {
      const [r] = await sql<{ n: number }[]>`select count(*)::int as n from item_states st join items i on i.id = st.item_id where i.campaign_id = ${campaignId} and st.last_seq >= 1`;
      if (r!.n >= N) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    const itemRate = N / ((Date.now() - t) / 1000);

    // The list at that size, over HTTP: first while the new items' timers still fire (overdue
    // items send their highest ladder rung at once), then once the worker has settled.
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const measure = async () => {
      const times: number[] = [];
      for (let i = 0; i < 500; i++) {
        const s = process.hrtime.bigint();
        const res = await fetch(`${base}/api/v1/items?campaignId=${campaignId}&limit=50${i % 2 ? '&status=assigned' : ''}`, { headers: office });
        await res.arrayBuffer();
        times.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      const { p50, p99 } = percentiles(times);
      return { p50: p50.toFixed(1), p99: p99.toFixed(1) };
    };
    const busy = await measure();
    const settleStart = Date.now();
    for (let last = -1; ; ) {
      const [r] = await sql<{ n: number }[]>`select count(*)::int as n from item_events`;
      if (r!.n === last) break;
      last = r!.n;
      await new Promise((res) => setTimeout(res, 3000));
    }
    const settledAfter = (Date.now() - settleStart) / 1000;
    const settled = await measure();
    // Where the time goes: the list service alone (SQL + mapping), without HTTP, auth and serialization.
    const svc: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = process.hrtime.bigint();
      await app.items.list({ campaignId, limit: 50, ...(i % 2 ? { status: 'assigned' as const } : {}) });
      svc.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    const service = percentiles(svc);

    console.log(`\nRectify campaign import benchmark — ${N} items, ${os.cpus().length} cores`);
    console.log(`  no-op workflow ceiling     ${noopRate.toFixed(0)} workflows/s`);
    console.log(`  import (rows checked+written) ${((imported - t) / 1000).toFixed(1)} s`);
    console.log(`  items to running + read model ${itemRate.toFixed(0)} items/s   (ratio to ceiling ${(itemRate / noopRate).toFixed(2)}; target ≥ 0.50)`);
    console.log(`  peak RSS (worker + API process) ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
    console.log(`  GET /api/v1/items while timers fire  p50 ${busy.p50} ms, p99 ${busy.p99} ms`);
    console.log(`  list service alone (no HTTP)  p50 ${service.p50.toFixed(1)} ms, p99 ${service.p99.toFixed(1)} ms`);
    console.log(`  GET /api/v1/items settled (${settledAfter.toFixed(0)} s later)  p50 ${settled.p50} ms, p99 ${settled.p99} ms   (target p99 < 20 ms)`);

    await app.close();
  } catch (err) {
    console.error('benchmark failed:', err);
    process.exitCode = 1;
  } finally {
    worker?.shutdown();
    await workerRun?.catch(() => {});
    clearInterval(sampler);
    await stack.stop();
  }
}

runBenchmark(main);
