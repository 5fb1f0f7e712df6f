import { condition } from '@temporalio/workflow';

/**
 * One thing at a time inside a workflow: a user's action and the timer work never interleave,
 * so every event recorded carries a state that includes everything before it. `enabled` is a
 * patch decision: runs recorded before the lock existed replay without it.
 */
export class SerialLock {
  private busy = false;
  constructor(private readonly enabled: boolean) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.enabled) return fn();
    await condition(() => !this.busy);
    return this.hold(fn);
  }

  /** Takes the lock without waiting: for the first steps, which nothing can hold it before. */
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    this.busy = this.enabled;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }
}
