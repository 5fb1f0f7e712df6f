/**
 * A rendered letter as the answer: its content type, and a disposition that opens HTML in the
 * browser and downloads .docx and .pdf under the letter's Chinese file name (RFC 5987, with an
 * ASCII fallback for old clients).
 */
import type { FastifyReply } from 'fastify';
import { CONTENT_TYPES, type LetterFormat } from '../../letters/render';

/** The media types a letter document is answered in (for the OpenAPI document). */
export const DOCUMENT_TYPES = Object.values(CONTENT_TYPES).map((t) => t.split(';')[0]!);

export function sendDocument(reply: FastifyReply, doc: { bytes: Buffer; contentType: string; filename: string }, format: LetterFormat, fallbackName: string) {
  const disposition = format === 'html' ? 'inline' : 'attachment';
  reply.header('content-type', doc.contentType);
  reply.header('content-disposition', `${disposition}; filename="${fallbackName}.${format}"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`);
  return reply.send(doc.bytes);
}
