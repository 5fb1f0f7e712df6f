/**
 * Evidence files (佐证材料): what may be uploaded with a report or a close-out request, judged by
 * content, never by name — images, PDF, Office and WPS documents, OFD (the national fixed-layout
 * format). Limits on size and count. Pure: the API stores, this decides.
 */
import { z } from 'zod';

export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;
export const MAX_EVIDENCE_FILES = 10;
/** Files one report or close-out request may cite. */
export const MAX_FILES_PER_ACTION = 20;

export interface EvidenceKind {
  mime: string;
  label: string;
}

const starts = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);
const ascii = (b: Uint8Array, from: number, to: number) => Buffer.from(b.subarray(from, Math.min(to, b.length))).toString('latin1');

/**
 * The kind of a file from its bytes, or null when it is none we accept. ZIP containers are told
 * apart by their parts (word/, xl/, ppt/, OFD.xml), as named in the archive's own directory.
 */
export function sniffEvidence(b: Uint8Array): EvidenceKind | null {
  if (b.length < 8) return null;
  if (starts(b, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', label: 'JPEG图片' };
  if (starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', label: 'PNG图片' };
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return { mime: 'image/gif', label: 'GIF图片' };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { mime: 'image/webp', label: 'WebP图片' };
  if (ascii(b, 0, 5) === '%PDF-') return { mime: 'application/pdf', label: 'PDF文档' };
  // OLE2 compound documents: .doc .xls .ppt and WPS's .wps .et .dps.
  if (starts(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return { mime: 'application/x-ole-storage', label: 'Office/WPS文档' };
  if (starts(b, [0x50, 0x4b, 0x03, 0x04])) {
    // The names of the archive's entries (local headers and the central directory) are plain text.
    const names = b.length <= 1 << 19 ? ascii(b, 0, b.length) : ascii(b, 0, 1 << 16) + ascii(b, b.length - (1 << 18), b.length);
    if (names.includes('[Content_Types].xml')) {
      if (names.includes('word/')) return { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word文档' };
      if (names.includes('xl/')) return { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel表格' };
      if (names.includes('ppt/')) return { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', label: 'PowerPoint演示文稿' };
    }
    if (names.includes('OFD.xml')) return { mime: 'application/ofd', label: 'OFD版式文档' };
  }
  return null;
}

export const ACCEPTED_EVIDENCE = '图片（JPEG、PNG、GIF、WebP）、PDF、Word/Excel/PowerPoint、WPS文档、OFD';

/** A file as an action cites it, and as the audit trail keeps it: its SHA-256 proves which bytes. */
export const evidenceFileSchema = z.object({
  id: z.uuid(),
  name: z.string().min(1).max(255),
  mime: z.string().min(1).max(200),
  size: z.number().int().min(0).max(MAX_EVIDENCE_BYTES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type EvidenceFile = z.infer<typeof evidenceFileSchema>;

/** A file name as people gave it, safe to store and to show: no path, no control characters, bounded. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '').trim().slice(0, 200);
  return clean || '佐证材料';
}
