/**
 * A busy or hostile client cannot starve the others: every route is rate limited per caller —
 * per principal when the token names one (a unit's scripts share their unit's budget wherever
 * they run, whichever of its tokens they use), else per address: no token, a malformed one or
 * a made-up one all count against the address they come from, so inventing tokens buys nothing.
 * The limit runs as a route-level onRequest hook, and route-level hooks run after the app's own
 * — so after the auth plugin has resolved the principal, and before it refuses a caller without
 * one (preParsing) or anything reads a body.
 * The limit is a fixed window in memory, per API process; behind several API processes put the
 * same limit in the proxy or give the plugin a shared store. 429 answers carry Retry-After and
 * the standard RateLimit headers, in the one error shape.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors';
import { principalKey } from '../services/idempotency';

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
      hook: 'onRequest',
      keyGenerator: rateLimitKey,
      errorResponseBuilder: (_req, ctx) =>
        new AppError(429, 'RATE_LIMITED', `too many requests (${ctx.max} per ${Math.round(opts.windowMs / 1000)} s); retry in ${ctx.after} — 请求过于频繁，请稍后再试`, {
          retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
        }),
    });
  },
  { name: 'rate-limit' },
);

/** The bucket of a request: its resolved principal, else its address (never the raw header). */
export function rateLimitKey(req: FastifyRequest): string {
  return req.principal ? `principal:${principalKey(req.principal)}` : `ip:${req.ip}`;
}
