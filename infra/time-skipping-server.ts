/**
 * Provisions Temporal's time-skipping test server offline: the Maven Central artifact
 * io.temporal:temporal-test-server (main class io.temporal.testserver.TestServer), fetched with
 * its dependencies by Maven into RECTIFY_CACHE_DIR, and a wrapper script that `exec`s java —
 * the SDK kills only the process it started and waits only ~5 s for the port, so the wrapper
 * must become the JVM rather than spawn it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const TEST_SERVER_VERSION = '1.38.0';

/** Fetched already (Maven ran to completion into the cache): provisioning is then only a small file write. */
export function timeSkippingServerProvisioned(cacheDir: string): boolean {
  return fs.existsSync(path.join(cacheDir, `temporal-test-server-${TEST_SERVER_VERSION}`, 'lib', '.complete'));
}

export function provisionTimeSkippingServer(opts: { cacheDir: string; log?: (m: string) => void }): string {
  const dir = path.join(opts.cacheDir, `temporal-test-server-${TEST_SERVER_VERSION}`);
  const wrapper = path.join(dir, 'temporal-test-server');
  const lib = path.join(dir, 'lib');
  if (!fs.existsSync(path.join(lib, '.complete'))) fetchWithMaven(dir, lib, opts.log);
  const archive = path.join(dir, 'classes.jsa');
  if (!fs.existsSync(archive)) buildClassArchive(lib, archive, opts.log);
  // Written every time (it is tiny), so a changed wrapper never hides behind the cache.
  const tmp = `${wrapper}.${process.pid}.tmp`;
  fs.writeFileSync(
    tmp,
    `#!/bin/sh
# Usage: temporal-test-server <port> [--enable-time-skipping]
# RECTIFY_TEST_CLOCK='@2026-09-18 00:00:00' (UTC) starts the server's clock at that instant
# (libfaketime), so tests can live through a past holiday; time then advances (and skips) as usual.
if [ -n "$RECTIFY_TEST_CLOCK" ]; then
  # LD_PRELOAD rather than the faketime command, which forks: the SDK must be able to kill the JVM itself.
  lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
  [ -n "$lib" ] || { echo "RECTIFY_TEST_CLOCK needs libfaketime (apt-get install faketime)" >&2; exit 1; }
  # FAKETIME_FORCE_MONOTONIC_FIX=0: libfaketime's default rewrites the JVM's timed waits
  # (pthread_cond_timedwait on the monotonic clock), and every wait then ran to its timeout —
  # each workflow task and Update took about a second instead of tens of milliseconds (measured:
  # an acknowledge 1–2 s with the fix on, 40–70 ms with it off, as without libfaketime).
  export LD_PRELOAD="$lib" FAKETIME="$RECTIFY_TEST_CLOCK" FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0
  exec java ${JVM_FLAGS} -XX:SharedArchiveFile='${archive}' -cp '${lib}/*' io.temporal.testserver.TestServer "$@"
fi
exec java ${JVM_FLAGS} -XX:SharedArchiveFile='${archive}' -cp '${lib}/*' io.temporal.testserver.TestServer "$@"
`,
    { mode: 0o755 },
  );
  fs.renameSync(tmp, wrapper);
  return wrapper;
}

/**
 * The SDK gives the server about 5 s to open its port; a cold JVM on two busy cores (and under
 * libfaketime) can take longer. A class-data-sharing archive and the C1 compiler only bring
 * start-up to well under a second.
 */
const JVM_FLAGS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto';

function buildClassArchive(lib: string, archive: string, log?: (m: string) => void): void {
  log?.('building a class-data-sharing archive for the test server (first time only)…');
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const script = `java ${JVM_FLAGS} -XX:ArchiveClassesAtExit='${archive}' -cp '${lib}/*' io.temporal.testserver.TestServer ${port} --enable-time-skipping >/dev/null 2>&1 &
pid=$!; i=0
until (echo > /dev/tcp/127.0.0.1/${port}) 2>/dev/null || [ $i -gt 600 ]; do sleep 0.1; i=$((i+1)); done
sleep 1; kill $pid; wait $pid`;
  spawnSync('bash', ['-c', script], { stdio: 'ignore' });
  // Without an archive the JVM starts anyway (-Xshare:auto), only slower.
}

function fetchWithMaven(dir: string, lib: string, log?: (m: string) => void): void {
  fs.mkdirSync(dir, { recursive: true });
  const pom = path.join(dir, 'pom.xml');
  fs.writeFileSync(
    pom,
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>rectify</groupId><artifactId>temporal-test-server-fetch</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TEST_SERVER_VERSION}</version></dependency>
  </dependencies>
</project>
`,
  );
  log?.(`fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} with Maven (first time only)…`);
  const r = spawnSync('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`Maven could not fetch io.temporal:temporal-test-server:${TEST_SERVER_VERSION} (is Maven Central reachable?)`);
  fs.writeFileSync(path.join(lib, '.complete'), new Date().toISOString());
}
