/**
 * The embedded stack a benchmark runs on, in a throw-away folder: PostgreSQL (migrated), a
 * Temporal dev server, a client and a worker connection — and how to take it all down again.
 * Ports are fixed apart from the start command's (5433/7233) so a running `npm start` is untouched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig, type Config } from '../infra/config';
import { createSql, type Sql } from '../infra/db';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';
import { migrate } from '../infra/migrate';
import { provisionTemporalBinary } from '../infra/temporal-binary';
import { startTemporalDevServer } from '../infra/temporal-dev-server';
import { installTemporalRuntime } from '../infra/temporal-runtime';
import { createLogger } from '../infra/logger';
import { addDays, dateOf } from '../domain/time';

export interface BenchStack {
  cfg: Config;
  /** For a process of its own (the API as production runs it). */
  databaseUrl: string;
  temporalAddress: string;
  sql: Sql;
  temporal: Client;
  nativeConnection: NativeConnection;
  uiUrl: string;
  stop(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  const cfg = loadConfig({ ...process.env, LOG_LEVEL: 'warn', LOG_PRETTY: 'false' });
  installTemporalRuntime(createLogger(cfg), 'ERROR', false);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-bench-'));
  fs.chmodSync(tmp, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: 25433, persistent: false });
  const sql = createSql(pg.url, { max: 20 });
  await migrate(sql);
  const binary = provisionTemporalBinary({ cacheDir: cfg.RECTIFY_CACHE_DIR });
  if (!binary) throw new Error('no temporal CLI');
  const server = await startTemporalDevServer({ binary: binary.path, dataDir: path.join(tmp, 'temporal'), port: 27233, uiPort: 28233, log: () => {} });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  return {
    cfg,
    databaseUrl: pg.url,
    temporalAddress: server.address,
    sql,
    temporal: new Client({ connection }),
    nativeConnection,
    uiUrl: server.uiUrl,
    async stop() {
      await connection.close();
      await nativeConnection.close();
      await server.stop();
      await sql.end();
      await pg.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** p50 / p95 / p99 / max of a list of milliseconds. */
export function percentiles(ms: number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  return { p50: at(50), p95: at(95), p99: at(99), max: s.at(-1)! };
}

/**
 * The synthetic campaign's dates, counted from today as the tests' are: started three months ago
 * (so some of the list's deadlines have passed and their ladders run, as in a real campaign
 * mid-way) and running beyond every deadline of the list. Never a fixed year that time overtakes.
 */
export function benchCampaignDates(): { startDate: string; endDate: string } {
  const today = dateOf(Date.now());
  return { startDate: addDays(today, -90), endDate: addDays(today, 400) };
}

/** Runs a benchmark's main and exits with its code (the embedded servers' handles would keep the process alive). */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
