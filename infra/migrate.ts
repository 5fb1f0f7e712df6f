/**
 * Applies migrations/NNN_name.sql in order, each once, each in its own transaction. An advisory
 * lock makes concurrent starters (API and worker booting together) wait instead of racing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Sql } from './db';

const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'migrations');
const LOCK_ID = 727_001;

export async function migrate(sql: Sql, log: (msg: string) => void = () => {}): Promise<string[]> {
  const files = fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    // A migration may rewrite a large table: the pool's statement timeout is for requests, not this.
    await tx`set local statement_timeout = 0`;
    await tx`select pg_advisory_xact_lock(${LOCK_ID})`;
    await tx`create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())`;
    const done = new Set((await tx<{ version: string }[]>`select version from schema_migrations`).map((r) => r.version));
    for (const file of files) {
      if (done.has(file)) continue;
      await tx.unsafe(fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8'));
      await tx`insert into schema_migrations (version) values (${file})`;
      applied.push(file);
      log(`migration applied: ${file}`);
    }
  });
  return applied;
}
