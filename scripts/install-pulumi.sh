#!/usr/bin/env bash
# Makes a Pulumi CLI, its language hosts for Node.js and YAML, and the dynamic-provider plugin available in one
# directory, and prints that directory on the last line of stdout (progress goes to stderr).
#
#   bash scripts/install-pulumi.sh            # the current CLI of scripts/toolchain.json → .pulumi-cli/bin
#   bash scripts/install-pulumi.sh oldest     # the oldest supported CLI → .pulumi-cli/v<version>/bin
#   bash scripts/install-pulumi.sh 3.270.0    # any version → .pulumi-cli/v3.270.0/bin
#
# CLI order: a `pulumi` already installed in that directory; for the default request, a recent-enough `pulumi` on
# PATH that comes with its own language hosts (an official install); the official installer where the network
# allows it; otherwise a build from the Go module proxy (the machines carry Go for this).
# Language hosts: the official installer brings both. A Go build adds the real `pulumi-language-yaml` (module
# github.com/pulumi/pulumi-yaml) and, because the module proxy refuses the real `pulumi-language-nodejs`, the
# project's own Node.js host (scripts/language-host) with its TypeScript generator (scripts/language-host/codegen).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
toolchain() { node -p "require('$ROOT/scripts/toolchain.json').$1"; }
REQUEST="${1:-${PULUMI_VERSION:-current}}"
case "$REQUEST" in
  current) PULUMI_VERSION="$(toolchain pulumiCli.current)"; EXACT=0 ;;
  oldest) PULUMI_VERSION="$(toolchain pulumiCli.oldest)"; EXACT=1 ;;
  *) PULUMI_VERSION="${REQUEST#v}"; EXACT=1 ;;
esac
OLDEST="$(toolchain pulumiCli.oldest)"
YAML_VERSION="${PULUMI_YAML_VERSION:-$(toolchain pulumiYaml)}"
if [ "$PULUMI_VERSION" = "$(toolchain pulumiCli.current)" ]; then DEFAULT_DEST="$ROOT/.pulumi-cli"; else DEFAULT_DEST="$ROOT/.pulumi-cli/v$PULUMI_VERSION"; fi
DEST="${PULUMI_CLI_DIR:-$DEFAULT_DEST}"
BIN="$DEST/bin"
HOST_MARKER="plivo-provider language host"          # grep-able marker inside our own host script
CODEGEN="pulumi-plivo-nodejs-codegen"
log() { echo "[install-pulumi] $*" >&2; }

version_of() { "$1" version 2>/dev/null | sed 's/^v//'; }
at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; } # $1 >= $2
version_ok() { # $1 = a pulumi binary: exactly the requested version, or (default request) at least it
  local v; v="$(version_of "$1")" || return 1
  [ -n "$v" ] || return 1
  if [ "$EXACT" = 1 ]; then [ "$v" = "$PULUMI_VERSION" ]; else at_least "$v" "$PULUMI_VERSION"; fi
}

