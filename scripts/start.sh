#!/usr/bin/env bash
# `npm start`: install what is missing, then run everything in the foreground (scripts/start.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-installed.sh
exec node_modules/.bin/tsx scripts/start.ts "$@"
