/**
 * Official letters by e-mail over SMTP (nodemailer): the .docx and .pdf attached, the plain-text
 * body from payloads.ts, and a Message-ID derived from the delivery's idempotency key, so that a
 * resend after a crash is the same message to the receiving server and mail clients. Failures are
 * sorted for the delivery activity: a 5xx or a malformed address will not get better by trying
 * again (permanent); a 4xx, a timeout or a dropped connection may (retryable).
 */
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { headerValue } from './header-value';
import { mailSubject, mailText } from './payloads';
import { DeliveryError, type Channel, type OutgoingLetter, type SendResult } from './types';

export interface EmailChannelOptions {
  /** smtp://user:pass@host:port (smtps:// for implicit TLS). */
  url: string;
  /** The From address, e.g. "白城市整改办 <noreply@example.gov.cn>". */
  from: string;
  tls?: { rejectUnauthorized: boolean };
}

/** Errors that name a mistake in the message or the configuration rather than a passing condition. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EAUTH', 'ENOAUTH', 'ECONFIG', 'EREQUIRETLS']);

/** The queue id in "250 2.0.0 Ok: queued as 4F2B91C0A3" (Postfix, smtp-server, many relays). */
function queueId(response: string): string {
  return /queued as\s+<?([^\s>]+)>?/i.exec(response)?.[1] ?? response;
}

/** A single bare address, or null when the text is not exactly one address. */
function singleAddress(text: string): string | null {
  const parsed = addressparser(text.trim(), { flatten: true });
  if (parsed.length !== 1) return null;
  const address = parsed[0]!.address;
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) ? address : null;
}

/** A 5xx reply is final; a 4xx reply, a timeout or a dropped connection is worth another try. */
export function classifySmtpError(err: unknown): DeliveryError {
  const e = (err ?? {}) as { code?: string; responseCode?: number; message?: string };
  const message = `e-mail not sent: ${e.message ?? String(err)}`;
  if (typeof e.responseCode === 'number') return new DeliveryError(message, e.responseCode >= 500);
  return new DeliveryError(message, e.code !== undefined && PERMANENT_CODES.has(e.code));
}

export function createEmailChannel(opts: EmailChannelOptions): Channel & { close(): void } {
  const transport = nodemailer.createTransport({
    url: opts.url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    dnsTimeout: 10_000,
    // Attachments are always Buffers; never let message content read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(opts.tls ? { tls: opts.tls } : {}),
  } satisfies SMTPTransport.Options);

  async function send(address: string, letter: OutgoingLetter): Promise<SendResult> {
    const to = singleAddress(address);
    if (!to) throw new DeliveryError(`e-mail not sent: invalid recipient address ${JSON.stringify(address)}`, true);
    let info: SMTPTransport.SentMessageInfo;
    try {
      info = await transport.sendMail({
        from: opts.from,
        to: { name: letter.unitName, address: to },
        subject: mailSubject(letter),
        text: mailText(letter),
        messageId: `<${letter.messageId}>`,
        headers: { 'X-Rectify-Idempotency-Key': headerValue(letter.idempotencyKey) },
        attachments: letter.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
      });
    } catch (err) {
      throw classifySmtpError(err);
    }
    if (info.rejected.length > 0) throw new DeliveryError(`e-mail not sent: recipient rejected: ${info.response}`, true);
    return { providerMessageId: queueId(info.response) || info.messageId };
  }

  return { send, close: () => transport.close() };
}
