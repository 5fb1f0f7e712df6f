#!/usr/bin/env bash
# Installs what a fresh clone lacks, for the start command and the tests alike: npm packages
# (from the lock file), the Temporal CLI (built offline from the Go module proxy into
# ~/.cache/rectify, once per machine), and the Chinese fonts PDF letters are set in.
# Run by start.sh and test.sh after scripts/node-runtime.sh has chosen the Node.
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
# Chinese fonts for PDF letters (infra/fonts.ts): free Debian fonts unless RECTIFY_FONT_* point
# elsewhere. Without them every PDF download and every e-mail with a PDF answers FONTS_MISSING.
fonts=(fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei)
if [ -z "${RECTIFY_FONT_BODY:-}" ] && { [ ! -f /usr/share/fonts/truetype/arphic/uming.ttc ] || [ ! -f /usr/share/fonts/truetype/arphic/ukai.ttc ] || [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "rectify: installing Chinese fonts for PDF letters (apt)…" >&2
    (apt-get install -y -q "${fonts[@]}" || (apt-get update -q && apt-get install -y -q "${fonts[@]}")) >/dev/null 2>&1 || true
  fi
  [ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || echo "rectify: Chinese fonts missing (apt-get install ${fonts[*]}, or set RECTIFY_FONT_*): PDF letters will answer FONTS_MISSING" >&2
fi
# The Fandol fonts (仿宋, 小标宋, 黑体, 楷体 looks) into the cache, once per machine; the fonts above stay as fallbacks.
bash scripts/provision-fonts.sh || true
