/**
 * The Idempotency-Key header every keyed route declares (item actions, 摘牌, the creates), and
 * what a create route taking one shares (services/idempotency.ts `once`): the
 * header in its schema — so the OpenAPI document lists it, and with it 422
 * (plugins/error-responses.ts) — the sentence its description gives, and how a replayed answer
 * is sent.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Answer } from '../services/idempotency';

export const idempotencyKeyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

export const IDEMPOTENT_CREATE =
  'Send `Idempotency-Key` to make a retry safe: the same key with the same body answers the first answer again (header `Idempotent-Replayed: true`), nothing is created twice; ' +
  '409 `IDEMPOTENCY_KEY_IN_USE` while the first request with the key is still running; 422 `IDEMPOTENCY_KEY_REUSED` with another body. A refused request does not use up its key.';

/** The answer `once` gave: a replay says so (as Stripe's Idempotent-Replayed does), so a client can tell. */
export function sendAnswer<B>(reply: FastifyReply, a: Answer<B> & { replayed: boolean }) {
  if (a.replayed) reply.header('idempotent-replayed', 'true');
  return reply.status(a.status).send(a.body);
}
