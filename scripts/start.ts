/**
 * The start command: everything a newcomer needs, in the foreground, with readable logs.
 *   embedded PostgreSQL (or DATABASE_URL) → migrations → Temporal dev server (provisioned
 *   offline) → worker → API with Swagger UI → demo campaign → the URLs.
 * Ctrl-C stops it all cleanly; the data folder keeps items, workflows and their histories.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import closeWithGrace from 'close-with-grace';
import { buildAppFromConfig } from '../api/app';
import { loadConfig, portOf } from '../infra/config';
import { createSql, pgTimeouts } from '../infra/db';
import { startEmbeddedPostgres, type EmbeddedPg } from '../infra/embedded-postgres';
import { createLogger } from '../infra/logger';
import { migrate } from '../infra/migrate';
import { provisionTemporalBinary } from '../infra/temporal-binary';
import { startTemporalDevServer, type DevServer } from '../infra/temporal-dev-server';
import { claimDataDir } from '../infra/processes';
import { installTemporalRuntime } from '../infra/temporal-runtime';
import { supervise } from '../infra/supervise';
import { createWorker, letterDeliveryConfig } from '../worker/worker';
import { loadDemo } from './demo';

async function main() {
  const cfg = loadConfig();
  const log = createLogger(cfg);
  const dataDir = path.resolve(cfg.RECTIFY_DATA_DIR);
  // Refuses a second start on the same data; after a crash of the first, takes over and the
  // servers it left behind are stopped by the PostgreSQL and Temporal launchers below.
  const release = claimDataDir(dataDir, 'scripts/start.ts');
  process.once('exit', release);
  const stops: { name: string; stop: () => Promise<unknown> }[] = [];
  // Supervised children (PostgreSQL, the Temporal dev server): let go of at the start of a shutdown.
  const supervisors: { release(): void }[] = [];
  const onStop = (name: string, stop: () => Promise<unknown>) => stops.push({ name, stop });
  const shutdown = async () => {
    for (const { name, stop } of stops.reverse()) {
      log.info('stopping %s', name);
      await stop().catch((err) => log.warn({ err }, `while stopping ${name}`));
    }
  };
  closeWithGrace({ delay: 20_000 }, async ({ signal, err }) => {
    for (const s of supervisors) s.release();
    if (err) log.error({ err }, 'stopping after an error');
    else log.info({ signal }, 'stopping…');
    await shutdown();
    // Plain write: the pino transport may not flush before the process exits.
    process.stdout.write(`\n  Rectify stopped; data kept in ${dataDir}\n`);
  });

  // PostgreSQL
  let databaseUrl = cfg.DATABASE_URL;
  if (!databaseUrl) {
    const t = Date.now();
    const startPg = () => startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port: cfg.EMBEDDED_PG_PORT, log: (m) => log.warn(m) });
    const pg: EmbeddedPg = await startPg();
    // Dies (OOM kill, kill -9): started again in place, same port and data; the pool reconnects.
    const pgSupervisor = supervise({ name: 'embedded PostgreSQL', first: pg, start: startPg, log: (m) => log.warn(m), onGiveUp: giveUp('embedded PostgreSQL') });
    supervisors.push(pgSupervisor);
    onStop('PostgreSQL', () => pgSupervisor.stop());
    databaseUrl = pg.url;
    log.info({ port: cfg.EMBEDDED_PG_PORT, ms: Date.now() - t }, 'embedded PostgreSQL up (data: %s)', path.join(dataDir, 'pg'));
  }
  const sql = createSql(databaseUrl, pgTimeouts(cfg));
  onStop('database pool', () => sql.end({ timeout: 5 }));
  await migrate(sql, (m) => log.info(m));

  // Temporal
  let uiUrl = cfg.TEMPORAL_UI_URL;
  if (cfg.TEMPORAL_DEV_SERVER) {
    const t = Date.now();
    const binary = provisionTemporalBinary({ cacheDir: cfg.RECTIFY_CACHE_DIR, explicitPath: cfg.TEMPORAL_BIN, log: (m) => log.info(m) });
    const uiPort = portOf(new URL(cfg.TEMPORAL_UI_URL).host) || 8233;
    let server: DevServer;
    if (binary) {
      log.info({ binary: binary.path, source: binary.source }, 'Temporal CLI');
      const startServer = () =>
        startTemporalDevServer({
          binary: binary.path,
          dataDir,
          port: portOf(cfg.TEMPORAL_ADDRESS),
          uiPort,
          log: (m) => log.child({ component: 'temporal-server' }).warn(m),
        });
      const first = await startServer();
      // Dies: started again in place on the same SQLite file; the clients and the worker reconnect.
      const supervisor = supervise({ name: 'Temporal dev server', first, start: startServer, log: (m) => log.warn(m), onGiveUp: giveUp('Temporal dev server') });
      supervisors.push(supervisor);
      server = { ...first, stop: () => supervisor.stop() };
    } else {
      // Users with internet: the SDK downloads the dev server itself.
      const { TestWorkflowEnvironment } = await import('@temporalio/testing');
      const env = await TestWorkflowEnvironment.createLocal({
        server: { ip: '127.0.0.1', port: portOf(cfg.TEMPORAL_ADDRESS), ui: true, uiPort, dbFilename: path.join(dataDir, 'temporal.db') },
      });
      server = { address: env.address, uiUrl: `http://127.0.0.1:${uiPort}`, exited: new Promise(() => {}), stop: () => env.teardown() };
    }
    onStop('Temporal server', () => server.stop());
    uiUrl = server.uiUrl;
    log.info({ address: server.address, ms: Date.now() - t }, 'Temporal dev server up');
  }

  // Worker (in this process for the demo; docker-compose runs it as its own, scalable service)
  installTemporalRuntime(log, 'WARN', false);
  const nativeConnection = await NativeConnection.connect({ address: cfg.TEMPORAL_ADDRESS });
  const connection = await Connection.connect({ address: cfg.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE });
  const worker = await createWorker({
    connection: nativeConnection, namespace: cfg.TEMPORAL_NAMESPACE, taskQueue: cfg.TEMPORAL_TASK_QUEUE, sql, client: temporal, letters: letterDeliveryConfig(cfg),
    // 试运行: each simulation gets a database of its own on the same PostgreSQL server.
    simulations: { databaseUrl, cacheDir: cfg.RECTIFY_CACHE_DIR },
  });
  const workerRun = worker.run();
  onStop('worker', async () => {
    worker.shutdown();
    await workerRun;
    await nativeConnection.close();
    await connection.close(); // after the worker: its activities start letter workflows with it
  });
  log.info({ taskQueue: cfg.TEMPORAL_TASK_QUEUE }, 'worker polling');

  // API
  const app = await buildAppFromConfig(cfg, { sql, temporal, logger: log.child({ component: 'api' }), temporalUiUrl: uiUrl });
  await app.listen({ port: cfg.PORT, host: cfg.HOST });
  onStop('API', async () => {
    await app.close();
  });

  // Items whose workflow never started (a crash between commit and start) get it now.
  const repaired = await app.items.ensureWorkflows({ role: 'office', name: '督查室' });
  if (repaired) log.info({ repaired }, 'started missing item workflows');
  await app.campaigns.ensureWorkflows();

  let demoLine = '';
  if (cfg.RECTIFY_DEMO) {
    const demo = await loadDemo(app, cfg.OFFICE_TOKEN);
    log.info({ campaignId: demo.campaignId, itemsCreated: demo.itemsCreated, feedbackCampaignId: demo.feedback.campaignId, measuresCreated: demo.feedback.itemsCreated }, 'demo campaigns loaded');
    demoLine = `\n  Demo tokens   office: ${cfg.OFFICE_TOKEN}   ${demo.tokens.slice(0, 3).map((t) => `${t.unit}: ${t.token}`).join('   ')} …`;
  }

  const api = `http://${cfg.HOST}:${cfg.PORT}`;
  process.stdout.write(
    `\n  Rectify is running.\n` +
      `  Console       ${api}/   (督办工作台: sign in with a token${cfg.RECTIFY_DEMO ? ' below' : ''})\n` +
      `  API           ${api}/api/v1   (health: ${api}/health)\n` +
      `  API docs      ${api}/docs\n` +
      `  Temporal UI   ${uiUrl}\n` +
      `  Data          ${dataDir}${demoLine}\n` +
      `  Try           curl -H 'Authorization: Bearer ${cfg.OFFICE_TOKEN}' ${api}/api/v1/items\n` +
      `  Stop with Ctrl-C.\n\n`,
  );
}

/** A child that will not start again: exit non-zero, so whatever runs us (systemd, Docker) restarts everything. */
function giveUp(name: string) {
  return (err: unknown) => {
    console.error(`${name} cannot be restarted (${(err as Error)?.message ?? err}); exiting`);
    process.exit(1);
  };
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
