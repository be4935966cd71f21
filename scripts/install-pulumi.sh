#!/usr/bin/env bash
# Makes a Pulumi CLI and the Node.js language host available in .pulumi-cli/bin (git-ignored).
# Order: a recent-enough `pulumi` already on PATH; the official installer where the network allows it;
# otherwise a build from the Go module proxy at the pinned version (the machines carry Go for this).
# Prints the bin directory on its last line of stdout; progress goes to stderr.
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-3.248.0}"          # keep in step with @pulumi/pulumi in package.json
# Commit of the v3.248.0 release tag: the language host module has no semver tags of its own.
PULUMI_COMMIT="${PULUMI_COMMIT:-dc7edd58bc13}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${PULUMI_CLI_DIR:-$ROOT/.pulumi-cli}"
BIN="$DEST/bin"
log() { echo "[install-pulumi] $*" >&2; }

version_ok() { # $1 = a pulumi binary; true when its version is >= the pinned one
  local v; v="$("$1" version 2>/dev/null | sed 's/^v//')" || return 1
  [ -n "$v" ] || return 1
  [ "$(printf '%s\n%s\n' "$PULUMI_VERSION" "$v" | sort -V | head -n1)" = "$PULUMI_VERSION" ]
}

if [ -x "$BIN/pulumi" ] && [ -x "$BIN/pulumi-language-nodejs" ] && version_ok "$BIN/pulumi"; then
  log "using cached CLI in $BIN"; echo "$BIN"; exit 0
fi
if command -v pulumi >/dev/null 2>&1 && command -v pulumi-language-nodejs >/dev/null 2>&1 && version_ok "$(command -v pulumi)"; then
  log "using pulumi on PATH: $(command -v pulumi)"; dirname "$(command -v pulumi)"; exit 0
fi

mkdir -p "$BIN"
if [ "${PULUMI_SKIP_INSTALLER:-}" != "1" ] && command -v curl >/dev/null 2>&1 \
   && curl -fsSL --max-time 10 -o "$DEST/install.sh" https://get.pulumi.com 2>/dev/null; then
  log "running the official installer for v$PULUMI_VERSION"
  if sh "$DEST/install.sh" --version "$PULUMI_VERSION" --install-root "$DEST/official" --no-edit-path >&2; then
    cp "$DEST/official/bin/"* "$BIN/" && echo "$BIN" && exit 0
  fi
  log "official installer failed; building from source instead"
fi

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
log "resolving modules (first run downloads a few hundred MB through the Go module proxy)"
go mod tidy >&2 || true
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
log "building pulumi v$PULUMI_VERSION (several minutes on 2 cores)"
go build -ldflags "$LDFLAGS" -o "$BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
log "building pulumi-language-nodejs"
go build -ldflags "$LDFLAGS" -o "$BIN/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 >&2
log "built in $(( $(date +%s) - start ))s"
echo "$BIN"
