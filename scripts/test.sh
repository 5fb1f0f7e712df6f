#!/usr/bin/env bash
# `npm test`: install what is missing, then run the vitest suite against a real PostgreSQL
# (embedded, fresh per run) and a real Temporal dev server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-installed.sh
# libfaketime (Debian: faketime) lets the time-skipping test server start its clock before the
# 2026 National Day holiday, so the tests live through it. Installed here when we can.
libfaketime() { ls /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 2>/dev/null | head -n 1; }
if [ -z "$(libfaketime)" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "rectify: installing faketime (apt)…" >&2
    (apt-get install -y -q faketime || (apt-get update -q && apt-get install -y -q faketime)) >/dev/null 2>&1 || true
  fi
  [ -n "$(libfaketime)" ] || echo "rectify: faketime missing (apt-get install faketime): the National Day test will fail" >&2
fi
# Chinese fonts for PDF letters (infra/fonts.ts): free Debian fonts unless RECTIFY_FONT_* point elsewhere.
fonts=(fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei)
if [ -z "${RECTIFY_FONT_BODY:-}" ] && [ ! -f /usr/share/fonts/truetype/arphic/uming.ttc -o ! -f /usr/share/fonts/truetype/arphic/ukai.ttc -o ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "rectify: installing Chinese fonts for PDF letters (apt)…" >&2
    (apt-get install -y -q "${fonts[@]}" || (apt-get update -q && apt-get install -y -q "${fonts[@]}")) >/dev/null 2>&1 || true
  fi
fi
exec node_modules/.bin/vitest run "$@"
