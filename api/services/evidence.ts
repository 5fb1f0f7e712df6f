/**
 * Evidence files (佐证材料) kept with their item: metadata in PostgreSQL, bytes in the configured
 * store (infra/evidence-store.ts: PostgreSQL or S3). Stored once per item and content (the same
 * bytes uploaded twice are one file), checked by content (domain/evidence.ts), served only to
 * whoever may read the item — and only if they still hash to the recorded SHA-256 — and turned
 * into the facts a report or close-out request cites: name, type, size and SHA-256, so the audit
 * trail proves which bytes were meant.
 */
import crypto from 'node:crypto';
import type { Principal } from '../../domain/principal';
import { cleanFileName, sniffEvidence, ACCEPTED_EVIDENCE, type EvidenceFile } from '../../domain/evidence';
import type { Sql } from '../../infra/db';
import { createEvidenceStores, type EvidenceStoreKind, type EvidenceStores } from '../../infra/evidence-store';
import { S3Error } from '../../infra/s3';
import { AppError, badRequest, evidenceStoreUnavailable, notFound } from '../errors';

export interface StoredEvidence extends EvidenceFile {
  itemId: string;
  unitId: string | null;
  uploadedBy: string;
  createdAt: string;
  /** The store holding the bytes (not part of the API's answers). */
  store: EvidenceStoreKind;
}

const sha256Of = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

/** The store failing is a part away (503), not a bug; a PostgreSQL error goes on to the error handler as it is. */
const storeFailure = (err: unknown) => (err instanceof S3Error ? evidenceStoreUnavailable(err) : err);

export function createEvidenceService({ sql, stores = createEvidenceStores(sql) }: { sql: Sql; stores?: EvidenceStores }) {
  return {
    /** Stores uploaded files for an item (refusing any we do not accept, before storing any). */
    async store(itemId: string, files: { name: string; bytes: Buffer }[], by: Principal): Promise<StoredEvidence[]> {
      const [item] = await sql`select 1 from items where id = ${itemId}`;
      if (!item) throw notFound('item', itemId);
      const checked = files.map((f, i) => {
        const kind = sniffEvidence(f.bytes);
        if (!kind) {
          throw new AppError(415, 'UNSUPPORTED_FILE_TYPE', `file ${i + 1} ("${cleanFileName(f.name)}") is not an accepted evidence file`, {
            messageZh: `“${cleanFileName(f.name)}”不是可接受的佐证材料格式（可上传：${ACCEPTED_EVIDENCE}）`,
            details: [{ path: `files.${i}`, message: 'type judged by content: not an image, PDF, Office/WPS or OFD document' }],
          });
        }
        return { name: cleanFileName(f.name), bytes: f.bytes, mime: kind.mime, sha256: sha256Of(f.bytes) };
      });
      const store = stores.current;
      const out: StoredEvidence[] = [];
      for (const f of checked) {
        // One file per item and content: a second upload of the same bytes is the first one (and
        // is not sent to the store again).
        const [existing] = await sql<StoredEvidence[]>`select * from evidence_files where item_id = ${itemId} and sha256 = ${f.sha256} limit 1`;
        if (existing) {
          out.push(existing);
          continue;
        }
        const id = crypto.randomUUID();
        // The store orders the bytes and the row so that no row is committed without its bytes.
        const row = await store
          .put({ id, sha256: f.sha256, bytes: f.bytes }, async (tx) => {
            const [created] = await tx<StoredEvidence[]>`
              insert into evidence_files (id, item_id, unit_id, uploaded_by, name, mime, size, sha256, store)
              values (${id}, ${itemId}, ${by.unitId ?? null}, ${by.name}, ${f.name}, ${f.mime}, ${f.bytes.length}, ${f.sha256}, ${store.kind}) returning *`;
            return created!;
          })
          .catch((err: unknown) => {
            throw storeFailure(err);
          });
        out.push(row);
      }
      return out;
    },

    async list(itemId: string): Promise<StoredEvidence[]> {
      return sql<StoredEvidence[]>`select * from evidence_files where item_id = ${itemId} order by created_at, name`;
    },

    async meta(fileId: string): Promise<StoredEvidence> {
      const [row] = await sql<StoredEvidence[]>`select * from evidence_files where id = ${fileId}`;
      if (!row) throw notFound('evidence file', fileId);
      return row;
    },

    /** A file's bytes, from the store its row names; exactly the bytes its SHA-256 was recorded for. */
    async content(file: StoredEvidence): Promise<Buffer> {
      const store = stores.of(file.store);
      // Kept in S3 but the S3 variables are gone (switched back to postgres without them).
      if (!store) throw evidenceStoreUnavailable(new Error(`evidence file ${file.id} is kept in the ${file.store} store, which is not configured`));
      const bytes = await store.get(file).catch((err: unknown) => {
        throw storeFailure(err);
      });
      // The row is there, its bytes are not: a lost file, said as such (never a quiet 404).
      if (!bytes) {
        throw new AppError(500, 'EVIDENCE_MISSING', `evidence file ${file.id}: its bytes are not in the ${file.store} store`, {
          messageZh: '佐证材料文件缺失（已登记但存储中找不到），请联系管理员',
        });
      }
      // Never serve other bytes than the ones the audit trail cites (a damaged or replaced object).
      if (sha256Of(bytes) !== file.sha256) {
        throw new AppError(500, 'EVIDENCE_CORRUPT', `evidence file ${file.id}: the stored bytes do not match its SHA-256`, {
          messageZh: '佐证材料文件已损坏（内容与登记的SHA-256不符），请联系管理员',
        });
      }
      return bytes;
    },

    /**
     * The files an action cites, as the audit trail keeps them. Each must be this item's; a unit
     * cites what its own unit uploaded (the office may cite any).
     */
    async cite(itemId: string, ids: string[], by: Principal): Promise<EvidenceFile[]> {
      if (!ids.length) return [];
      const rows = await sql<StoredEvidence[]>`select * from evidence_files where id in ${sql([...new Set(ids)])}`;
      const errors = ids.flatMap((id, i) => {
        const f = rows.find((r) => r.id === id);
        if (!f || f.itemId !== itemId) return [{ path: `body.files.${i}`, message: 'no such evidence file on this item' }];
        if (by.role === 'unit' && f.unitId !== by.unitId) return [{ path: `body.files.${i}`, message: 'uploaded by another unit' }];
        return [];
      });
      if (errors.length) throw badRequest('unknown evidence files', errors);
      return ids.map((id) => {
        const f = rows.find((r) => r.id === id)!;
        return { id: f.id, name: f.name, mime: f.mime, size: f.size, sha256: f.sha256 };
      });
    },
  };
}
export type EvidenceService = ReturnType<typeof createEvidenceService>;
