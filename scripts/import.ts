/**
 * Imports a task list into a campaign from the command line, with a progress bar:
 *   npm run import -- --campaign <id or code> --file list.xlsx [--dry-run]
 * Talks to the same PostgreSQL and Temporal as the running stack (DATABASE_URL, or the start
 * command's embedded PostgreSQL) and goes through the same importer as the API: all or nothing.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { SingleBar, Presets } from 'cli-progress';
import { AppError } from '../api/errors';
import { createEvidenceService } from '../api/services/evidence';
import { createImportService, type RowError } from '../api/services/import';
import { createItemService } from '../api/services/items';
import { createUnitService } from '../api/services/units';
import { loadConfig } from '../infra/config';
import { createEvidenceStores, evidenceStoreOptions } from '../infra/evidence-store';
import { createSql, pgTimeouts } from '../infra/db';

async function main() {
  const { values } = parseArgs({ options: { campaign: { type: 'string' }, file: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  if (!values.campaign || !values.file) {
    console.error('usage: npm run import -- --campaign <id or code> --file <list.xlsx|list.csv> [--dry-run]');
    process.exit(2);
  }
  if (!fs.existsSync(values.file)) throw new Error(`no such file: ${values.file}`);
  const cfg = loadConfig();
  const sql = createSql(cfg.DATABASE_URL ?? `postgres://rectify:rectify@127.0.0.1:${cfg.EMBEDDED_PG_PORT}/rectify`, { ...pgTimeouts(cfg), max: 4 });
  const connection = await Connection.connect({ address: cfg.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE });
  try {
    const [campaign] = await sql<{ id: string; title: string }[]>`
      select id, title from campaigns where code = ${values.campaign} or id::text = ${values.campaign}`;
    if (!campaign) throw new Error(`no campaign with id or code "${values.campaign}"`);
    const units = createUnitService({ sql });
    const items = createItemService({ sql, temporal, taskQueue: cfg.TEMPORAL_TASK_QUEUE, temporalUiUrl: cfg.TEMPORAL_UI_URL, namespace: cfg.TEMPORAL_NAMESPACE, units, evidence: createEvidenceService({ sql, stores: createEvidenceStores(sql, evidenceStoreOptions(cfg)) }) });
    const importer = createImportService({ sql, units, items });
    const bar = new SingleBar({ format: '  importing |{bar}| {value}/{total} items', hideCursor: true }, Presets.shades_classic);
    let started = false;
    const report = await importer.run(campaign.id, fs.readFileSync(values.file), { role: 'office', name: '督查室（命令行导入）' }, {
      dryRun: values['dry-run'],
      onProgress: (done, total) => {
        if (!started) bar.start(total, 0), (started = true);
        bar.update(done);
      },
    });
    if (started) bar.stop();
    console.log(`\n  ${campaign.title}: ${report.rows} rows — ${report.created.length} new, ${report.updated.length} updated, ${report.unchanged} unchanged${report.dryRun ? ' (dry run: nothing written)' : ''}`);
    for (const u of report.updated) console.log(`  updated ${u.number}: ${Object.keys(u.changes).join(', ')}`);
    for (const i of report.items) console.log(`  row ${String(i.row).padStart(3)}  ${i.number.padEnd(6)} ${i.deadlineShown}`);
  } catch (err) {
    if (err instanceof AppError && Array.isArray(err.extra.errors)) {
      console.error(`\n  ${err.message}:`);
      for (const e of err.extra.errors as RowError[]) console.error(`  row ${e.row}, ${e.column}${e.value ? ` "${e.value}"` : ''}: ${e.reason}`);
      process.exitCode = 1;
    } else throw err;
  } finally {
    await connection.close();
    await sql.end();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
