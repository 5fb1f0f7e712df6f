#!/usr/bin/env bash
# Installs what a fresh clone lacks: npm packages (from the lock file), and the Temporal CLI
# (built offline from the Go module proxy into ~/.cache/rectify, once per machine).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsx ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "rectify: installing npm packages (npm ci)…" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/tsx scripts/provision-temporal.ts
