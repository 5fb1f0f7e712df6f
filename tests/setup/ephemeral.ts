/**
 * Starting Temporal's dev server for the suite through the SDK, which gives a server 5 seconds
 * to accept a connection —
 * a bound fixed in sdk-core (ephemeral_server/mod.rs), too short on a busy two-core machine. The
 * SDK kills the child when that bound passes, so a fresh attempt starts clean: up to three.
 * Any other failure, or the third timeout, fails the run as before. (The time-skipping servers,
 * one per file, are started without that bound: infra/time-skipping-env.ts.)
 */
const STARTUP_TIMEOUT = /did not start within/;
const ATTEMPTS = 3;

export async function startEphemeral<T>(what: string, start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= ATTEMPTS || !STARTUP_TIMEOUT.test(String((err as Error)?.message ?? err))) throw err;
      console.warn(`[setup] ${what} did not answer within the SDK's 5 s (attempt ${attempt} of ${ATTEMPTS}); starting it again`);
    }
  }
}
