/**
 * The gates themselves, so they stay shut:
 *  - a failing test makes the test command exit non-zero (an exit hook of a server library once
 *    reset it to 0 after the global set-up had started PostgreSQL and Temporal);
 *  - the start command runs from a folder only its owner may enter (as root, PostgreSQL runs as
 *    another user) and recovers from its own crash: after a kill -9 it stops the PostgreSQL and
 *    Temporal server it left behind, starts again and finds its data; Ctrl-C leaves nothing running;
 *  - the console's walk as a newcomer does it (issue 14's "Done when"): `npm start` with its demo,
 *    the browser signs in with the printed office token and sees the demo campaign, then as 洮北区
 *    with its printed token presses 签收 on an item, and the API shows it acknowledged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listProcesses } from '../infra/processes';
import { launchChromium, signIn as signInAs } from './browser';
import { freePort } from './setup/free-port';

const root = path.resolve(__dirname, '..');

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('close', (code) => resolve({ code, output: output.replace(/\x1b\[[0-9;]*m/g, '') }));
  });
}

/**
 * Starts `scripts/start.ts` as `npm start` does and resolves when it says it is running (its
 * output so far, and on), within `seconds`; `started` learns the child at once, for the clean-up.
 */
function startRectify(env: NodeJS.ProcessEnv, started: (c: ChildProcess) => void, seconds: number): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    started(child);
    let output = '';
    const timer = setTimeout(() => reject(new Error(`start did not come up within ${seconds} s:\n${output}`)), seconds * 1000);
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.includes('Rectify is running.')) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`start exited (${code}) before it was running:\n${output}`));
    });
  });
}

/** The start command's ports and data folder, each free for this run. */
async function startEnv(dataDir: string, extra: NodeJS.ProcessEnv): Promise<{ env: NodeJS.ProcessEnv; api: number }> {
  const [api, pg, temporal, ui] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RECTIFY_DATA_DIR: dataDir,
    PORT: String(api),
    EMBEDDED_PG_PORT: String(pg),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporal}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${ui}`,
    LOG_PRETTY: 'false',
    LOG_LEVEL: 'warn',
    ...extra,
  };
  return { env, api };
}

describe('the test command', () => {
  const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const config = ['run', '--config', 'tests/gates/vitest.fixtures.mts'];

  it('exits non-zero when a test fails, with the real global set-up', async () => {
    const r = await run(process.execPath, [vitest, ...config], { FIXTURE: 'red' });
    expect(r.output).toMatch(/Tests\s+1 failed/);
    expect(r.code).toBe(1);
  }, 180_000);

  it('exits 0 when nothing fails', async () => {
    const r = await run(process.execPath, [vitest, ...config], { FIXTURE: 'green' });
    expect(r.output).toMatch(/Tests\s+1 passed/);
    expect(r.code).toBe(0);
  }, 180_000);
});

describe('the start command', () => {
  const closed = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-closed-'));
  fs.chmodSync(closed, 0o700); // as `mktemp -d` makes it: only its owner may enter
  const dataDir = path.join(closed, 'clone', '.data');
  let current: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;

  afterAll(async () => {
    if (current && current.exitCode === null) {
      current.kill('SIGINT');
      await new Promise((r) => current!.once('exit', r));
    }
    fs.rmSync(closed, { recursive: true, force: true });
  });

  const start = () => startRectify(env, (c) => (current = c), 120);

  const leftovers = () =>
    listProcesses().filter(({ argv }) => argv.some((a) => a.includes(closed)) || argv.some((a) => a.includes(fs.realpathSync.native(dataDir))));

  it('runs from a closed folder, recovers from kill -9 with its data, and stops cleanly', async () => {
    let api: number;
    ({ env, api } = await startEnv(dataDir, { RECTIFY_DEMO: 'false', OFFICE_TOKEN: 'gate-office-token' }));
    const base = `http://127.0.0.1:${api}`;
    const headers = { authorization: 'Bearer gate-office-token', 'content-type': 'application/json' };

    const first = await start();
    const unit = await fetch(`${base}/api/v1/units`, { method: 'POST', headers, body: JSON.stringify({ name: '白城市住建局', kind: 'department' }) });
    expect(unit.status).toBe(201);
    const unitId = ((await unit.json()) as { id: string }).id;

    // A crash: the start process dies at once; its PostgreSQL and Temporal server live on.
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(leftovers().length).toBeGreaterThan(0);

    const second = await start();
    expect(second.output()).toContain('stopping the PostgreSQL an earlier start left running');
    expect(second.output()).toContain('stopping the Temporal dev server an earlier start left running');
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const units = (await (await fetch(`${base}/api/v1/units`, { headers })).json()) as { units: { id: string }[] };
    expect(units.units.map((u) => u.id)).toContain(unitId);

    // Ctrl-C: everything stops, nothing is left running, the data stays.
    second.child.kill('SIGINT');
    const code = await new Promise((r) => second.child.once('exit', r));
    expect(code).toBe(0);
    expect(leftovers()).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
  }, 400_000);
});

