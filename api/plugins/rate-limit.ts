/**
 * A busy or hostile client cannot starve the others: every route is rate limited per caller —
 * per token when the request carries one (a unit's scripts share their unit's budget wherever
 * they run), else per address. The limit is a fixed window in memory, per API process; behind
 * several API processes put the same limit in the proxy or give the plugin a shared store.
 * 429 answers carry Retry-After and the standard RateLimit headers, in the one error shape.
 */
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import crypto from 'node:crypto';
import { AppError } from '../errors';

export interface RateLimitOptions {
  /** Requests per window and caller; 0 switches the limit off. */
  max: number;
  /** Window length in milliseconds. */
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 600, windowMs: 60_000 };

export default fp<RateLimitOptions>(
  async (app, opts) => {
    if (opts.max <= 0) return;
    await app.register(rateLimit, {
      global: true,
      max: opts.max,
      timeWindow: opts.windowMs,
      keyGenerator: (req) => {
        const auth = req.headers.authorization;
        // The token itself is never kept: a hash names the caller's bucket.
        return auth ? `token:${crypto.createHash('sha256').update(auth).digest('base64url').slice(0, 22)}` : `ip:${req.ip}`;
      },
      errorResponseBuilder: (_req, ctx) =>
        new AppError(429, 'RATE_LIMITED', `too many requests (${ctx.max} per ${Math.round(opts.windowMs / 1000)} s); retry in ${ctx.after} — 请求过于频繁，请稍后再试`, {
          retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
        }),
    });
  },
  { name: 'rate-limit' },
);
