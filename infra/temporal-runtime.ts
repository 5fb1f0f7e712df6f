/**
 * Routes the Temporal SDK's own logs (worker, workflows, activities) into pino, so every line
 * carries the workflow id, run id and activity type the SDK attaches.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from './logger';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * `handleSignals: false` for processes that orchestrate their own shutdown (the start command):
 * the SDK otherwise catches SIGINT itself and ends the process after draining its workers,
 * before the Temporal server and PostgreSQL have been stopped in order.
 */
export function installTemporalRuntime(log: Logger, level: LogLevel = 'INFO', handleSignals = true): void {
  const temporalLog = log.child({ component: 'temporal' });
  Runtime.install({
    ...(handleSignals ? {} : { shutdownSignals: [] }),
    logger: new DefaultLogger(level, (entry) => {
      const { sdkComponent: _c, taskQueue: _q, ...meta } = (entry.meta ?? {}) as Record<string, unknown>;
      temporalLog[LEVELS[entry.level]](meta, entry.message);
    }),
  });
}
