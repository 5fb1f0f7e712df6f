/**
 * moto's S3 server for the tests of the S3 evidence store (tests/evidence-s3.test.ts): a real
 * server speaking the S3 protocol, so the client's requests, the bucket and the objects are real.
 * Provisioned on first use from PyPI into a virtualenv in the cache outside the clone
 * (RECTIFY_CACHE_DIR/moto-venv, as the Temporal CLI), so a fresh clone or CI pays ~20 s once.
 * Nothing skips: without python3 or PyPI the test fails and says what was missing.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../infra/config';
import { freePort } from './free-port';

const run = promisify(execFile);

/**
 * moto's `s3` extra and Flask rather than its `server` extra, which brings every AWS service's
 * dependencies (cfn-lint, sympy, docker…): 20 s to install instead of 50. Pinned, so a new
 * release can not change the test under us; change the list to upgrade (the venv is rebuilt).
 */
export const MOTO_REQUIREMENTS = ['moto[s3]==5.2.5', 'flask==3.1.3', 'flask-cors==6.0.5'];

export interface Moto {
  /** http://127.0.0.1:PORT — the S3 endpoint (path-style; any bucket, any credentials). */
  endpoint: string;
  /** Stops the server (a test of the store being away); safe to call twice. */
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const { RECTIFY_CACHE_DIR } = loadConfig({ ...process.env, LOG_PRETTY: 'false' });
  const python = await provisionMoto(RECTIFY_CACHE_DIR);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // `python -m moto.server` rather than the venv's moto_server script, whose #! line names the
  // folder the venv was built in (it is built aside and then renamed: provisionMoto).
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4_000))); // it logs each request there
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (gone()) throw new Error(`moto's S3 server exited at start (code ${child.exitCode}):\n${stderr}`);
    try {
      await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`moto's S3 server did not answer on ${endpoint} within 30 s:\n${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    endpoint,
    async stop() {
      if (gone()) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The venv's python, with MOTO_REQUIREMENTS installed (built on first use). */
export async function provisionMoto(cacheDir: string): Promise<string> {
  const venv = path.join(cacheDir, 'moto-venv');
  const python = path.join(venv, 'bin', 'python');
  const stampOf = (dir: string) => path.join(dir, 'rectify-requirements.txt');
  const wanted = MOTO_REQUIREMENTS.join('\n');
  const ready = () => fs.existsSync(python) && readOr(stampOf(venv)) === wanted;
  if (ready()) return python;

  const fail = (why: string) =>
    new Error(
      `moto (the S3 server tests/evidence-s3.test.ts runs against) cannot be provisioned into ${venv}: ${why}\n` +
        `It needs python3 with venv (Debian: apt-get install python3-venv) and PyPI for: pip install ${MOTO_REQUIREMENTS.join(' ')}`,
    );
  const host = onPath('python3') ?? onPath('python');
  if (!host) throw fail('no python3 on PATH');

  console.log(`[setup] provisioning moto's S3 server into ${venv} (first time only, ~20 s)…`);
  const t0 = Date.now();
  fs.mkdirSync(cacheDir, { recursive: true });
  // Built aside and renamed into place: an interrupted install never looks like a finished one,
  // and two runs provisioning at once do not write into the same folder.
  const tmp = fs.mkdtempSync(path.join(cacheDir, 'moto-venv.tmp-'));
  try {
    await run(host, ['-m', 'venv', tmp], { timeout: 60_000 });
    await run(path.join(tmp, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', ...MOTO_REQUIREMENTS], {
      timeout: 150_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    fs.writeFileSync(stampOf(tmp), wanted);
    fs.rmSync(venv, { recursive: true, force: true });
    fs.renameSync(tmp, venv);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (ready()) return python; // another run finished first
    const e = err as { stderr?: string; message: string; killed?: boolean };
    throw fail(e.killed ? 'timed out' : (e.stderr?.trim().split('\n').slice(-8).join('\n') || e.message));
  }
  console.log(`[setup] moto provisioned in ${(Date.now() - t0) / 1000}s`);
  return python;
}

function readOr(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    if (dir && fs.existsSync(p) && fs.statSync(p).isFile()) return p;
  }
  return undefined;
}
