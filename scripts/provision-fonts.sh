#!/usr/bin/env bash
# The Fandol fonts (FandolFang 仿宋, FandolSong 宋/小标宋, FandolHei 黑体, FandolKai 楷体; GB2312
# coverage; GPL with the font exception) for PDF letters, once per machine, into
# ${RECTIFY_CACHE_DIR:-~/.cache/rectify}/fonts/fandol (outside the clone; infra/fonts.ts looks
# there). Debian ships them only inside texlive-lang-chinese, a large package with many
# dependencies: rather than installing TeX Live, this downloads that one .deb from the Debian
# archive (`apt-get download`, no install, no root needed) and extracts only the .otf files.
# Missing Fandol fonts are not fatal: PDFs fall back to the Debian arphic/wqy fonts.
set -euo pipefail
dest="${RECTIFY_CACHE_DIR:-$HOME/.cache/rectify}/fonts/fandol"
want=(FandolFang-Regular FandolSong-Bold FandolSong-Regular FandolHei-Regular FandolKai-Regular)
have=1
for f in "${want[@]}"; do [ -s "$dest/$f.otf" ] || have=0; done
[ "$have" = 1 ] && exit 0
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || { echo "rectify: no apt-get/dpkg-deb: Fandol fonts not installed, PDF letters use the fallback fonts" >&2; exit 0; }
echo "rectify: fetching the Fandol fonts for PDF letters (texlive-lang-chinese .deb, fonts only)…" >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 777 "$work" # apt's _apt user writes the download here
if ! (cd "$work" && { apt-get download -q texlive-lang-chinese >/dev/null 2>&1 || { [ "$(id -u)" = 0 ] && apt-get update -q >/dev/null 2>&1 && apt-get download -q texlive-lang-chinese >/dev/null 2>&1; }; }); then
  echo "rectify: could not download texlive-lang-chinese: Fandol fonts not installed, PDF letters use the fallback fonts" >&2
  exit 0
fi
dpkg-deb -x "$work"/texlive-lang-chinese_*.deb "$work/x"
src="$(dirname "$(find "$work/x" -name FandolFang-Regular.otf | head -n 1)")"
mkdir -p "$dest.tmp"
for f in "${want[@]}"; do cp "$src/$f.otf" "$dest.tmp/"; done
readme="$(find "$work/x" -path '*fandol*' -iname README | head -n 1)"
[ -n "$readme" ] && cp "$readme" "$dest.tmp/README"
rm -rf "$dest" && mv "$dest.tmp" "$dest"
echo "rectify: Fandol fonts in $dest" >&2
