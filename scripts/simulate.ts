/**
 * 试运行 from the command line: a campaign lived forward on the time-skipping server under a
 * policy (or two, side by side), with a behaviour model of the units; its own PostgreSQL and
 * Temporal, nothing shared with a running Rectify.
 *   npm run simulate                                   # seed 002's sprint, default policy
 *   npm run simulate -- --compare strict               # …and the strict preset beside it
 *   npm run simulate -- --items 1000 --days 100        # a synthetic list of 1,000 items
 *   npm run simulate -- --file list.xlsx --title 某专项行动 --start 2026-12-01 --end 2027-03-10
 *   options: --policy default|strict|file.json, --behaviour model.json, --seed N, --json out.json
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { addDays, dateOf } from '../domain/time';
import { loadConfig } from '../infra/config';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';
import { createLogger } from '../infra/logger';
import { installTemporalRuntime } from '../infra/temporal-runtime';
import { simulateInOwnDatabase } from '../simulation/database';
import type { SimulationPlan } from '../simulation/engine';
import { behaviourSchema } from '../simulation/model';
import { policyNamed, seed002Plan, syntheticPlan } from '../simulation/plans';
import { formatComparison, formatReport } from '../simulation/print';
import type { SimulationReport } from '../simulation/report';
import { freePort } from '../infra/free-port';

async function main() {
  const { values } = parseArgs({
    options: {
      items: { type: 'string' }, file: { type: 'string' }, title: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' },
      days: { type: 'string' }, seed: { type: 'string', default: '1' }, policy: { type: 'string', default: 'default' }, compare: { type: 'string' },
      behaviour: { type: 'string' }, json: { type: 'string' },
    },
  });
  const cfg = loadConfig({ ...process.env, LOG_LEVEL: 'warn', LOG_PRETTY: 'false' });
  installTemporalRuntime(createLogger(cfg), 'ERROR', false);
  const plan: SimulationPlan = values.file
    ? { title: values.title ?? path.basename(values.file), startDate: values.start ?? dateOf(Date.now()), endDate: values.end ?? addDays(values.start ?? dateOf(Date.now()), 99), units: [], importFile: fs.readFileSync(values.file) }
    : values.items
      ? syntheticPlan(Number(values.items), values.start ?? dateOf(Date.now()))
      : seed002Plan();
  const behaviour = behaviourSchema.parse(values.behaviour ? JSON.parse(fs.readFileSync(values.behaviour, 'utf8')) : {});
  const seed = Number(values.seed);
  const days = values.days ? Number(values.days) : undefined;

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-simulate-'));
  fs.chmodSync(tmp, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), persistent: false });
  try {
    const run = async (name: string, tag: string): Promise<{ label: string; report: SimulationReport }> => {
      const { label, policy } = policyNamed(name);
      const { report } = await simulateInOwnDatabase(pg.url, {
        plan, policy, behaviour, seed, ...(days ? { days } : {}), cacheDir: cfg.RECTIFY_CACHE_DIR,
        onProgress: ({ day, days: n, phase }) => progress(tag, day, n, phase),
      });
      return { label, report };
    };
    const a = await run(values.policy, values.compare ? 'A' : '');
    console.log(formatReport(a.report, a.label));
    let b: Awaited<ReturnType<typeof run>> | undefined;
    if (values.compare) {
      b = await run(values.compare, 'B');
      console.log(`\n${formatReport(b.report, b.label)}`);
      console.log(`\n${formatComparison(a.report, b.report, a.label, b.label)}`);
    }
    if (values.json) fs.writeFileSync(values.json, JSON.stringify({ a, ...(b ? { b } : {}) }, null, 2));
  } finally {
    await pg.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** 试运行 A [██████████░░░░░░░░░░]  45/108 天 — on stderr, one line rewritten in place on a terminal. */
function progress(tag: string, day: number, days: number, phase: string) {
  const filled = Math.round((day / Math.max(1, days)) * 30);
  const line = `试运行${tag ? ` ${tag}` : ''} [${'█'.repeat(filled)}${'░'.repeat(30 - filled)}] ${String(day).padStart(3)}/${days} 天${phase === 'starting' ? '（启动中）' : ''}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${phase === 'done' ? '\n' : ''}`);
  else if (phase !== 'running' || day % 10 === 0) process.stderr.write(`${line}\n`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error('simulation failed:', err);
    process.exit(1);
  },
);
