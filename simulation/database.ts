/**
 * A simulation's own database: created on the same PostgreSQL server as the caller's (a
 * `rectify_sim_<id>` database beside the production one, never inside it), migrated, and dropped
 * when the report has been read. Nothing a simulation writes can reach production data.
 * (Imported dynamically by the activity: the engine builds a worker of its own.)
 */
import crypto from 'node:crypto';
import { createSql, type Sql } from '../infra/db';
import { migrate } from '../infra/migrate';
import { runSimulation, type SimulationOptions } from './engine';
import { readReport, type SimulationReport } from './report';

export interface SimulationDatabase {
  sql: Sql;
  name: string;
  drop(): Promise<void>;
}

/**
 * `key` names the database (a simulation's id and run: a retried attempt drops what a crashed one
 * left and starts clean); without one, a random name. Only [a-z0-9_] ever reaches the SQL.
 */
export async function createSimulationDatabase(serverUrl: string, key?: string): Promise<SimulationDatabase> {
  const name = `rectify_sim_${(key ?? crypto.randomUUID()).toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 40)}`;
  const admin = async (statement: string) => {
    const a = createSql(serverUrl, { max: 1 });
    try {
      await a.unsafe(statement);
    } finally {
      await a.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = createSql(url.toString(), { max: 10 });
  const drop = async () => {
    await sql.end();
    await admin(`drop database if exists ${name} with (force)`);
  };
  try {
    await migrate(sql);
  } catch (err) {
    await drop().catch(() => {});
    throw err;
  }
  return { sql, name, drop };
}

/**
 * One policy's run, start to report, in a database of its own dropped afterwards (the CLI, the
 * activity and the tests all run it so). `inspect` looks at the database before it goes.
 */
export async function simulateInOwnDatabase(
  serverUrl: string,
  o: Omit<SimulationOptions, 'sql'>,
  opts: { key?: string; inspect?: (sql: Sql, report: SimulationReport) => Promise<void> } = {},
): Promise<{ report: SimulationReport; database: string }> {
  const db = await createSimulationDatabase(serverUrl, opts.key);
  try {
    const report = await readReport(db.sql, await runSimulation({ ...o, sql: db.sql }));
    await opts.inspect?.(db.sql, report);
    return { report, database: db.name };
  } finally {
    await db.drop();
  }
}
