import { defineConfig } from 'vitest/config';

// The pure rules in domain/ only: no database, no Temporal — seconds, for a quick loop while editing
// (`npm run test:unit`). `npm test` runs these too, with everything else.
export default defineConfig({ test: { include: ['tests/domain/**/*.test.ts', 'tests/letters/**/*.test.ts', 'tests/delivery/**/*.test.ts'] } });
