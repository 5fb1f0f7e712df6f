/**
 * Official letters to HTTP endpoints: a generic JSON webhook and the group robots of 企业微信,
 * 钉钉 and 飞书. Every request carries the delivery's idempotency key and message id as headers, so
 * a resend after a crash can be recognised. Robots answer HTTP 200 even when they refuse a message,
 * so success is read from the body (errcode / code 0). Failures are sorted for the delivery
 * activity: rate limits, 5xx, timeouts and network errors are retryable; a bad token, a missing
 * keyword or any other 4xx is permanent. Error messages name only the host: robot URLs carry
 * their access token, and errors end up in the ledger.
 */
import { headerValue } from './header-value';
import { webhookPayload } from './payloads';
import { DeliveryError, type Channel, type OutgoingLetter, type SendResult, type WebhookKind } from './types';

export interface WebhookChannelOptions {
  fetch?: typeof fetch;
  /** Whole request, body included; default 15 s. */
  timeoutMs?: number;
}

/** Robot error codes that mean "too many messages, try later". */
const RATE_LIMITED: Record<Exclude<WebhookKind, 'webhook'>, ReadonlySet<number>> = {
  wecom: new Set([45009, -1]), // api freq out of limit; -1 system busy
  dingtalk: new Set([130101]), // send too fast
  feishu: new Set([11232]), // frequency limited
};

const ROBOT_NAME = { webhook: 'webhook', wecom: '企业微信机器人', dingtalk: '钉钉机器人', feishu: '飞书机器人' } as const;

interface RobotVerdict {
  code: number;
  message: string;
}

/** What a robot's JSON answer says: its code and message, or null when it is not a robot answer. */
function robotVerdict(kind: Exclude<WebhookKind, 'webhook'>, body: unknown): RobotVerdict | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const pick = (codeKey: string, msgKey: string): RobotVerdict | null =>
    typeof b[codeKey] === 'number' ? { code: b[codeKey] as number, message: String(b[msgKey] ?? '') } : null;
  if (kind === 'feishu') return pick('code', 'msg') ?? pick('StatusCode', 'StatusMessage');
  return pick('errcode', 'errmsg');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function target(address: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new DeliveryError('webhook not called: the address is not a URL', true);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DeliveryError(`webhook not called: unsupported scheme ${url.protocol}`, true);
  return url;
}

function providerId(kind: WebhookKind, res: Response, body: unknown): string {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const header = res.headers.get('x-request-id') ?? res.headers.get('x-tt-logid');
  if (kind === 'webhook') {
    const id = b.id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
    return header ?? `http-${res.status}`;
  }
  const data = b.data as Record<string, unknown> | undefined;
  if (kind === 'feishu' && typeof data?.message_id === 'string') return data.message_id;
  return header ?? (kind === 'feishu' ? 'code-0' : 'errcode-0');
}

export function createWebhookChannel(kind: WebhookKind, opts: WebhookChannelOptions = {}): Channel {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const name = ROBOT_NAME[kind];

  async function send(address: string, letter: OutgoingLetter): Promise<SendResult> {
    const url = target(address);
    const where = `${name} ${url.host}`;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'Idempotency-Key': headerValue(letter.idempotencyKey),
          'X-Rectify-Message-Id': headerValue(letter.messageId),
        },
        body: JSON.stringify(webhookPayload(kind, letter)),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const e = err as Error;
      const reason = e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${timeoutMs} ms` : `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}`;
      throw new DeliveryError(`${where}: ${reason}`, false);
    }

    const body = parseJson(text);
    const retryableStatus = res.status === 429 || res.status >= 500;
    if (kind === 'webhook') {
      if (res.ok) return { providerMessageId: providerId(kind, res, body) };
      if (res.status >= 300 && res.status < 400) throw new DeliveryError(`${where}: HTTP ${res.status} redirect; configure the final address`, true);
      throw new DeliveryError(`${where}: HTTP ${res.status}${text ? ` ${text.slice(0, 200)}` : ''}`, !retryableStatus);
    }

    const verdict = robotVerdict(kind, body);
    if (res.ok && verdict?.code === 0) return { providerMessageId: providerId(kind, res, body) };
    if (verdict && verdict.code !== 0) {
      const rateLimited = RATE_LIMITED[kind].has(verdict.code) || retryableStatus;
      throw new DeliveryError(`${where} refused the message: ${verdict.message} (code ${verdict.code})`, !rateLimited);
    }
    if (!res.ok) throw new DeliveryError(`${where}: HTTP ${res.status}`, !retryableStatus);
    throw new DeliveryError(`${where}: HTTP ${res.status} but the answer is not a robot's (${text.slice(0, 100) || 'empty'}); check the address`, true);
  }

  return { send };
}
