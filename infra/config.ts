/**
 * The one place where configuration is read. Everything comes from environment variables,
 * validated with zod so a typo fails at start-up with the variable's name, not later with a
 * confusing connection error.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { EVIDENCE_STORES } from './evidence-store';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** An empty variable is an unset one (docker-compose passes `${VAR:-}` through as ''). */
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** API port (the issue fixes 3000 as the default). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** External PostgreSQL. When unset, the start command runs an embedded one in the data folder. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** Where the embedded PostgreSQL cluster and the Temporal dev server's SQLite file live. */
  RECTIFY_DATA_DIR: z.string().min(1).default('.data'),
  /** Port of the embedded PostgreSQL (only used when DATABASE_URL is unset). */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  /** Start command only: run a Temporal dev server (true), or use the server at TEMPORAL_ADDRESS. */
  TEMPORAL_DEV_SERVER: bool.default(true),
  /** Start command only: load the demo campaign. */
  RECTIFY_DEMO: bool.default(true),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('rectify'),
  /** Temporal Web UI, printed at start and linked from the API (dev server: 8233). */
  TEMPORAL_UI_URL: z.string().url().default('http://127.0.0.1:8233'),
  /** A `temporal` CLI binary to use instead of provisioning one. */
  TEMPORAL_BIN: z.string().min(1).optional(),
  /** Cache for provisioned binaries, outside the clone so a fresh clone (or CI) reuses it. */
  RECTIFY_CACHE_DIR: z.string().min(1).default(path.join(os.homedir(), '.cache', 'rectify')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Human-readable logs (pino-pretty). Defaults to on when stdout is a terminal. */
  LOG_PRETTY: bool.optional(),
  /** Outgoing mail for letters, e.g. smtp://user:pass@mail.example.gov.cn:25. Unset: no e-mail channel (inbox and webhooks still work). */
  RECTIFY_SMTP_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional()),
  /** The From of letters sent by e-mail. */
  RECTIFY_MAIL_FROM: z.string().min(3).default('整改办 <rectify@localhost>'),
  /** The right-hand side of Message-IDs (derived from each delivery's idempotency key). */
  RECTIFY_MAIL_DOMAIN: z.string().min(1).default('rectify.local'),
  /** Where people open letters and sign for them: links in e-mails and robot messages. */
  RECTIFY_PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
  /**
   * Failing fast when a part is down: passed from here to where they are used — createSql
   * (infra/db.ts, pgTimeouts below), the Temporal probe and the outbox drainer (buildAppFromConfig
   * in api/app.ts). Nothing reads them from the environment itself.
   */
  PG_CONNECT_TIMEOUT_S: z.coerce.number().int().min(1).max(300).default(5),
  PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  TEMPORAL_PROBE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_500),
  OUTBOX_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(2_000),
  /** Days an Idempotency-Key is remembered; older ones are purged by the outbox sweep (a retry that late is a new request). */
  IDEMPOTENCY_KEY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(7),
  /** API requests per minute per token (or per address without one); 0 switches the limit off. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  /** Bootstrap token of the supervising office; other principals are issued through the API. */
  OFFICE_TOKEN: z.string().min(8, 'must be at least 8 characters').default('dev-office-token'),
  /**
   * Where new evidence files' bytes (佐证材料) go: `postgres` (default: table evidence_blobs, beside
   * their metadata) or `s3`, an S3-compatible object store (AWS S3, MinIO, Ceph, a cloud's S3
   * gateway) for production. Each file's row records its store, so files kept before a switch are
   * still served from where they are (infra/evidence-store.ts).
   */
  RECTIFY_EVIDENCE_STORE: z.preprocess(unsetIfEmpty, z.enum(EVIDENCE_STORES).default('postgres')),
  /**
   * The S3 store, passed to it by buildAppFromConfig (api/app.ts). S3_ENDPOINT, S3_BUCKET,
   * S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: all four or none; required with
   * RECTIFY_EVIDENCE_STORE=s3. Set with `postgres` too, files kept in S3 before switching back
   * stay readable. The bucket is created on first upload if missing.
   */
  S3_ENDPOINT: z.preprocess(unsetIfEmpty, z.string().regex(/^https?:\/\/[^/]/, 'must be an http:// or https:// URL').optional()),
  S3_BUCKET: z.preprocess(unsetIfEmpty, z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 of a-z 0-9 . -)').optional()),
  S3_REGION: z.preprocess(unsetIfEmpty, z.string().min(1).default('us-east-1')),
  S3_ACCESS_KEY_ID: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  S3_SECRET_ACCESS_KEY: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  /** http://endpoint/bucket/key (true, default: self-hosted stores rarely have DNS per bucket) or http://bucket.endpoint/key. */
  S3_FORCE_PATH_STYLE: z.preprocess(unsetIfEmpty, bool.default(true)),
});

/** The S3 variables that together make an S3 store (S3_REGION and S3_FORCE_PATH_STYLE have defaults). */
const S3_REQUIRED = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

/** Rules across variables, reported like a single variable's. */
function crossChecks(cfg: z.infer<typeof schema>): string[] {
  const problems: string[] = [];
  const missing = S3_REQUIRED.filter((k) => cfg[k] === undefined);
  if (cfg.RECTIFY_EVIDENCE_STORE === 's3' || missing.length < S3_REQUIRED.length) {
    const why = cfg.RECTIFY_EVIDENCE_STORE === 's3' ? 'required with RECTIFY_EVIDENCE_STORE=s3' : `required with ${S3_REQUIRED.filter((k) => !missing.includes(k)).join(', ')} (all four or none)`;
    for (const k of missing) problems.push(`  ${k}: ${why}`);
  }
  if (cfg.NODE_ENV === 'production' && cfg.OFFICE_TOKEN === 'dev-office-token') problems.push('  OFFICE_TOKEN: set a real token in production');
  return problems;
}

export type Config = z.infer<typeof schema> & { LOG_PRETTY: boolean };

/** 'host:port' → port. */
export const portOf = (address: string): number => Number(address.split(':').pop());

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  const problems = crossChecks(cfg);
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return { ...cfg, LOG_PRETTY: cfg.LOG_PRETTY ?? Boolean(process.stdout.isTTY) };
}

