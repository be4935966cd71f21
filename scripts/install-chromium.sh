#!/usr/bin/env bash
# Makes a headless Chromium available for the browser test of the emulator's state page
# (test/emulator/state-page.browser.test.ts). Prints the browser's path on the last line of stdout; progress goes to
# stderr; exits 1 with the reason when no Chromium can be had.
#
# Order: $CHROMIUM_PATH; a chromium already installed; Debian's `chromium` package through apt-get (the project's
# machines run as root and reach Debian's package registry). Never a browser downloaded by a tool of its own
# (playwright's browser download is not used: playwright-core only drives the system browser).
set -euo pipefail
log() { echo "[install-chromium] $*" >&2; }

works() { # $1 = a browser binary; true when it runs and reports a version
  [ -x "$1" ] && "$1" --version >/dev/null 2>&1
}

if [ -n "${CHROMIUM_PATH:-}" ]; then
  works "$CHROMIUM_PATH" || { log "CHROMIUM_PATH=$CHROMIUM_PATH does not run"; exit 1; }
  echo "$CHROMIUM_PATH"; exit 0
fi

for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if works "$candidate"; then echo "$candidate"; exit 0; fi
done

command -v apt-get >/dev/null 2>&1 || { log "no apt-get on this machine: install Chromium and set CHROMIUM_PATH"; exit 1; }
if [ "$(id -u)" != "0" ]; then
  log "apt-get needs root (this user is $(id -un)): run 'apt-get install chromium' as root or set CHROMIUM_PATH"
  exit 1
fi

# Several test workers may call this at once: one installs, the others wait for the lock.
LOCK="${TMPDIR:-/tmp}/pulumi-plivo-install-chromium.lock"
exec 9>"$LOCK"
flock -w 900 9 || { log "timed out waiting for another install to finish"; exit 1; }
for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if works "$candidate"; then echo "$candidate"; exit 0; fi
done

export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
log "installing Debian's chromium package (apt-get; about 100 MB, a minute or two)"
if ! apt-get install -y -q --no-install-recommends chromium >&2; then
  log "apt-get install failed; refreshing the package lists and trying again"
  apt-get update -q >&2 || { log "apt-get update failed"; exit 1; }
  apt-get install -y -q --no-install-recommends chromium >&2 || { log "apt-get install chromium failed"; exit 1; }
fi
log "installed in $(( $(date +%s) - start ))s"
works /usr/bin/chromium || { log "/usr/bin/chromium does not run after the install"; exit 1; }
echo /usr/bin/chromium
