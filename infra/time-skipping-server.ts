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

export function provisionTimeSkippingServer(opts: { cacheDir: string; log?: (m: string) => void }): string {
  const dir = path.join(opts.cacheDir, `temporal-test-server-${TEST_SERVER_VERSION}`);
  const wrapper = path.join(dir, 'temporal-test-server');
  if (fs.existsSync(wrapper)) return wrapper;
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
  opts.log?.(`fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} with Maven (first time only)…`);
  const r = spawnSync('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${path.join(dir, 'lib')}`], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`Maven could not fetch io.temporal:temporal-test-server:${TEST_SERVER_VERSION} (is Maven Central reachable?)`);
  const tmp = `${wrapper}.tmp`;
  fs.writeFileSync(tmp, `#!/bin/sh\n# Usage: temporal-test-server <port> [--enable-time-skipping]\nexec java -cp '${path.join(dir, 'lib')}/*' io.temporal.testserver.TestServer "$@"\n`, { mode: 0o755 });
  fs.renameSync(tmp, wrapper);
  return wrapper;
}
