import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ITEM_KINDS } from '../../../domain/item-lifecycle';
import { COLUMNS } from '../../services/import';

const SPREADSHEET_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'];

const reportSchema = z.object({
  dryRun: z.boolean(),
  rows: z.number(),
  created: z.array(z.string()).describe('numbers of the new items'),
  updated: z.array(z.object({ number: z.string(), changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })) })),
  unchanged: z.number(),
  items: z.array(z.object({ row: z.number(), number: z.string(), kind: z.enum(ITEM_KINDS), deadlineShown: z.string().describe('the deadline as resolved, shown back') })),
});

const routes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser(SPREADSHEET_TYPES, { parseAs: 'buffer', bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.post('/campaigns/:id/import', {
    schema: {
      tags: ['import'],
      summary: 'Import a problem / task / responsibility list (.xlsx or CSV): all or nothing',
      description:
        `Send the file as the request body (Content-Type: text/csv or the .xlsx type). Columns: ` +
        Object.values(COLUMNS).map((names) => names.join(' / ')).join('; ') +
        '. Deadlines as written ("10月底前", "11月份", "立行立改", "长期坚持" …). Any bad row: 400 with every row\'s errors (row, column, value, reason) and nothing imported. ' +
        'Rows are keyed by number: the same file again changes nothing; an edited file updates what changed. `dryRun=true` checks and reports without writing.',
      params: z.object({ id: z.uuid() }),
      querystring: z.object({ dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') }),
      response: { 200: reportSchema },
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
      summary: 'Export the ledger (台账): one row per item and unit, with state, deadline, days late, light, last report, notices sent',
      params: z.object({ id: z.uuid() }),
    },
    handler: async (req, reply) => {
      req.authorize('campaign:read');
      const { file, filename } = await app.ledger.xlsx(req.params.id);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(file);
    },
  });
};
export default routes;
