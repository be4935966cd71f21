#!/usr/bin/env bash
# Makes a Pulumi CLI, a Node.js language host and the dynamic-provider plugin available in one directory.
#
# CLI order: a recent-enough `pulumi` already on PATH (used as is when it comes with its own language host);
# the official installer where the network allows it; otherwise a build from the Go module proxy at the pinned
# version into .pulumi-cli/bin (git-ignored; the machines carry Go for this).
# Language host: the real `pulumi-language-nodejs` when one came with the CLI or is on PATH; otherwise the
# project's own (scripts/language-host), because the module proxy refuses the real one's Go module.
# Prints the bin directory on the last line of stdout; progress goes to stderr.
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-3.248.0}"          # keep in step with @pulumi/pulumi in package.json
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${PULUMI_CLI_DIR:-$ROOT/.pulumi-cli}"
BIN="$DEST/bin"
HOST_MARKER="plivo-provider language host"          # grep-able marker inside our own host script
log() { echo "[install-pulumi] $*" >&2; }

version_ok() { # $1 = a pulumi binary; true when its version is >= the pinned one
  local v; v="$("$1" version 2>/dev/null | sed 's/^v//')" || return 1
  [ -n "$v" ] || return 1
  [ "$(printf '%s\n%s\n' "$PULUMI_VERSION" "$v" | sort -V | head -n1)" = "$PULUMI_VERSION" ]
}

# Copies atomically and only when changed: parallel test workers may be launching these files right now.
install_file() { # $1 = source, $2 = destination
  cmp -s "$1" "$2" 2>/dev/null && return 0
  cp "$1" "$2.tmp.$$" && chmod +x "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}

is_real_host() { # $1 = a pulumi-language-nodejs path; true for a real (non-project) language host
  [ -x "$1" ] && ! grep -q "$HOST_MARKER" "$1" 2>/dev/null
}

# Puts a language host and the dynamic-provider shim next to $BIN/pulumi, where the CLI looks for bundled plugins.
install_plugins() {
  local ambient; ambient="$(PATH="${PATH//$BIN:/}" command -v pulumi-language-nodejs 2>/dev/null || true)"
  if is_real_host "$BIN/pulumi-language-nodejs"; then
    log "keeping the real language host in $BIN"
  elif [ -n "$ambient" ] && is_real_host "$ambient"; then
    log "using the real language host from PATH: $ambient"
    ln -sf "$ambient" "$BIN/pulumi-language-nodejs"
  else
    log "using the project's language host (no real pulumi-language-nodejs available)"
    [ -L "$BIN/pulumi-language-nodejs" ] && rm -f "$BIN/pulumi-language-nodejs"
    install_file "$ROOT/scripts/language-host/host.js" "$BIN/host.js"
    install_file "$ROOT/scripts/language-host/pulumi-language-nodejs" "$BIN/pulumi-language-nodejs"
  fi
  # The dynamic provider plugin is a shell script shipped in the npm package; it resolves
  # @pulumi/pulumi/cmd/dynamic-provider from its working directory (the program's node_modules).
  local shim="$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  [ -f "$shim" ] || { log "missing $shim: run npm install in $ROOT first"; exit 1; }
  install_file "$shim" "$BIN/pulumi-resource-pulumi-nodejs"
}

# 1. Already installed here (the common case): refresh our host script, which is cheap and picks up edits.
if [ -x "$BIN/pulumi" ] && version_ok "$BIN/pulumi"; then
  install_plugins
  log "using cached CLI in $BIN"; echo "$BIN"; exit 0
fi
# 2. A complete install on PATH.
if command -v pulumi >/dev/null 2>&1 && version_ok "$(command -v pulumi)"; then
  dir="$(dirname "$(command -v pulumi)")"
  if is_real_host "$dir/pulumi-language-nodejs" && [ -x "$dir/pulumi-resource-pulumi-nodejs" ]; then
    log "using pulumi on PATH: $dir"; echo "$dir"; exit 0
  fi
fi

mkdir -p "$BIN"
# 3. The official installer (needs get.pulumi.com and GitHub; skipped quickly when offline).
if [ "${PULUMI_SKIP_INSTALLER:-}" != "1" ] && command -v curl >/dev/null 2>&1 \
   && curl -fsSL --max-time 10 -o "$DEST/install.sh" https://get.pulumi.com 2>/dev/null; then
  log "running the official installer for v$PULUMI_VERSION"
  if sh "$DEST/install.sh" --version "$PULUMI_VERSION" --install-root "$DEST/official" --no-edit-path >&2; then
    cp "$DEST/official/bin/"* "$BIN/"
    install_plugins
    echo "$BIN"; exit 0
  fi
  log "official installer failed; building from source instead"
fi

# 4. Build the CLI from the Go module proxy.
command -v go >/dev/null 2>&1 || { log "no Go toolchain: install Go or put pulumi $PULUMI_VERSION on PATH"; exit 1; }
WORK="$DEST/build"
mkdir -p "$WORK"
cd "$WORK"
# pkg/v3's go.mod carries replace directives, so `go install` refuses it: build through a wrapper module
# that repeats its non-local replace lines.
cat > go.mod <<MOD
module plivo-provider/pulumi-cli-build

go 1.25

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
cat > tools.go <<'SRC'
//go:build tools

package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
SRC
export GOFLAGS="-mod=mod -buildvcs=false"
export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
start=$(date +%s)
log "resolving modules (first run downloads about 1.5 GB through the Go module proxy)"
go mod tidy >&2 || true
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
log "building pulumi v$PULUMI_VERSION (minutes on 2 cores; see scripts/README.md)"
go build -ldflags "$LDFLAGS" -o "$BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
log "built pulumi in $(( $(date +%s) - start ))s"
# The real language host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is not
# built: the module proxy answers 403 for every version of it.
install_plugins
echo "$BIN"
