/**
 * Letter templates as the office edits them: per campaign and letter type, every save a new
 * version (letters name the version that made them, so nothing is overwritten; version 0 is the
 * built-in wording). An edit is composed with the type's sample facts before it is stored, so a
 * wording that would fail on a real letter (an unknown fact under strict mode, a syntax error)
 * is refused at the desk, not when a letter is due. Storage is infra/template-store.ts.
 */
import { composeLetter, literalText, TemplateError } from '../../domain/letters/compose';
import type { OfficialDocument } from '../../domain/letters/document';
import { sampleHead, SAMPLE_FACTS } from '../../domain/letters/samples';
import type { LetterTemplate } from '../../domain/letters/templates';
import { LETTER_TYPE_LABELS, LETTER_TYPES, type LetterType } from '../../domain/letters/types';
import type { Principal } from '../../domain/principal';
import type { Sql } from '../../infra/db';
import { FontError, fontsOnce, missingGlyphs, resolveFonts, type FontSet } from '../../infra/fonts';
import { createTemplateStore, type TemplateVersion } from '../../infra/template-store';
import { missingGlyphsByRole } from '../../letters/pdf';
import { CONTENT_TYPES, renderDocument, type LetterFormat } from '../../letters/render';
import { AppError, notFound } from '../errors';
import { ensureCampaign } from './campaigns';

export interface TemplateVersionDto {
  type: LetterType;
  typeLabel: string;
  version: number;
  title: string;
  body: string;
  createdBy: string | null;
  createdAt: string | null;
}

const dto = (t: TemplateVersion): TemplateVersionDto => ({
  type: t.type,
  typeLabel: LETTER_TYPE_LABELS[t.type],
  version: t.version,
  title: t.title,
  body: t.body,
  createdBy: t.createdBy,
  createdAt: t.createdAt,
});

/** 400 naming the part (title/body) a Handlebars error is in, in the shape of field errors. */
const templateInvalid = (err: TemplateError) =>
  new AppError(400, 'TEMPLATE_INVALID', err.message, { part: err.part, details: [{ path: `body.${err.part}`, message: err.message }] });

/** The sample letter of a type with the given wording; TemplateError becomes a 400. */
function composeSample(type: LetterType, t: LetterTemplate) {
  try {
    return composeLetter(t, SAMPLE_FACTS[type], sampleHead(type));
  } catch (err) {
    if (err instanceof TemplateError) throw templateInvalid(err);
    throw err;
  }
}

/**
 * Characters of the wording the PDF fonts cannot draw: the sample letter as the PDF renderer
 * checks it, and the literal text of both parts (a branch the sample does not take included)
 * against the title and body fonts. No fonts on this server: nothing to check against (PDFs
 * answer FONTS_MISSING until they are installed), so the wording is not held back.
 */
function glyphsMissing(t: LetterTemplate, doc: OfficialDocument, fonts: () => FontSet): string[] {
  let set: FontSet;
  try {
    set = fonts();
  } catch (err) {
    if (err instanceof FontError) return [];
    throw err;
  }
  const chars = new Set<string>();
  for (const [, missing] of missingGlyphsByRole(doc, set)) missing.forEach((c) => chars.add(c));
  missingGlyphs(set.title, literalText(t.title)).forEach((c) => chars.add(c));
  missingGlyphs(set.body, literalText(t.body)).forEach((c) => chars.add(c));
  return [...chars];
}

export function createTemplateService({ sql, fonts = resolveFonts }: { sql: Sql; fonts?: () => FontSet }) {
  const store = createTemplateStore(sql);
  const cachedFonts = fontsOnce(fonts);

  const campaignExists = (id: string) => ensureCampaign(sql, id);

  async function version(campaignId: string, type: LetterType, v: number) {
    const t = await store.get(campaignId, type, v);
    if (!t) throw notFound(`${LETTER_TYPE_LABELS[type]} template version`, `${v}`);
    return t;
  }

  return {
    /** The wording new letters of each type would use now. */
    async current(campaignId: string): Promise<TemplateVersionDto[]> {
      await campaignExists(campaignId);
      return Promise.all(LETTER_TYPES.map(async (type) => dto(await store.latest(campaignId, type))));
    },

    /** One type: the current version and its history, newest first, built-in last, a page at a time. */
    async history(campaignId: string, type: LetterType, page: { limit: number; after?: number } = { limit: 50 }) {
      await campaignExists(campaignId);
      const { versions, next } = await store.versions(campaignId, type, page);
      return { type, typeLabel: LETTER_TYPE_LABELS[type], current: dto(await store.latest(campaignId, type)), versions: versions.map(dto), next };
    },

    async version(campaignId: string, type: LetterType, v: number): Promise<TemplateVersionDto> {
      await campaignExists(campaignId);
      return dto(await version(campaignId, type, v));
    },

    /** Checks the wording against the sample letter, then stores it as the next version. */
    async save(campaignId: string, type: LetterType, t: LetterTemplate, by: Principal): Promise<TemplateVersionDto> {
      await campaignExists(campaignId);
      const doc = composeSample(type, t);
      const missing = glyphsMissing(t, doc, cachedFonts);
      if (missing.length) {
        const shown = missing.slice(0, 20).join('');
        throw new AppError(400, 'GLYPHS_MISSING', `the PDF fonts cannot draw ${shown}: every PDF of a letter with this wording would fail; use other characters`, {
          characters: missing.slice(0, 100),
          details: [{ path: 'body', message: `characters the PDF fonts lack: ${shown}` }],
        });
      }
      return dto(await store.save(campaignId, type, t, by.name));
    },

    /**
     * The sample letter as a document: the given wording, else the given version, else the
     * current one (a given title or body overrides only that part of the version).
     */
    async preview(campaignId: string, type: LetterType, req: { title?: string; body?: string; version?: number; format: LetterFormat }) {
      await campaignExists(campaignId);
      const base = req.version === undefined ? await store.latest(campaignId, type) : await version(campaignId, type, req.version);
      const doc = composeSample(type, { title: req.title ?? base.title, body: req.body ?? base.body });
      const bytes = await renderDocument(doc, req.format, cachedFonts);
      return { bytes, contentType: CONTENT_TYPES[req.format], filename: `${LETTER_TYPE_LABELS[type]}（预览）${doc.title}.${req.format}` };
    },
  };
}

export type TemplateService = ReturnType<typeof createTemplateService>;
