/** Letter templates per campaign: read the current wording and its versions, save a new version, preview the sample letter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fileResponse } from '../../plugins/error-responses';
import { IDEMPOTENT_CREATE, idempotencyKeyHeaders, sendAnswer } from '../idempotent';
import { DOCUMENT_TYPES, sendDocument } from '../send-document';
import { campaignParams, previewBody, saveBody, templateHistorySchema, templateParams, templateVersionSchema, versionQuery } from './schemas';

const TEMPLATE_INVALID = '400 `TEMPLATE_INVALID` (with `part`: title or body) when the wording does not compose with the sample facts: an unknown fact (strict mode) or a Handlebars syntax error.';

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get('/campaigns/:id/letter-templates', {
    schema: {
      tags: ['templates'],
      summary: 'The wording each letter type uses now in this campaign (version 0: the built-in one)',
      params: campaignParams,
      response: { 200: z.object({ templates: z.array(templateVersionSchema) }) },
    },
    handler: async (req) => {
      req.authorize('campaign:read');
      return { templates: await app.templates.current(req.params.id) };
    },
  });
  app.get('/campaigns/:id/letter-templates/:type', {
    schema: {
      tags: ['templates'],
      summary: 'One letter type: the current wording and every earlier version',
      description: 'With `?version=N`: just that version (404 if there is none). The history pages: `limit` versions, then `after` = the previous answer’s `next`.',
      params: templateParams,
      querystring: versionQuery,
      response: { 200: z.union([templateHistorySchema, templateVersionSchema]) },
    },
    handler: async (req) => {
      req.authorize('campaign:read');
      const { id, type } = req.params;
      const { version, limit, after } = req.query;
      return version === undefined ? app.templates.history(id, type, { limit, ...(after === undefined ? {} : { after }) }) : app.templates.version(id, type, version);
    },
  });
  app.put('/campaigns/:id/letter-templates/:type', {
    schema: {
      tags: ['templates'],
      summary: 'Save new wording for a letter type: a new version; letters already issued keep theirs',
      description: `Checked against the sample letter of the type first; nothing is saved if it fails. ${TEMPLATE_INVALID} 400 \`GLYPHS_MISSING\` (with \`characters\`) when the PDF fonts lack a character of the wording. ${IDEMPOTENT_CREATE}`,
      params: templateParams,
      body: saveBody,
      headers: idempotencyKeyHeaders,
      response: { 200: templateVersionSchema },
    },
    handler: async (req, reply) => {
      const by = req.authorize('template:write');
      const { id, type } = req.params;
      // A PUT that makes a new version each time: not idempotent by itself, so the key makes it so.
      const scope = `template:${id}:${type}`;
      const save = async () => ({ status: 200, body: await app.templates.save(id, type, req.body, by) });
      return sendAnswer(reply, await app.idempotency.once({ by, scope, key: req.headers['idempotency-key'], body: req.body }, save));
    },
  });
  app.post('/campaigns/:id/letter-templates/:type/preview', {
    schema: {
      tags: ['templates'],
      summary: 'The sample letter of a type as .html, .pdf or .docx, with the given wording or a stored version',
      description: `Sample facts and head from a real campaign, so the office sees the letter as a unit would. Trying unsaved wording (\`title\` or \`body\`) is for the office; leaders and units may preview saved versions (403 otherwise). ${TEMPLATE_INVALID} 500 \`FONTS_MISSING\` when the server has no Chinese fonts for a PDF.`,
      params: templateParams,
      body: previewBody,
      response: { 200: fileResponse('The sample letter', DOCUMENT_TYPES) },
    },
    handler: async (req, reply) => {
      // Unsaved wording is compiled and rendered: an open cost, so only the office tries wording.
      req.authorize(req.body.title !== undefined || req.body.body !== undefined ? 'template:try' : 'campaign:read');
      return sendDocument(reply, await app.templates.preview(req.params.id, req.params.type, req.body), req.body.format, 'preview');
    },
  });
};
export default routes;
