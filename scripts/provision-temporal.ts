/** Makes sure a Temporal CLI is available (see infra/temporal-binary.ts) and says where from. */
import { loadConfig } from '../infra/config';
import { provisionTemporalBinary } from '../infra/temporal-binary';

const cfg = loadConfig();
const found = provisionTemporalBinary({ cacheDir: cfg.RECTIFY_CACHE_DIR, explicitPath: cfg.TEMPORAL_BIN, log: (m) => console.error(`rectify: ${m}`) });
console.error(
  found
    ? `rectify: Temporal CLI ready (${found.source}: ${found.path}, ${found.seconds.toFixed(1)} s)`
    : 'rectify: no local Temporal CLI; the SDK will download the dev server (needs internet)',
);