# Copies atomically and only when changed: parallel test workers may be launching these files right now.
install_file() { # $1 = source, $2 = destination
  cmp -s "$1" "$2" 2>/dev/null && return 0
  cp "$1" "$2.tmp.$$" && chmod +x "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}

is_real_host() { # $1 = a pulumi-language-nodejs path; true for a real (non-project) language host
  [ -x "$1" ] && ! grep -q "$HOST_MARKER" "$1" 2>/dev/null
}

# A Go build through a throw-away wrapper module (modules whose go.mod has replace lines refuse `go install`).
go_build() { # $1 = work dir, $2 = go.mod body, $3 = package to build, $4 = output, $5 = ldflags
  command -v go >/dev/null 2>&1 || { log "no Go toolchain: install Go, or put a pulumi $PULUMI_VERSION with its language hosts on PATH"; exit 1; }
  mkdir -p "$1"
  printf '%s\n' "$2" > "$1/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$3" > "$1/tools.go"
  (cd "$1" && GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" go mod tidy >&2 || true)
  (cd "$1" && GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" go build -ldflags "$5" -o "$4.tmp.$$" "$3" >&2)
  mv -f "$4.tmp.$$" "$4"
}

CLIPBOARD_REPLACE="replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e"

build_cli() {
  local start; start=$(date +%s)
  log "building pulumi v$PULUMI_VERSION from the Go module proxy (first run downloads about 1.5 GB; minutes on 2 cores, see scripts/README.md)"
  go_build "$DEST/build" "module plivo-provider/pulumi-cli-build

go 1.25

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

$CLIPBOARD_REPLACE" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$BIN/pulumi" \
    "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
  log "built pulumi in $(( $(date +%s) - start ))s"
}

# The real YAML language host, built with the Pulumi modules its own go.mod asks for.
install_yaml_host() {
  if [ -x "$BIN/pulumi-language-yaml" ] && [ "$(cat "$BIN/.yaml-version" 2>/dev/null)" = "$YAML_VERSION" ]; then return 0; fi
  if [ -x "$BIN/pulumi-language-yaml" ] && [ ! -f "$BIN/.yaml-version" ]; then return 0; fi # came with an official install
  local start; start=$(date +%s)
  log "building pulumi-language-yaml v$YAML_VERSION from the Go module proxy"
  go_build "$DEST/build-yaml" "module plivo-provider/pulumi-yaml-build

go 1.25

require github.com/pulumi/pulumi-yaml v$YAML_VERSION" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml "$BIN/pulumi-language-yaml" \
    "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$YAML_VERSION"
  echo "$YAML_VERSION" > "$BIN/.yaml-version"
  log "built pulumi-language-yaml in $(( $(date +%s) - start ))s"
}

# The project's TypeScript generator for its Node.js host, rebuilt when its source changes.
install_codegen() {
  local src="$ROOT/scripts/language-host/codegen" stamp
  stamp="$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" 2>/dev/null | sha256sum | cut -c1-16)"
  if [ -x "$BIN/$CODEGEN" ] && [ "$(cat "$BIN/.codegen-stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  command -v go >/dev/null 2>&1 || { log "no Go toolchain: \`pulumi import\` cannot print TypeScript with the project's language host"; return 0; }
  local start; start=$(date +%s)
  log "building the TypeScript generator of the project's language host"
  (cd "$src" && GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" go build -ldflags "-s -w" -o "$BIN/$CODEGEN.tmp.$$" . >&2)
  mv -f "$BIN/$CODEGEN.tmp.$$" "$BIN/$CODEGEN"
  echo "$stamp" > "$BIN/.codegen-stamp"
  log "built $CODEGEN in $(( $(date +%s) - start ))s"
}

# Puts the language hosts and the dynamic-provider shim next to $BIN/pulumi, where the CLI looks for bundled plugins.
install_plugins() {
  local ambient; ambient="$(PATH="${PATH//$BIN:/}" command -v pulumi-language-nodejs 2>/dev/null || true)"
  if is_real_host "$BIN/pulumi-language-nodejs"; then
    log "keeping the real Node.js language host in $BIN"
  elif [ -n "$ambient" ] && is_real_host "$ambient"; then
    log "using the real Node.js language host from PATH: $ambient"
    ln -sf "$ambient" "$BIN/pulumi-language-nodejs"
  else
    log "using the project's Node.js language host (no real pulumi-language-nodejs available)"
    [ -L "$BIN/pulumi-language-nodejs" ] && rm -f "$BIN/pulumi-language-nodejs"
    install_file "$ROOT/scripts/language-host/host.js" "$BIN/host.js"
    install_file "$ROOT/scripts/language-host/pulumi-language-nodejs" "$BIN/pulumi-language-nodejs"
    install_codegen
  fi
  install_yaml_host
  # The dynamic provider plugin is a shell script shipped in the npm package; it resolves
  # @pulumi/pulumi/cmd/dynamic-provider from its working directory (the program's node_modules).
  local shim="$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  [ -f "$shim" ] || { log "missing $shim: run npm install in $ROOT first"; exit 1; }
  install_file "$shim" "$BIN/pulumi-resource-pulumi-nodejs"
}

mkdir -p "$BIN"
# One installer at a time per directory: parallel test workers may all ask at once.
exec 9>"$DEST/.install.lock"
command -v flock >/dev/null 2>&1 && flock 9

# 1. Already installed here (the common case): refresh our host script, which is cheap and picks up edits.
if [ -x "$BIN/pulumi" ] && version_ok "$BIN/pulumi"; then
  install_plugins
  log "using the CLI in $BIN (v$(version_of "$BIN/pulumi"))"; echo "$BIN"; exit 0
fi
# 2. A complete official install on PATH, recent enough (only when no exact version was asked for).
if [ "$EXACT" = 0 ] && command -v pulumi >/dev/null 2>&1 && version_ok "$(command -v pulumi)"; then
  dir="$(dirname "$(command -v pulumi)")"
  if is_real_host "$dir/pulumi-language-nodejs" && [ -x "$dir/pulumi-language-yaml" ] && [ -x "$dir/pulumi-resource-pulumi-nodejs" ]; then
    log "using pulumi on PATH: $dir (v$(version_of "$dir/pulumi"))"; echo "$dir"; exit 0
  fi
fi
at_least "$PULUMI_VERSION" "$OLDEST" || log "warning: v$PULUMI_VERSION is older than the oldest CLI this project supports (v$OLDEST)"

# 3. The official installer (needs get.pulumi.com and GitHub; skipped quickly when offline). It brings the
#    Node.js and YAML language hosts too.
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

# 4. Build the CLI (and, in install_plugins, the YAML host and the TypeScript generator) from the Go module proxy.
build_cli
install_plugins
echo "$BIN"
