/**
 * Keeps a child server of the start command running (the embedded PostgreSQL, the Temporal dev
 * server): when it exits without being asked to, it is started again in place, after a backoff
 * (1 s, doubling to 30 s; back to 1 s once a run lasted a minute), with a log line each time.
 * After `maxFailedStarts` starts in a row that fail, it gives up and calls `onGiveUp` (the start
 * command exits non-zero, so a supervisor above it — systemd, Docker — takes over).
 */
export interface Child {
  /** Resolves when the process has exited, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export interface Supervisor<T extends Child> {
  /** The running instance (the latest one). */
  current(): T;
  /** How many times it was restarted. */
  restarts(): number;
  /**
   * Stops supervising, leaving the child be: at the start of a shutdown (Ctrl-C reaches the
   * embedded PostgreSQL too, in the same process group, and its exit then is no crash).
   */
  release(): void;
  /** Stops supervising, then the child. */
  stop(): Promise<void>;
}

export function supervise<T extends Child>(opts: {
  name: string;
  /** The instance already running (started by the caller, so start-up errors stay the caller's). */
  first: T;
  start: () => Promise<T>;
  log: (msg: string) => void;
  onRestart?: (child: T) => void;
  onGiveUp?: (err: unknown) => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A run this long resets the backoff. */
  stableAfterMs?: number;
  maxFailedStarts?: number;
}): Supervisor<T> {
  const initial = opts.initialBackoffMs ?? 1_000;
  const max = opts.maxBackoffMs ?? 30_000;
  const stableAfter = opts.stableAfterMs ?? 60_000;
  const maxFailed = opts.maxFailedStarts ?? 10;
  let child = opts.first;
  let startedAt = Date.now();
  let backoff = initial;
  let restarts = 0;
  let stopping = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const watch = async (c: T) => {
    const { code, signal } = await c.exited;
    if (stopping || c !== child) return;
    if (Date.now() - startedAt >= stableAfter) backoff = initial;
    let failed = 0;
    for (;;) {
      opts.log(`${opts.name} exited unexpectedly (code ${code}, signal ${signal}); restarting in ${backoff / 1000} s (restart #${restarts + 1})`);
      await sleep(backoff);
      backoff = Math.min(max, backoff * 2);
      if (stopping) return;
      try {
        const next = await opts.start();
        if (stopping) {
          await next.stop();
          return;
        }
        child = next;
        startedAt = Date.now();
        restarts++;
        opts.log(`${opts.name} restarted (restart #${restarts})`);
        opts.onRestart?.(next);
        void watch(next);
        return;
      } catch (err) {
        failed++;
        opts.log(`${opts.name} did not start again (${(err as Error)?.message ?? err})${failed >= maxFailed ? '; giving up' : ''}`);
        if (failed >= maxFailed) {
          opts.onGiveUp?.(err);
          return;
        }
      }
    }
  };
  void watch(child);

  return {
    current: () => child,
    restarts: () => restarts,
    release() {
      stopping = true;
      wake?.();
    },
    async stop() {
      stopping = true;
      wake?.();
      await child.stop();
    },
  };
}
