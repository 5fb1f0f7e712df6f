/**
 * Finding and stopping the servers an earlier start left behind. When the start command dies
 * without its shutdown (kill -9, an OOM kill, a closed terminal), its PostgreSQL and its Temporal
 * dev server live on and hold their ports and data folders. The next start finds them by their
 * command line — the binary and the data path are ours — and stops them; a process holding the
 * port that does not match is someone else's and is never touched.
 */
import fs from 'node:fs';

/** The argument vectors of this machine's processes (Linux /proc; elsewhere none are found). */
export function listProcesses(): { pid: number; argv: string[] }[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const found: { pid: number; argv: string[] }[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    try {
      const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (raw) found.push({ pid, argv: raw.replace(/\0$/, '').split('\0') });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Asks a process to stop with `signal`, waits up to `graceMs` for it to go, then kills it.
 * Resolves once it is gone.
 */
export async function stopProcess(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  send(signal);
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (!isAlive(pid)) return;
  send('SIGKILL');
  const hard = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < hard) await sleep(100);
  if (isAlive(pid)) throw new Error(`process ${pid} did not stop after SIGKILL`);
}

/** The value after `flag` in argv (`--flag value` or `--flag=value`). */
export function argAfter(argv: string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === flag) return argv[i + 1];
    if (argv[i]!.startsWith(`${flag}=`)) return argv[i]!.slice(flag.length + 1);
  }
  return undefined;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One start command per data folder. The file holds the pid of the start command that owns the
 * folder; while that process lives, a second start is refused (it would otherwise take the first
 * one's servers for leftovers). A file whose process is gone is a crash: the new start takes over.
 */
export function claimDataDir(dataDir: string, marker: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = `${dataDir}/start.pid`;
  // Created exclusively ('wx'): of two starts racing, one wins and the other sees its pid.
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw e;
    }
    const previous = Number(fs.readFileSync(file, 'utf8').trim() || 0);
    if (previous > 0 && previous !== process.pid) {
      const holder = listProcesses().find((p) => p.pid === previous);
      if (holder && holder.argv.some((a) => a.includes(marker))) {
        throw new Error(`Rectify is already running from ${dataDir} (pid ${previous}); stop it first (Ctrl-C in its terminal, or kill ${previous})`);
      }
    }
    fs.rmSync(file, { force: true }); // left by a start that crashed (or by this process): take it over
  }
  return () => {
    try {
      if (Number(fs.readFileSync(file, 'utf8').trim()) === process.pid) fs.rmSync(file);
    } catch {
      // already gone
    }
  };
}
