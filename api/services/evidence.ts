/**
 * Evidence files (佐证材料) kept with their item in PostgreSQL: stored once per item and content
 * (the same bytes uploaded twice are one file), checked by content (domain/evidence.ts), served
 * only to whoever may read the item, and turned into the facts a report or close-out request
 * cites — name, type, size and SHA-256 — so the audit trail proves which bytes were meant.
 */
import crypto from 'node:crypto';
import type { Principal } from '../../domain/principal';
import { cleanFileName, sniffEvidence, ACCEPTED_EVIDENCE, type EvidenceFile } from '../../domain/evidence';
import type { Sql } from '../../infra/db';
import { AppError, badRequest, notFound } from '../errors';

export interface StoredEvidence extends EvidenceFile {
  itemId: string;
  unitId: string | null;
  uploadedBy: string;
  createdAt: string;
}

export function createEvidenceService({ sql }: { sql: Sql }) {
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
        return { name: cleanFileName(f.name), bytes: f.bytes, mime: kind.mime, sha256: crypto.createHash('sha256').update(f.bytes).digest('hex') };
      });
      const out: StoredEvidence[] = [];
      for (const f of checked) {
        const id = crypto.randomUUID();
        const row = await sql.begin(async (tx) => {
          // One file per item and content: a second upload of the same bytes is the first one.
          const [existing] = await tx<StoredEvidence[]>`select * from evidence_files where item_id = ${itemId} and sha256 = ${f.sha256} limit 1`;
          if (existing) return existing;
          const [created] = await tx<StoredEvidence[]>`
            insert into evidence_files (id, item_id, unit_id, uploaded_by, name, mime, size, sha256)
            values (${id}, ${itemId}, ${by.unitId ?? null}, ${by.name}, ${f.name}, ${f.mime}, ${f.bytes.length}, ${f.sha256}) returning *`;
          await tx`insert into evidence_blobs (id, content) values (${id}, ${f.bytes})`;
          return created!;
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

    async content(fileId: string): Promise<Buffer> {
      const [row] = await sql<{ content: Buffer }[]>`select content from evidence_blobs where id = ${fileId}`;
      if (!row) throw notFound('evidence file', fileId);
      return row.content;
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
