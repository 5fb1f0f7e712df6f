import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ITEM_KINDS } from '../../../domain/item-lifecycle';
import { MAX_IMPORT_FILE_BYTES, MAX_IMPORT_ROWS, MAX_XLSX_UNPACKED_BYTES } from '../../../domain/text';
import { fileResponse } from '../../plugins/error-responses';
import { asOf, uuid } from '../common-schemas';
import { COLUMNS } from '../../services/import';
import { fileTooLarge } from '../../services/spreadsheet';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SPREADSHEET_TYPES = ['text/csv', XLSX_TYPE, 'application/octet-stream'];

const reportSchema = z.object({
  dryRun: z.boolean(),
  rows: z.number(),
  created: z.array(z.string()).describe('numbers of the new items'),
  updated: z.array(z.object({ number: z.string(), changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })) })),
  unchanged: z.number(),
  items: z.array(z.object({ row: z.number(), number: z.string(), kind: z.enum(ITEM_KINDS), deadlineShown: z.string().describe('the deadline as resolved, shown back') })),
});

const routes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser(SPREADSHEET_TYPES, { parseAs: 'buffer', bodyLimit: MAX_IMPORT_FILE_BYTES }, (_req, body, done) => done(null, body));

  app.post('/campaigns/:id/import', {
    schema: {
      tags: ['import'],
      summary: 'Import a problem / task / responsibility list (.xlsx or CSV): all or nothing',
      description:
        `Send the file as the request body (Content-Type: text/csv or the .xlsx type). Columns: ` +
        Object.values(COLUMNS).map((names) => names.join(' / ')).join('; ') +
        '. Deadlines as written ("10月底前", "11月份", "立行立改", "长期坚持" …). Any bad row: 400 with every row\'s errors (row, column, value, reason) and nothing imported. ' +
        'Rows are keyed by number: the same file again changes nothing; an edited file updates what changed. `dryRun=true` checks and reports without writing. ' +
        `A CSV may be UTF-8 (with or without BOM), UTF-16 (BOM) or GBK/GB18030. Limits: ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MiB as sent, an .xlsx at most ${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MiB unpacked, ` +
        `${MAX_IMPORT_ROWS} rows (413 FILE_TOO_LARGE beyond); a file that is not a readable .xlsx or CSV: 400 INVALID_FILE; a cell with a control character: a row error.`,
      params: z.object({ id: uuid }),
      querystring: z.object({ dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') }),
      response: { 200: reportSchema },
    },
    // Before reading the body: a caller who may not import is refused (401/403) without the file
    // being read, and a file beyond the limit is said so with the limit (a chunked body beyond it
    // still gets Fastify's 413). The principal was resolved on request (api/plugins/auth.ts).
    preParsing: async (req) => {
      req.authorize('campaign:write');
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > MAX_IMPORT_FILE_BYTES) {
        throw fileTooLarge(
          `the file is ${(length / 1024 / 1024).toFixed(1)} MiB; at most ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MiB can be imported: split the list`,
          `文件超过 ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MiB 的导入上限，请拆分后分批导入`,
        );
      }
    },
    handler: async (req) => {
      const by = req.authorize('campaign:write');
      if (!Buffer.isBuffer(req.body)) throw Object.assign(new Error('send the .xlsx or CSV file as the body'), { statusCode: 415 });
      return app.imports.run(req.params.id, req.body, by, { dryRun: req.query.dryRun });
    },
  });

  app.get('/campaigns/:id/ledger.xlsx', {
    schema: {
      tags: ['import'],
      summary: 'Export the ledger (台账): one row per item and unit, with state, deadline, days late, light, last report, notices sent; `asOf`: as it stood then (回溯)',
      description: 'Text cells that a spreadsheet would take for a formula (starting with = + - @, a tab or CR) are kept as text: Text format and quotePrefix, the value unchanged.',
      params: z.object({ id: uuid }),
      querystring: z.object({ asOf }),
      response: { 200: fileResponse('The ledger as an .xlsx workbook', [XLSX_TYPE]) },
    },
    handler: async (req, reply) => {
      req.authorize('campaign:read');
      const { file, filename } = await app.ledger.xlsx(req.params.id, req.query.asOf);
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(file as unknown as string); // the bytes as they are: a Buffer is never serialized (documented as a binary string)
    },
  });
};
export default routes;
