/**
 * Where the bytes of evidence files (佐证材料) are kept; their metadata rows are
 * api/services/evidence.ts's. Two stores: PostgreSQL (the default: table evidence_blobs, beside
 * the rows) and an S3-compatible object store (the production option: the database stays small
 * and backups fast). RECTIFY_EVIDENCE_STORE picks where new files go; each row records the store
 * that holds its bytes (evidence_files.store), so a file is read back from where it was written,
 * whatever the configuration says today.
 */
import type { TransactionSql } from 'postgres';
import type { Config } from './config';
import type { Sql } from './db';
import { createS3Client, type S3Client, type S3Options } from './s3';

export const EVIDENCE_STORES = ['postgres', 's3'] as const;
export type EvidenceStoreKind = (typeof EVIDENCE_STORES)[number];

export interface EvidenceBlob {
  id: string;
  sha256: string;
  bytes: Buffer;
}

export interface EvidenceStore {
  readonly kind: EvidenceStoreKind;
  /**
   * Keeps a new file's bytes and commits its metadata row — written by `insertRow` in the
   * transaction it is given — in an order that never commits a row without its bytes.
   * S3 failures throw S3Error (infra/s3.ts).
   */
  put<T>(file: EvidenceBlob, insertRow: (tx: TransactionSql) => Promise<T>): Promise<T>;
  /** A file's bytes as this store has them (unchecked: the caller compares the SHA-256); undefined when it has none. */
  get(file: { id: string; sha256: string }): Promise<Buffer | undefined>;
}

export interface EvidenceStoreOptions {
  /** Where new files go. */
  write: EvidenceStoreKind;
  /** The S3 store: needed to write there, and to read the files kept there after switching back to postgres. */
  s3?: S3Options;
}

export const DEFAULT_EVIDENCE_STORE: EvidenceStoreOptions = { write: 'postgres' };

/** The configured stores as buildAppFromConfig passes them (loadConfig has checked the S3 variables). */
export function evidenceStoreOptions(
  cfg: Pick<Config, 'RECTIFY_EVIDENCE_STORE' | 'S3_ENDPOINT' | 'S3_BUCKET' | 'S3_REGION' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY' | 'S3_FORCE_PATH_STYLE'>,
): EvidenceStoreOptions {
  const { S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = cfg;
  const s3 = endpoint && bucket && accessKeyId && secretAccessKey ? { endpoint, bucket, accessKeyId, secretAccessKey, region: cfg.S3_REGION, forcePathStyle: cfg.S3_FORCE_PATH_STYLE } : undefined;
  if (cfg.RECTIFY_EVIDENCE_STORE === 's3' && !s3) throw new Error('RECTIFY_EVIDENCE_STORE=s3 needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  return { write: cfg.RECTIFY_EVIDENCE_STORE, s3 };
}

/** The store new files go to (`current`), and the store an existing file names (`of`; undefined: not configured). */
export function createEvidenceStores(sql: Sql, opts: EvidenceStoreOptions = DEFAULT_EVIDENCE_STORE) {
  const postgres = postgresEvidenceStore(sql);
  const s3 = opts.s3 ? s3EvidenceStore(sql, createS3Client(opts.s3)) : undefined;
  if (opts.write === 's3' && !s3) throw new Error('the S3 evidence store needs its S3 options');
  const of = (kind: EvidenceStoreKind): EvidenceStore | undefined => (kind === 's3' ? s3 : postgres);
  return { current: of(opts.write)!, of };
}
export type EvidenceStores = ReturnType<typeof createEvidenceStores>;

export function postgresEvidenceStore(sql: Sql): EvidenceStore {
  return {
    kind: 'postgres',
    // In the row's own transaction: both commit, or neither (evidence_blobs references the row).
    put: <T>(file: EvidenceBlob, insertRow: (tx: TransactionSql) => Promise<T>) =>
      sql.begin(async (tx) => {
        const row = await insertRow(tx);
        await tx`insert into evidence_blobs (id, content) values (${file.id}, ${file.bytes})`;
        return row;
      }) as Promise<T>,
    async get(file) {
      const [row] = await sql<{ content: Buffer }[]>`select content from evidence_blobs where id = ${file.id}`;
      return row?.content;
    },
  };
}

/**
 * Objects are named by their content's SHA-256: a retried upload rewrites the same object with the
 * same bytes (idempotent), the same bytes on two items are one object, and a name can be checked
 * against what it holds.
 */
export const evidenceObjectKey = (sha256: string) => `evidence/${sha256}`;

export function s3EvidenceStore(sql: Sql, s3: S3Client): EvidenceStore {
  // Made sure of on the first upload, not at start: the API starts and serves everything else
  // while the store is away, and a bucket made later is found without a restart.
  let bucketReady: Promise<void> | undefined;
  const ensureBucket = () =>
    (bucketReady ??= s3.ensureBucket().catch((err: unknown) => {
      bucketReady = undefined;
      throw err;
    }));
  return {
    kind: 's3',
    async put<T>(file: EvidenceBlob, insertRow: (tx: TransactionSql) => Promise<T>): Promise<T> {
      await ensureBucket();
      // The object first, the row after — and outside the row's transaction, so a slow store never
      // holds a database connection. An object whose row then fails to commit is harmless garbage
      // (the same bytes uploaded again reuse it); a row without its object would be a lost file.
      await s3.putObject(evidenceObjectKey(file.sha256), file.bytes);
      return sql.begin((tx) => insertRow(tx)) as Promise<T>;
    },
    get: (file) => s3.getObject(evidenceObjectKey(file.sha256)),
  };
}
