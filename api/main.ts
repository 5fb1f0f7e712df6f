/** Production entry point of the API (docker-compose service `api`). */
import { Client, Connection } from '@temporalio/client';
import closeWithGrace from 'close-with-grace';
import { loadConfig } from '../infra/config';
import { createSql, pgTimeouts } from '../infra/db';
import { createLogger } from '../infra/logger';
import { migrate } from '../infra/migrate';
import { buildAppFromConfig } from './app';

async function main() {
  const cfg = loadConfig();
  const log = createLogger(cfg, 'api');
  if (!cfg.DATABASE_URL) throw new Error('DATABASE_URL is required for the standalone API (the start command embeds PostgreSQL)');
  const sql = createSql(cfg.DATABASE_URL, pgTimeouts(cfg));
  await migrate(sql, (m) => log.info(m));
  const connection = await Connection.connect({ address: cfg.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE });
  const app = await buildAppFromConfig(cfg, { sql, temporal, logger: log });
  await app.listen({ port: cfg.PORT, host: cfg.HOST });
  // Repair after a crash between a commit and a workflow start (both idempotent).
  const repaired = await app.items.ensureWorkflows({ role: 'office', name: '督查室' });
  if (repaired) log.info({ repaired }, 'started missing item workflows');
  await app.campaigns.ensureWorkflows();
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) log.error({ err }, 'shutting down after error');
    await app.close();
    await connection.close();
    await sql.end();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
