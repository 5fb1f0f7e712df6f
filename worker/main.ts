/** Production entry point of the worker (docker-compose service `worker`; scale it freely). */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../infra/config';
import { createSql, pgTimeouts } from '../infra/db';
import { createLogger } from '../infra/logger';
import { migrate } from '../infra/migrate';
import { installTemporalRuntime } from '../infra/temporal-runtime';
import { createWorker, letterDeliveryConfig } from './worker';

async function main() {
  const cfg = loadConfig();
  const log = createLogger(cfg, 'worker');
  installTemporalRuntime(log);
  if (!cfg.DATABASE_URL) throw new Error('DATABASE_URL is required for the standalone worker (the start command embeds PostgreSQL)');
  const sql = createSql(cfg.DATABASE_URL, pgTimeouts(cfg));
  await migrate(sql, (m) => log.info(m));
  const connection = await NativeConnection.connect({ address: cfg.TEMPORAL_ADDRESS });
  // Issuing activities start each letter's own workflow through a client.
  const clientConnection = await Connection.connect({ address: cfg.TEMPORAL_ADDRESS });
  const client = new Client({ connection: clientConnection, namespace: cfg.TEMPORAL_NAMESPACE });
  const worker = await createWorker({
    connection, namespace: cfg.TEMPORAL_NAMESPACE, taskQueue: cfg.TEMPORAL_TASK_QUEUE, sql, client, letters: letterDeliveryConfig(cfg),
    // 试运行: each simulation gets a database of its own on the same PostgreSQL server (the role needs CREATEDB).
    simulations: { databaseUrl: cfg.DATABASE_URL, cacheDir: cfg.RECTIFY_CACHE_DIR },
  });
  log.info({ taskQueue: cfg.TEMPORAL_TASK_QUEUE, address: cfg.TEMPORAL_ADDRESS }, 'worker polling');
  await worker.run(); // Worker installs SIGINT/SIGTERM handlers and drains on shutdown.
  await connection.close();
  await clientConnection.close();
  await sql.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
