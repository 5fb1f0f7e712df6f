#!/usr/bin/env bash
# `npm start`: a supported Node, install what is missing, then run everything in the foreground
# (scripts/start.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh
bash scripts/ensure-installed.sh
# `node --import tsx` rather than the tsx CLI: one process, so Ctrl-C arrives once.
exec node --import tsx scripts/start.ts "$@"
