/**
 * A minimal client for S3-compatible object stores (AWS S3, MinIO, Ceph RGW, the OSS/COS/OBS S3
 * gateways): PUT and GET of whole objects, and making sure the bucket exists. Written against the
 * protocol with node:crypto and fetch rather than the AWS SDK: three calls do not justify a large
 * dependency tree on a government network where every package is reviewed.
 */
import crypto from 'node:crypto';

export interface S3Options {
  /** e.g. https://s3.us-east-1.amazonaws.com or http://minio.internal:9000 (a path prefix is kept). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /**
   * http://endpoint/bucket/key (true) or http://bucket.endpoint/key (false). Self-hosted stores
   * rarely have a wildcard DNS name per bucket, hence true by default.
   */
  forcePathStyle: boolean;
  /** Per request. A store that hangs must not hold an upload (and its client) for ever. */
  timeoutMs?: number;
}

/** Anything that kept a call from succeeding: unreachable, timed out, or an S3 error answer. */
export class S3Error extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the store answered. */
    readonly status?: number,
    /** S3's error code (NoSuchKey, AccessDenied, …), when it said one. */
    readonly s3Code?: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

export const DEFAULT_S3_TIMEOUT_MS = 30_000;
const EMPTY_SHA256 = crypto.createHash('sha256').digest('hex');

export function createS3Client(opts: S3Options) {
  const base = new URL(opts.endpoint);
  const prefix = base.pathname.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_S3_TIMEOUT_MS;

  function urlOf(key?: string): URL {
    const segments = key === undefined ? [] : key.split('/').map(uriEncode);
    if (opts.forcePathStyle) return new URL(`${base.protocol}//${base.host}${prefix}/${[uriEncode(opts.bucket), ...segments].join('/')}`);
    return new URL(`${base.protocol}//${opts.bucket}.${base.host}${prefix}/${segments.join('/')}`);
  }

  async function send(method: string, url: URL, body?: Buffer): Promise<Response> {
    // The real payload hash, signed: the store recomputes it and refuses a body damaged on the way
    // (AWS S3 and MinIO do; an unsigned payload would store whatever arrived).
    const payloadHash = body ? sha256Hex(body) : EMPTY_SHA256;
    const headers: Record<string, string> = { 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate(new Date()) };
    headers.authorization = signV4({ method, url, headers, payloadHash, region: opts.region, accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey });
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: body ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : undefined,
        // A signed request must not be replayed elsewhere: a redirect (wrong region) is an error.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new S3Error(`S3 ${method} ${url.pathname}: ${(err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'unreachable'}`, undefined, undefined, err);
    }
    return res;
  }

  async function failure(method: string, url: URL, res: Response): Promise<S3Error> {
    const text = await res.text().catch(() => '');
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    return new S3Error(`S3 ${method} ${url.pathname}: ${res.status}${code ? ` ${code}` : ''}`, res.status, code);
  }

  return {
    bucket: opts.bucket,

    async putObject(key: string, body: Buffer): Promise<void> {
      const url = urlOf(key);
      const res = await send('PUT', url, body);
      if (!res.ok) throw await failure('PUT', url, res);
      await res.body?.cancel();
    },

    /** The object's bytes; undefined when there is no such key. */
    async getObject(key: string): Promise<Buffer | undefined> {
      const url = urlOf(key);
      const res = await send('GET', url);
      if (res.status === 404) {
        const err = await failure('GET', url, res);
        // Only S3's own NoSuchKey means the object is not there; a bare 404 (a proxy, a wrong
        // path prefix) or NoSuchBucket means the configuration is wrong, not the file gone.
        if (err.s3Code === 'NoSuchKey') return undefined;
        throw err;
      }
      if (!res.ok) throw await failure('GET', url, res);
      // The connection can drop (or time out) while the body streams in: the store is away, as at the start.
      const body = await res.arrayBuffer().catch((err: unknown) => {
        throw new S3Error(`GET ${url.pathname}: the answer broke off`, undefined, undefined, err);
      });
      return Buffer.from(body);
    },

    /** Creates the bucket when it is missing (a fresh MinIO, a test); an existing one is left alone. */
    async ensureBucket(): Promise<void> {
      const url = urlOf();
      const head = await send('HEAD', url);
      // 403: a key that may write objects but not list the bucket (a common least-privilege
      // policy). The bucket is most likely there; if not, the PUT of the object will say so.
      if (head.ok || head.status === 403) return;
      if (head.status !== 404) throw await failure('HEAD', url, head);
      // Outside us-east-1, S3 wants the region in the body; the others ignore it.
      const body =
        opts.region === 'us-east-1'
          ? undefined
          : Buffer.from(`<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${opts.region}</LocationConstraint></CreateBucketConfiguration>`);
      const res = await send('PUT', url, body);
      if (res.ok) return void (await res.body?.cancel());
      const err = await failure('PUT', url, res);
      // Another instance creating it at the same moment is as good as us.
      if (err.s3Code === 'BucketAlreadyOwnedByYou') return;
      throw err;
    },
  };
}
export type S3Client = ReturnType<typeof createS3Client>;

export interface SignInput {
  method: string;
  url: URL;
  /** Every header here is signed; `host` is taken from the URL (fetch sends exactly that). */
  headers: Record<string, string>;
  payloadHash: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * The Authorization header of AWS Signature Version 4 for service s3 (docs.aws.amazon.com,
 * "Signature Version 4 signing process"). Exported so a test can check it against AWS's own
 * worked example, which no emulator does: moto accepts any signature.
 */
export function signV4(req: SignInput): string {
  const date = req.headers['x-amz-date'];
  if (!date) throw new Error('signV4: the x-amz-date header is required');
  const all: Record<string, string> = { host: req.url.host };
  for (const [k, v] of Object.entries(req.headers)) all[k.toLowerCase()] = v.trim().replace(/\s+/g, ' ');
  const names = Object.keys(all).sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    req.method,
    // Already encoded by urlOf; S3 signs the path as sent (no second encoding, unlike other services).
    req.url.pathname || '/',
    canonicalQuery(req.url.searchParams),
    names.map((n) => `${n}:${all[n]}\n`).join(''),
    signedHeaders,
    req.payloadHash,
  ].join('\n');
  const scope = `${date.slice(0, 8)}/${req.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonicalRequest)].join('\n');
  // The key is derived per day, region and service, so a leaked signing key is worth little.
  let key: Buffer = hmac(`AWS4${req.secretAccessKey}`, date.slice(0, 8));
  for (const part of [req.region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = crypto.createHmac('sha256', key).update(stringToSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${req.accessKeyId}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

/** RFC 3986 unreserved characters stay; everything else is %XX — what SigV4 expects. */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const amzDate = (d: Date) => d.toISOString().replace(/[-:]|\.\d{3}/g, '');
const sha256Hex = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => crypto.createHmac('sha256', key).update(data).digest();
