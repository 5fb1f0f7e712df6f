#!/usr/bin/env bash
# `npm test`: a supported Node, install what is missing, then run the vitest suite against a real
# PostgreSQL (embedded, fresh per run) and a real Temporal dev server.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh
bash scripts/ensure-installed.sh
# Debian's chromium for the console's browser tests (tests/console.test.ts, playwright-core drives
# it; no browser download). The tests fail, never skip, without it.
if [ ! -x "${RECTIFY_CHROMIUM:-/usr/bin/chromium}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "rectify: installing chromium for the console's browser tests (apt)…" >&2
  (apt-get install -y -q chromium || (apt-get update -q && apt-get install -y -q chromium)) >/dev/null 2>&1 || true
fi
# libfaketime (Debian: faketime) lets the time-skipping test server start its clock on a fixed
# date (before the 2026 National Day holiday, say), so those tests never depend on today.
libfaketime() { ls /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 2>/dev/null | head -n 1; }
if [ -z "$(libfaketime)" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "rectify: installing faketime (apt)…" >&2
    (apt-get install -y -q faketime || (apt-get update -q && apt-get install -y -q faketime)) >/dev/null 2>&1 || true
  fi
  [ -n "$(libfaketime)" ] || echo "rectify: faketime missing (apt-get install faketime): the fixed-date tests will fail" >&2
fi
echo "rectify: node $(node --version)" >&2
exec node_modules/.bin/vitest run "$@"
