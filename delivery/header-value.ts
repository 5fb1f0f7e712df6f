/**
 * Idempotency keys may hold any text (unit names, addresses), but header values travel best as
 * plain ASCII: SMTP would MIME-encode them (`=?UTF-8?Q?…?=`, which receivers do not decode for
 * custom headers) and fetch refuses characters beyond Latin-1 outright. Every character outside
 * printable ASCII, and '%' itself, is percent-encoded: an ASCII key goes out unchanged, any key
 * comes back with decodeURIComponent, and the same key always gives the same header.
 */
export function headerValue(text: string): string {
  return text.replace(/[^\x20-\x24\x26-\x7e]/gu, (c) => encodeURIComponent(c));
}
