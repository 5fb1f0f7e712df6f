import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/** pino, pretty-printed for people at a terminal, JSON lines for machines. */
export function createLogger(cfg: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>, name = 'rectify'): Logger {
  return pino({
    name,
    level: cfg.LOG_LEVEL,
    ...(cfg.LOG_PRETTY
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } } }
      : {}),
  });
}