describe('the start command with its demo, in the console', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-walk-'));
  const shots = path.join(__dirname, '.artifacts');
  fs.mkdirSync(shots, { recursive: true });
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGINT');
      await new Promise((r) => child!.once('exit', r));
    }
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('a newcomer signs in with the printed tokens: the office sees the demo campaign, 洮北区 signs for an item', async () => {
    const { env, api } = await startEnv(path.join(folder, '.data'), {});
    // The demo on and the default office token, as a newcomer's `npm start` has them.
    delete env.RECTIFY_DEMO;
    delete env.OFFICE_TOKEN;
    const { output: printed } = await startRectify(env, (c) => (child = c), 240);
    const output = printed();
    // What the newcomer reads on the screen: the console's address and the demo's tokens.
    const consoleUrl = /Console\s+(http:\/\/\S+?)\/\s/.exec(output)?.[1];
    const officeToken = /office:\s+(\S+)/.exec(output)?.[1];
    const taobeiToken = /洮北区:\s+(\S+)/.exec(output)?.[1];
    expect({ consoleUrl, officeToken, taobeiToken }, output).toEqual({ consoleUrl: `http://127.0.0.1:${api}`, officeToken: expect.any(String), taobeiToken: 'demo-taobei' });

    const browser = await launchChromium();
    try {
      const signIn = (token: string, at: string) => signInAs(browser, consoleUrl!, token, { at });
      const office = await signIn(officeToken!, '/');
      await expect.poll(() => office.page.locator('main').textContent(), { timeout: 30_000 }).toContain('百日冲刺');
      await office.page.screenshot({ path: path.join(shots, 'demo-home.png'), fullPage: true });
      await office.page.locator('a.card.campaign', { hasText: '百日冲刺' }).click();
      await expect.poll(() => office.page.locator('table.ranking').textContent(), { timeout: 30_000 }).toContain('洮北区');
      await office.page.screenshot({ path: path.join(shots, 'demo-campaign.png'), fullPage: true });
      await office.ctx.close();

      const taobei = await signIn(taobeiToken!, '/login');
      expect(new URL(taobei.page.url()).pathname).toBe('/todo');
      const first = taobei.page.locator('#ack a[href^="/items/"]').first();
      const href = (await first.getAttribute('href'))!;
      await first.click();
      await taobei.page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
      await taobei.page.locator('details[data-action=acknowledge] summary').click();
      await taobei.page.locator('details[data-action=acknowledge] button[type=submit]').click();
      await expect.poll(() => taobei.page.locator('.flash').first().textContent(), { timeout: 30_000 }).toContain('签收：已办理');
      await taobei.page.screenshot({ path: path.join(shots, 'demo-item-taobei.png'), fullPage: true });
      await taobei.ctx.close();

      const item = (await (await fetch(`http://127.0.0.1:${api}/api/v1${href}`, { headers: { authorization: `Bearer ${officeToken}` } })).json()) as { units: { name: string; acknowledged: boolean }[] };
      expect(item.units.find((u) => u.name === '洮北区')?.acknowledged).toBe(true);
    } finally {
      await browser.close();
    }
    child!.kill('SIGINT');
    expect(await new Promise((r) => child!.once('exit', r))).toBe(0);
  }, 400_000);
});

