/**
 * Evidence files (佐证材料): uploaded for an item (multipart), listed with it, downloaded by whoever
 * may read the item. A report or close-out request then cites them by id (`files`), and its
 * audit event records each with its SHA-256 (api/services/evidence.ts).
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACCEPTED_EVIDENCE, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES } from '../../../domain/evidence';
import { uuid } from '../common-schemas';
import { AppError, badRequest } from '../../errors';

const fileSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  name: z.string(),
  mime: z.string().describe('judged by content, not by name'),
  size: z.number(),
  sha256: z.string(),
  unitId: z.string().nullable().describe('the uploading unit; null: the office'),
  uploadedBy: z.string(),
  createdAt: z.string(),
});
const MB = MAX_EVIDENCE_BYTES / 1024 / 1024;

const routes: FastifyPluginAsyncZod = async (app) => {
  // Multipart for this plugin's routes only: the rest of the API takes JSON.
  await app.register(multipart, { limits: { fileSize: MAX_EVIDENCE_BYTES, files: MAX_EVIDENCE_FILES, fields: 0, parts: MAX_EVIDENCE_FILES, fieldNameSize: 100 } });

  app.post('/items/:id/evidence', {
    schema: {
      tags: ['items'],
      summary: 'Upload evidence files (佐证材料) for an item: multipart/form-data, field `files`',
      description: `At most ${MAX_EVIDENCE_FILES} files of ${MB} MB each: ${ACCEPTED_EVIDENCE}, judged by content (415 otherwise). The same bytes uploaded again are the same file. Cite the answered ids in \`files\` of report-progress or submit. The office and the units on the item.`,
      consumes: ['multipart/form-data'],
      params: z.object({ id: uuid }),
      response: { 201: z.object({ files: z.array(fileSchema) }) },
    },
    handler: async (req, reply) => {
      const by = req.authorize('evidence:upload', { itemUnitIds: await app.items.unitsOf(req.params.id) });
      if (!req.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data with the files in field "files"', { messageZh: '请以 multipart/form-data 上传文件' });
      const files: { name: string; bytes: Buffer }[] = [];
      try {
        for await (const part of req.files()) files.push({ name: part.filename, bytes: await part.toBuffer() });
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, 'FILE_TOO_LARGE', `a file is larger than ${MB} MB`, { messageZh: `单个文件不得超过${MB}MB` });
        if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
          throw new AppError(413, 'TOO_MANY_FILES', `at most ${MAX_EVIDENCE_FILES} files per upload`, { messageZh: `每次最多上传${MAX_EVIDENCE_FILES}个文件` });
        }
        throw badRequest('malformed multipart body', [{ path: 'body', message: (err as Error).message }]);
      }
      if (!files.length) throw badRequest('no file', [{ path: 'body.files', message: 'send at least one file' }]);
      return reply.code(201).send({ files: await app.evidence.store(req.params.id, files, by) });
    },
  });

  app.get('/items/:id/evidence', {
    schema: { tags: ['items'], summary: "An item's evidence files", params: z.object({ id: uuid }), response: { 200: z.object({ files: z.array(fileSchema) }) } },
    handler: async (req) => {
      req.authorize('item:read');
      await app.items.unitsOf(req.params.id); // 404 for an unknown item
      return { files: await app.evidence.list(req.params.id) };
    },
  });

  app.get('/evidence/:fileId', {
    schema: {
      tags: ['items'],
      summary: 'Download an evidence file (whoever may read its item)',
      params: z.object({ fileId: uuid }),
      response: { 200: z.any().describe('the file, as uploaded') },
    },
    handler: async (req, reply) => {
      req.authorize('item:read');
      const meta = await app.evidence.meta(req.params.fileId);
      const bytes = await app.evidence.content(meta);
      return reply
        .type(meta.mime)
        .header('content-disposition', `attachment; filename="evidence"; filename*=UTF-8''${encodeURIComponent(meta.name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('x-evidence-sha256', meta.sha256)
        .send(bytes);
    },
  });
};
export default routes;
