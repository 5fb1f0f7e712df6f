/**
 * Temporal's time-skipping test server, started by us rather than by the SDK. The SDK's own
 * start (TestWorkflowEnvironment.createTimeSkipping) gives the JVM a fixed 5 s to open its port,
 * a bound in sdk-core that a cold JVM misses on a busy two-core machine — worst when test files
 * run side by side. Here the JVM gets as long as it needs (up to a minute, then the run fails
 * saying so, with the server's own output), and the environment connects to it as an existing
 * server with time skipping on. Used by the tests and by the simulator (simulation/), which lives
 * through a campaign's weeks in minutes on it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort } from './free-port';
import { portInUse } from './temporal-dev-server';

const START_TIMEOUT_MS = 60_000;

/**
 * `TestWorkflowEnvironment.create` is the constructor path every public factory uses; it is
 * private in the typings, and the public `createFromExistingServer` turns time skipping off.
 * Called with the same options createTimeSkipping passes, but for a server we started.
 */
type Create = (opts: { server: { type: 'existing' }; supportsTimeSkipping: true; address: string; namespace: string }) => Promise<TestWorkflowEnvironment>;

export interface TimeSkippingServer {
  env: TestWorkflowEnvironment;
  /** Closes the environment's connections and stops the JVM. */
  teardown(): Promise<void>;
}

/** `wrapper` is the provisioned start script (infra/time-skipping-server.ts); `clock` starts the server's clock at that instant. */
export async function startTimeSkippingServer(wrapper: string, opts: { clock?: string } = {}): Promise<TimeSkippingServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (opts.clock) env.RECTIFY_TEST_CLOCK = opts.clock;
  else delete env.RECTIFY_TEST_CLOCK;
  // As sdk-core starts it: the port only. Time skipping is then the client's to lock and unlock (the
  // environment's client does), not on from the start (--enable-time-skipping would skip time between calls).
  const child = spawn(wrapper, [String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4000)));
  child.stderr!.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4000)));
  try {
    await waitForPort(port, child, () => output);
    const create = (TestWorkflowEnvironment as unknown as { create: Create }).create.bind(TestWorkflowEnvironment);
    const testEnv = await create({ server: { type: 'existing' }, supportsTimeSkipping: true, address: `127.0.0.1:${port}`, namespace: 'default' });
    return {
      env: testEnv,
      async teardown() {
        await testEnv.teardown();
        await stop(child);
      },
    };
  } catch (err) {
    await stop(child);
    throw err;
  }
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the time-skipping server exited (${child.exitCode ?? child.signalCode}) before it listened:\n${output()}`);
    if (await portInUse(port)) return;
    if (Date.now() > deadline) throw new Error(`the time-skipping server did not listen on ${port} within ${START_TIMEOUT_MS / 1000} s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

