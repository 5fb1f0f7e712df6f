/**
 * Makes sure a Temporal CLI (infra/temporal-binary.ts) and the time-skipping test server
 * (infra/time-skipping-server.ts) are available, and says where from.
 */
import { loadConfig } from '../infra/config';
import { provisionTemporalBinary } from '../infra/temporal-binary';
import { provisionTimeSkippingServer } from '../infra/time-skipping-server';

const cfg = loadConfig();
const found = provisionTemporalBinary({ cacheDir: cfg.RECTIFY_CACHE_DIR, explicitPath: cfg.TEMPORAL_BIN, log: (m) => console.error(`rectify: ${m}`) });
console.error(
  found
    ? `rectify: Temporal CLI ready (${found.source}: ${found.path}, ${found.seconds.toFixed(1)} s)`
    : 'rectify: no local Temporal CLI; the SDK will download the dev server (needs internet)',
);

// The time-skipping test server the workflow timer tests run on (Maven Central, Java 17).
const t = Date.now();
const wrapper = provisionTimeSkippingServer({ cacheDir: cfg.RECTIFY_CACHE_DIR, log: (m) => console.error(`rectify: ${m}`) });
console.error(`rectify: time-skipping test server ready (${wrapper}, ${((Date.now() - t) / 1000).toFixed(1)} s)`);
