/**
 * Letter templates as the office edits them: per campaign and letter type, every save a new
 * version (letters name the version that made them, so nothing is overwritten; version 0 is the
 * built-in wording). An edit is composed with the type's sample facts before it is stored, so a
 * wording that would fail on a real letter (an unknown fact under strict mode, a syntax error)
 * is refused at the desk, not when a letter is due. Storage is infra/template-store.ts.
 */
import { composeLetter, TemplateError } from '../../domain/letters/compose';
import { sampleHead, SAMPLE_FACTS } from '../../domain/letters/samples';
import type { LetterTemplate } from '../../domain/letters/templates';
import { LETTER_TYPE_LABELS, LETTER_TYPES, type LetterType } from '../../domain/letters/types';
import type { Principal } from '../../domain/principal';
import type { Sql } from '../../infra/db';
import { fontsOnce, resolveFonts, type FontSet } from '../../infra/fonts';
import { createTemplateStore, type TemplateVersion } from '../../infra/template-store';
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

    /** One type: the current version and its history, newest first, built-in last. */
    async history(campaignId: string, type: LetterType) {
      await campaignExists(campaignId);
      const versions = (await store.versions(campaignId, type)).map(dto);
      return { type, typeLabel: LETTER_TYPE_LABELS[type], current: versions[0]!, versions };
    },

    async version(campaignId: string, type: LetterType, v: number): Promise<TemplateVersionDto> {
      await campaignExists(campaignId);
      return dto(await version(campaignId, type, v));
    },

    /** Checks the wording against the sample letter, then stores it as the next version. */
    async save(campaignId: string, type: LetterType, t: LetterTemplate, by: Principal): Promise<TemplateVersionDto> {
      await campaignExists(campaignId);
      composeSample(type, t);
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
