/** Request and response shapes of the letter-template routes (limits: title 200, body 20,000 characters). */
import { z } from 'zod';
import { INT32_MAX } from '../../../domain/bounds';
import { int32, uuid } from '../common-schemas';
import { LETTER_TYPES } from '../../../domain/letters/types';
import { LETTER_FORMATS } from '../../../letters/render';

export const campaignParams = z.object({ id: uuid });
export const templateParams = z.object({ id: uuid, type: z.enum(LETTER_TYPES) });
export const versionQuery = z.object({
  version: int32(0).optional().describe('just this version (0: the built-in wording)'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('versions per page'),
  after: int32(0).optional().describe('the `next` of the previous page: versions older than this one'),
});

const title = z.string().trim().min(1, 'a letter needs a title').max(200);
const body = z.string().trim().min(1, 'a letter needs a body').max(20_000);

export const saveBody = z.object({
  title: title.describe('Handlebars, e.g. 关于{{campaignTitle}}有关整改事项的提醒函'),
  body: body.describe('Handlebars; paragraphs separated by blank lines; "一、" and "（一）" start headings'),
});

export const previewBody = z.object({
  title: title.optional().describe('wording to try; default: that of `version`'),
  body: body.optional(),
  version: z.number().int().min(0).max(INT32_MAX).optional().describe('a stored version to preview; default: the current one'),
  format: z.enum(LETTER_FORMATS).default('html'),
});

export const templateVersionSchema = z.object({
  type: z.enum(LETTER_TYPES),
  typeLabel: z.string(),
  version: z.number().describe('0: the built-in wording'),
  title: z.string(),
  body: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string().nullable(),
});

export const templateHistorySchema = z.object({
  type: z.enum(LETTER_TYPES),
  typeLabel: z.string(),
  current: templateVersionSchema,
  versions: z.array(templateVersionSchema).describe('newest first, the built-in wording (version 0) last'),
  next: z.number().nullable().describe('more versions: pass it as `after`'),
});
