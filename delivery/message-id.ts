/**
 * The message id of a delivery, derived from its idempotency key alone: a resend after a crash
 * (the ledger row left in 'sending') carries the same id as the first attempt, so receivers that
 * de-duplicate by Message-ID or X-Rectify-Message-Id can recognise the copy.
 */
import { createHash } from 'node:crypto';

/** `<40 hex of sha256(key)>@<domain>`, without angle brackets. */
export function messageIdFor(idempotencyKey: string, domain = 'rectify.local'): string {
  const hex = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 40);
  return `${hex}@${domain}`;
}
