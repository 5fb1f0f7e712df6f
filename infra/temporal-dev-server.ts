/**
 * Runs `temporal server start-dev` as a child process for the start command: a real Temporal
 * server (1.29) on SQLite in the data folder, so workflows and their histories survive restarts,
 * with the Web UI beside it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { argAfter, listProcesses, stopProcess } from './processes';

export interface DevServer {
  address: string;
  uiUrl: string;
  /** Resolves when the server process has exited (for supervision: infra/supervise.ts). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(opts: {
  binary: string;
  dataDir: string;
  port: number;
  uiPort: number;
  log: (msg: string) => void;
}): Promise<DevServer> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const dbFile = path.resolve(opts.dataDir, 'temporal.db');
  await stopLeftovers(dbFile, opts.log);
  if (await portInUse(opts.port)) {
    throw new Error(`port ${opts.port} is in use by another program (not Rectify's Temporal dev server for ${dbFile}); stop it or set TEMPORAL_ADDRESS`);
  }
  const args = [
    'server', 'start-dev',
    '--db-filename', dbFile,
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--ui-port', String(opts.uiPort),
    '--log-level', 'warn',
    '--namespace', 'default',
  ];
  // Detached: Ctrl-C reaches only us, and we stop the server last-but-one, after the worker.
  const child: ChildProcess = spawn(opts.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stopping = false;
  const forward = (buf: Buffer) => {
    if (stopping) return; // its shutdown chatter (dial errors to departed pollers) is noise
    for (const line of buf.toString('utf8').split('\n')) if (line.trim()) opts.log(line.trim());
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  let exited = false;
  const exitedP = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      process.off('exit', killOnExit);
      resolve({ code, signal });
    }),
  );

  const deadline = Date.now() + 60_000;
  while (!(await portInUse(opts.port))) {
    if (exited) throw new Error(`temporal server start-dev exited early (binary: ${opts.binary})`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('temporal server start-dev did not open its port within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    exited: exitedP,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        stopping = true;
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(killer);
          process.off('exit', killOnExit);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A dev server on our data file that outlived the start command that ran it (it runs in its own
 * process group, so a kill -9 of the start command leaves it behind): stop it, so this start can
 * open the same file and port. SIGTERM lets it close its SQLite store cleanly.
 */
async function stopLeftovers(dbFile: string, log: (m: string) => void): Promise<void> {
  const mine = listProcesses().filter(({ argv }) => argv.includes('start-dev') && argAfter(argv, '--db-filename') === dbFile);
  for (const { pid } of mine) {
    log(`stopping the Temporal dev server an earlier start left running (pid ${pid}, data ${dbFile})`);
    await stopProcess(pid, 'SIGTERM', 15_000);
  }
}

export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
