#!/usr/bin/env bash
# Installs what a fresh clone lacks: npm packages (from the lock file), and the Temporal CLI
# (built offline from the Go module proxy into ~/.cache/rectify, once per machine).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsx ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "rectify: installing npm packages…" >&2
  # Not `npm ci`: the registries reachable here lack some other platforms' optional binaries
  # (e.g. @swc/core-darwin-arm64), so the lock can never list them and `npm ci` refuses it.
  # `npm install --no-save` installs exactly the locked versions and leaves the lock untouched.
  npm install --no-save --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/tsx scripts/provision-temporal.ts
