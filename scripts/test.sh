#!/usr/bin/env bash
# `npm test`: install what is missing, then run the vitest suite against a real PostgreSQL
# (embedded, fresh per run) and a real Temporal dev server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-installed.sh
exec node_modules/.bin/vitest run "$@"
