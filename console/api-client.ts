/**
 * The console is a client of the API it is served with: every page reads, and every form acts,
 * through `/api/v1` with the signed-in person's own token (in-process, `app.inject`). Access,
 * validation, idempotency and the error messages are the API's — decided once, for both.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface ApiError {
  statusCode: number;
  code?: string;
  message?: string;
  messageZh?: string;
  details?: { path: string; message: string }[];
}

export class ConsoleApiError extends Error {
  /** The API's status, for the console's error page (a 403 stays a 403, a 429 a 429). */
  readonly statusCode: number;
  constructor(readonly status: number, readonly body: ApiError) {
    super(body.messageZh ?? body.message ?? `HTTP ${status}`);
    this.statusCode = status;
  }
}

export interface ApiClient {
  get<T>(url: string): Promise<T>;
  /** A write: the answer whatever its status (forms show refusals, they do not throw them). */
  send<T = unknown>(method: 'POST' | 'PUT', url: string, payload: object, idempotencyKey?: string): Promise<{ status: number; body: T & ApiError }>;
  /** A body as it is (a spreadsheet for the import). */
  sendRaw<T = unknown>(url: string, body: Buffer, contentType: string): Promise<{ status: number; body: T & ApiError }>;
  /**
   * A file the API serves (a letter's PDF, an evidence file, the ledger), passed on to the browser
   * with the named headers. Not there, or not this person's to see (403), is the console's 404.
   */
  download(reply: FastifyReply, url: string, pass?: string[]): Promise<FastifyReply>;
  /** A write answered with a document (a letter template's sample): its bytes and headers, or the API's refusal. */
  sendForDocument(url: string, payload: object): Promise<{ status: number; headers: Record<string, string>; bytes: Buffer; error: ApiError | null }>;
  /** Files as multipart/form-data (field `files`), as a browser would send them. */
  upload<T = unknown>(url: string, files: { name: string; bytes: Buffer }[]): Promise<{ status: number; body: T & ApiError }>;
}

export function apiClient(app: FastifyInstance, token: string, requestId: string): ApiClient {
  const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, 'x-request-id': requestId, ...extra });
  return {
    async get<T>(url: string): Promise<T> {
      const r = await app.inject({ method: 'GET', url, headers: headers() });
      const body = r.json();
      if (r.statusCode >= 400) throw new ConsoleApiError(r.statusCode, body);
      return body as T;
    },
    async download(reply: FastifyReply, url: string, pass = ['content-type', 'content-disposition']) {
      const r = await app.inject({ method: 'GET', url, headers: headers() });
      if (r.statusCode !== 200) throw Object.assign(new Error(`download ${url}`), { statusCode: r.statusCode === 403 ? 404 : r.statusCode });
      for (const h of pass) if (r.headers[h]) reply.header(h, r.headers[h] as string);
      return reply.send(r.rawPayload);
    },
    async sendForDocument(url: string, payload: object) {
      const r = await app.inject({ method: 'POST', url, payload, headers: headers() });
      const h = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
      return { status: r.statusCode, headers: h, bytes: r.rawPayload, error: r.statusCode >= 400 ? (r.json() as ApiError) : null };
    },
    async sendRaw<T>(url: string, body: Buffer, contentType: string) {
      const r = await app.inject({ method: 'POST', url, payload: body, headers: headers({ 'content-type': contentType }) });
      return { status: r.statusCode, body: r.json() as T & ApiError };
    },
    async upload<T>(url: string, files: { name: string; bytes: Buffer }[]) {
      const boundary = `----rectify${crypto.randomBytes(12).toString('hex')}`;
      const quoted = (s: string) => s.replace(/["\r\n\\]/g, '_');
      const payload = Buffer.concat([
        ...files.flatMap((f) => [
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${quoted(f.name)}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8'),
          f.bytes,
          Buffer.from('\r\n'),
        ]),
        Buffer.from(`--${boundary}--\r\n`),
      ]);
      const r = await app.inject({ method: 'POST', url, payload, headers: headers({ 'content-type': `multipart/form-data; boundary=${boundary}` }) });
      return { status: r.statusCode, body: r.json() as T & ApiError };
    },
    async send<T>(method: 'POST' | 'PUT', url: string, payload: object, idempotencyKey?: string) {
      const r = await app.inject({ method, url, payload, headers: headers(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) });
      return { status: r.statusCode, body: r.json() as T & ApiError };
    },
  };
}

/** A refusal as the person reads it: the Chinese message, then the fields it names. */
/** Refusals a person meets only through a form's key: said as what to do. */
const KEY_REFUSALS: Record<string, string> = {
  IDEMPOTENCY_KEY_REUSED: '页面已过期，请刷新后重试',
  IDEMPOTENCY_KEY_IN_USE: '正在处理上一次提交，请稍候刷新查看',
};

export function refusalText(e: ApiError): string {
  if (e.code && KEY_REFUSALS[e.code]) return KEY_REFUSALS[e.code]!;
  const head = e.messageZh ?? e.message ?? '操作未成功';
  const fields = (e.details ?? []).map((d) => `${d.path.replace(/^body\./, '')}：${d.message}`);
  return fields.length ? `${head}（${fields.join('；')}）` : head;
}
