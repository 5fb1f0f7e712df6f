/**
 * A stored letter → its document, in any format, the same bytes every time: the template
 * version it was issued with, the facts and head stored with it, and deterministic renderers.
 * Used by the API (downloads) and the delivery activity (the e-mail attachments), so what a
 * unit downloads is what it was sent.
 */
import { composeLetter, type LetterHead } from '../domain/letters/compose';
import type { OfficialDocument } from '../domain/letters/document';
import type { LetterType } from '../domain/letters/types';
import type { Sql } from '../infra/db';
import { fontsOnce, resolveFonts, type FontSet } from '../infra/fonts';
import type { TemplateStore } from '../infra/template-store';
import { renderDocx } from './docx';
import { renderHtml } from './html';
import { renderPdf } from './pdf';

export const LETTER_FORMATS = ['docx', 'pdf', 'html'] as const;
export type LetterFormat = (typeof LETTER_FORMATS)[number];
export const CONTENT_TYPES: Record<LetterFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
};

export async function renderDocument(doc: OfficialDocument, format: LetterFormat, fonts: () => FontSet): Promise<Buffer> {
  if (format === 'docx') return renderDocx(doc);
  if (format === 'pdf') return renderPdf(doc, fonts());
  return Buffer.from(renderHtml(doc), 'utf8');
}

export class LetterNotFound extends Error {}

export interface RenderedLetter {
  bytes: Buffer;
  filename: string;
  contentType: string;
}

export function createLetterRenderer({ sql, templates, fonts = resolveFonts }: { sql: Sql; templates: TemplateStore; fonts?: () => FontSet }) {
  const cachedFonts = fontsOnce(fonts);

  async function document(letterId: string): Promise<{ doc: OfficialDocument; docNumber: string; type: LetterType }> {
    const [l] = await sql<{ campaignId: string | null; type: LetterType; templateVersion: number; facts: object; head: Omit<LetterHead, 'type' | 'docNumber'> | null; docNumber: string }[]>`
      select campaign_id, type, template_version, facts, head, doc_number from letters where id = ${letterId}`;
    if (!l || !l.head) throw new LetterNotFound(`letter ${letterId} not found`);
    const template = await templates.get(l.campaignId, l.type, l.templateVersion);
    if (!template) throw new Error(`letter ${letterId}: template version ${l.templateVersion} of ${l.type} is missing`);
    return { doc: composeLetter(template, l.facts, { type: l.type, ...l.head, docNumber: l.docNumber }), docNumber: l.docNumber, type: l.type };
  }

  /** A letter already composed (by `document`) in one format: compose once, render several. */
  async function renderComposed(l: { doc: OfficialDocument; docNumber: string }, format: LetterFormat): Promise<RenderedLetter> {
    return { bytes: await renderDocument(l.doc, format, cachedFonts), filename: `${l.docNumber} ${l.doc.title}.${format}`, contentType: CONTENT_TYPES[format] };
  }

  return {
    document,
    renderComposed,
    async render(letterId: string, format: LetterFormat): Promise<RenderedLetter> {
      return renderComposed(await document(letterId), format);
    },
  };
}

export type LetterRenderer = ReturnType<typeof createLetterRenderer>;
