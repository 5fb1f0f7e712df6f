/**
 * Webhook and group-robot delivery against a real local HTTP server that answers like the generic
 * endpoint, 企业微信, 钉钉 and 飞书 do: what arrives (headers for de-duplication, the robots' message
 * shapes with the 文号 and the link), and how each kind of failure is sorted — a robot's refusal
 * inside an HTTP 200, rate limits, 5xx, 4xx, redirects, timeouts, nobody listening.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannels, createWebhookChannel, DeliveryError, messageIdFor, type WebhookKind } from '../../delivery';
import { sampleLetter } from './letter';

interface Recorded {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

type Reply = { status?: number; json?: unknown; text?: string; headers?: Record<string, string>; delayMs?: number };

const ROUTES: Record<string, Reply> = {
  '/generic/with-id': { json: { id: 'evt_123', ok: true } },
  '/generic/request-id': { status: 202, headers: { 'x-request-id': 'req-9' } },
  '/generic/bare': { status: 204 },
  '/wecom/ok': { json: { errcode: 0, errmsg: 'ok' } },
  '/wecom/invalid-key': { json: { errcode: 93000, errmsg: 'invalid webhook url, hint: [1689300000_1], from ip: 1.2.3.4' } },
  '/wecom/limit': { json: { errcode: 45009, errmsg: 'api freq out of limit' } },
  '/dingtalk/ok': { json: { errcode: 0, errmsg: 'ok' } },
  '/dingtalk/keyword': { json: { errcode: 310000, errmsg: 'keywords not in content' } },
  '/dingtalk/limit': { json: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } },
  '/feishu/ok': { json: { code: 0, msg: 'success', data: { message_id: 'om_abc123' } } },
  '/feishu/legacy': { json: { Extra: null, StatusCode: 0, StatusMessage: 'success' }, headers: { 'x-request-id': 'fs-req-1' } },
  '/feishu/sign': { json: { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' } },
  '/feishu/limit': { json: { code: 11232, msg: 'frequency limited' } },
  '/feishu/token-400': { status: 400, json: { code: 19001, msg: 'param invalid: incoming webhook access token invalid' } },
  '/status/500': { status: 500, text: 'internal error' },
  '/status/502': { status: 502 },
  '/status/429': { status: 429 },
  '/status/404': { status: 404, text: 'not found' },
  '/status/401': { status: 401 },
  '/redirect': { status: 302, headers: { location: '/wecom/ok' } },
  '/html': { text: '<html><body>飞书开放平台</body></html>', headers: { 'content-type': 'text/html' } },
  '/slow': { delayMs: 3000, json: { errcode: 0, errmsg: 'ok' } },
};

const requests: Recorded[] = [];
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path, headers: req.headers, body: text ? JSON.parse(text) : undefined });
      const reply = ROUTES[path] ?? { status: 404 };
      const answer = () => {
        if (res.destroyed) return;
        const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
        res.end(body);
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs).unref();
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function send(kind: WebhookKind, path: string, letter = sampleLetter(), timeoutMs?: number) {
  const before = requests.length;
  const result = await createWebhookChannel(kind, { timeoutMs }).send(base + path, letter);
  expect(requests.length).toBe(before + 1);
  return { result, request: requests.at(-1)! };
}

async function failure(kind: WebhookKind, address: string, timeoutMs?: number): Promise<DeliveryError> {
  const err = await createWebhookChannel(kind, { timeoutMs }).send(address, sampleLetter()).then(
    () => {
      throw new Error('expected the send to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

describe('generic webhook', () => {
  it('POSTs the letter as JSON with Idempotency-Key and X-Rectify-Message-Id', async () => {
    const letter = sampleLetter({ idempotencyKey: 'letter:7f3c/unit:u1/webhook/hooks.example.cn' });
    letter.messageId = messageIdFor(letter.idempotencyKey);
    const { result, request } = await send('webhook', '/generic/with-id', letter);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toBe('letter:7f3c/unit:u1/webhook/hooks.example.cn');
    expect(request.headers['x-rectify-message-id']).toBe(messageIdFor('letter:7f3c/unit:u1/webhook/hooks.example.cn'));
    expect(request.body).toMatchObject({
      event: 'letter.issued',
      messageId: letter.messageId,
      idempotencyKey: letter.idempotencyKey,
      docNumber: '白振办函〔2023〕12号',
      unitName: '洮北区人民政府',
      role: 'to',
      issuedOn: '2023-07-14',
      url: letter.url,
    });
    expect(result.providerMessageId).toBe('evt_123');
  });

  it('a key with Chinese travels percent-encoded and decodes back; a resend carries the same ids', async () => {
    const letter = sampleLetter();
    const first = await send('webhook', '/generic/with-id', letter);
    const again = await send('webhook', '/generic/with-id', letter);
    expect(decodeURIComponent(first.request.headers['idempotency-key'] as string)).toBe(letter.idempotencyKey);
    expect(again.request.headers['idempotency-key']).toBe(first.request.headers['idempotency-key']);
    expect(again.request.headers['x-rectify-message-id']).toBe(first.request.headers['x-rectify-message-id']);
  });

  it('providerMessageId falls back to x-request-id, then to the HTTP status', async () => {
    expect((await send('webhook', '/generic/request-id')).result.providerMessageId).toBe('req-9');
    expect((await send('webhook', '/generic/bare')).result.providerMessageId).toBe('http-204');
  });
});

describe('group robots', () => {
  it('企业微信: a markdown message with the 文号 and the link', async () => {
    const letter = sampleLetter();
    const { result, request } = await send('wecom', '/wecom/ok', letter);
    expect(request.body.msgtype).toBe('markdown');
    expect(request.body.markdown.content).toContain('白振办函〔2023〕12号');
    expect(request.body.markdown.content).toContain(`[查看并签收](${letter.url})`);
    expect(result.providerMessageId).not.toBe('');
  });

  it('钉钉: a markdown message with a title, the 文号 and the link', async () => {
    const letter = sampleLetter();
    const { request } = await send('dingtalk', '/dingtalk/ok', letter);
    expect(request.body.msgtype).toBe('markdown');
    expect(request.body.markdown.title).toContain(letter.title);
    expect(request.body.markdown.text).toContain('白振办函〔2023〕12号');
    expect(request.body.markdown.text).toContain(letter.url);
  });

  it('飞书: a post with the 文号 and a link element; message_id from the answer, or the legacy StatusCode answer', async () => {
    const letter = sampleLetter();
    const { result, request } = await send('feishu', '/feishu/ok', letter);
    expect(request.body.msg_type).toBe('post');
    const lines = request.body.content.post.zh_cn.content as { tag: string; text: string; href?: string }[][];
    expect(lines.flat().map((e) => e.text).join('\n')).toContain('白振办函〔2023〕12号');
    expect(lines.flat()).toContainEqual({ tag: 'a', text: '查看并签收', href: letter.url });
    expect(result.providerMessageId).toBe('om_abc123');
    expect((await send('feishu', '/feishu/legacy')).result.providerMessageId).toBe('fs-req-1');
  });

  it.each([
    ['dingtalk', '/dingtalk/keyword', 'keywords not in content'],
    ['wecom', '/wecom/invalid-key', 'invalid webhook url'],
    ['feishu', '/feishu/sign', 'sign match fail'],
    ['feishu', '/feishu/token-400', 'access token invalid'],
  ] as const)('%s refusing the message (%s) is permanent and says why', async (kind, path, says) => {
    const err = await failure(kind, base + path);
    expect(err.permanent).toBe(true);
    expect(err.message).toContain(says);
  });

  it.each([
    ['wecom', '/wecom/limit', '45009'],
    ['dingtalk', '/dingtalk/limit', '130101'],
    ['feishu', '/feishu/limit', '11232'],
  ] as const)('%s rate limit (%s) is retryable', async (kind, path, code) => {
    const err = await failure(kind, base + path);
    expect(err.permanent).toBe(false);
    expect(err.message).toContain(code);
  });

  it('an HTTP 200 that is not a robot answer (wrong address) is permanent, not success', async () => {
    const err = await failure('feishu', base + '/html');
    expect(err.permanent).toBe(true);
    expect((await failure('wecom', base + '/generic/bare')).permanent).toBe(true);
  });

  it('error messages name the host but never the token in the robot URL', async () => {
    const err = await failure('wecom', `${base}/wecom/invalid-key?key=693a91f6-SECRET-TOKEN`);
    expect(err.message).toContain('127.0.0.1');
    expect(err.message).not.toContain('SECRET');
  });
});

describe('failures by transport', () => {
  it.each(['webhook', 'wecom'] as const)('%s: HTTP 500, 502 and 429 are retryable; 404, 401 and redirects are permanent', async (kind) => {
    for (const path of ['/status/500', '/status/502', '/status/429']) {
      const err = await failure(kind, base + path);
      expect(err.permanent, path).toBe(false);
      expect(err.message).toContain(path.slice(-3));
    }
    for (const path of ['/status/404', '/status/401', '/redirect']) {
      expect((await failure(kind, base + path)).permanent, path).toBe(true);
    }
  });

  it('an endpoint slower than timeoutMs is retryable', async () => {
    const started = Date.now();
    const err = await failure('wecom', base + '/slow', 200);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err.permanent).toBe(false);
    expect(err.message).toContain('200 ms');
  });

  it('nobody listening is retryable', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect((await failure('webhook', `http://127.0.0.1:${port}/hook`)).permanent).toBe(false);
  });

  it('an address that is not an http(s) URL is permanent', async () => {
    expect((await failure('webhook', 'zhenggai@taobei.gov.cn')).permanent).toBe(true);
    expect((await failure('dingtalk', 'ftp://oapi.dingtalk.com/robot/send')).permanent).toBe(true);
  });

  it('createChannels uses the given fetch for every webhook kind', async () => {
    const seen: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response(JSON.stringify({ errcode: 0, code: 0 }), { status: 200 });
    };
    const channels = createChannels({ smtpUrl: null, mailFrom: 'x@y.cn', fetch: fakeFetch });
    for (const kind of ['webhook', 'wecom', 'dingtalk', 'feishu'] as const) {
      await channels[kind].send(`https://hooks.example.cn/${kind}`, sampleLetter());
    }
    channels.close();
    expect(seen).toEqual(['webhook', 'wecom', 'dingtalk', 'feishu'].map((k) => `https://hooks.example.cn/${k}`));
  });
});
