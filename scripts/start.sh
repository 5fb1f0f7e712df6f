#!/usr/bin/env bash
# `npm start`: install what is missing, then run everything in the foreground (scripts/start.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-installed.sh
# `node --import tsx` rather than the tsx CLI: one process, so Ctrl-C arrives once.
exec node --import tsx scripts/start.ts "$@"
