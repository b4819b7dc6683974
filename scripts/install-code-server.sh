#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the last line on Node 20) for the e2e tests,
# offline (npm registry only), following docs editor-testing.md §7.3.
#
# Target: ${CONTAINER_GUARD_CACHE:-$HOME/.cache/container-guard}/code-server-4.100.3 (outside the repo).
# Idempotent: a marker file is written only after the final `--version` check passes; when it exists
# the script exits at once. A half-finished folder (no marker) is wiped and reinstalled.
# Entry point afterwards: <target>/node_modules/code-server/out/node/entry.js.
#
# Why not a plain `npm install code-server`: its postinstall refuses to run as root without unsafe-perm,
# downloads ripgrep from GitHub (fails offline), and node-pty's `npx node-gyp` waits on a prompt.
# So: install everything with --ignore-scripts and rebuild the native modules explicitly.
# Needs the Debian packages of scripts/system-deps.sh (compiler toolchain, -dev headers, ripgrep).
set -euo pipefail

VERSION=4.100.3
CACHE_ROOT="${CONTAINER_GUARD_CACHE:-$HOME/.cache/container-guard}"
TARGET="$CACHE_ROOT/code-server-$VERSION"
MARKER="$TARGET/.install-complete"
PKG="$TARGET/node_modules/code-server"

log() { printf 'install-code-server: %s\n' "$*"; }

if [ -f "$MARKER" ] && [ -f "$PKG/out/node/entry.js" ]; then
  log "already installed in $TARGET"
  exit 0
fi

for tool in node npm rg make g++ python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "missing '$tool' (run scripts/system-deps.sh first)" >&2
    exit 1
  fi
done
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != "20" ]; then
  log "code-server $VERSION needs Node 20, found $(node --version)" >&2
  exit 1
fi

mkdir -p "$CACHE_ROOT"
# Serialise concurrent installs (two test runs started together on a fresh machine).
exec 9>"$CACHE_ROOT/.code-server-$VERSION.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
  # Another process may have finished the install while we waited.
  if [ -f "$MARKER" ] && [ -f "$PKG/out/node/entry.js" ]; then
    log "already installed in $TARGET"
    exit 0
  fi
fi

# Non-interactive npm: `yes` answers node-pty's `npx node-gyp` prompt; unsafe-perm is what the
# upstream postinstall asks for as root (harmless "Unknown env config" warning on npm 11).
export npm_config_yes=true
export npm_config_unsafe_perm=true
export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false
# node-gyp must compile against the local Node headers: its default downloads them (offline: fails).
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  case "$(npm config get nodedir 2>/dev/null)" in
    "" | null | undefined) export npm_config_nodedir=/usr ;;
  esac
fi
# Keep code-server's own config/log writes (e.g. during --version) out of the user's home.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data"

start=$SECONDS
step() { log "[$((SECONDS - start))s] $*"; }

step "installing into $TARGET"
rm -rf "$TARGET"
mkdir -p "$TARGET"
cd "$TARGET"
printf '{ "name": "container-guard-code-server", "private": true }\n' > package.json

step "1/6 npm install code-server@$VERSION --ignore-scripts"
npm install --no-save --ignore-scripts --loglevel=error "code-server@$VERSION"

step "2/6 npm rebuild argon2 (source build; the prebuilt download needs GitHub)"
npm rebuild --loglevel=error argon2

cd "$PKG/lib/vscode"
step "3/6 lib/vscode: production dependencies (--omit=dev --ignore-scripts)"
npm install --omit=dev --ignore-scripts --loglevel=error

# The native modules whose install scripts the upstream postinstall would run on Linux.
# @parcel/watcher ships a prebuilt linux-x64 package; the windows-* modules are Windows-only;
# @vscode/ripgrep's postinstall only downloads rg (replaced below).
step "4/6 lib/vscode: npm rebuild native modules (node-gyp, ~1 min)"
npm rebuild --loglevel=error @vscode/deviceid @vscode/spdlog kerberos native-watchdog node-pty

step "5/6 lib/vscode: ripgrep from Debian, asar and bin symlinks (as the upstream postinstall does)"
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sfn "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)

step "6/6 lib/vscode/extensions: built-in extensions' dependencies"
cd extensions
npm install --omit=dev --ignore-scripts --loglevel=error
# Upstream postinstall: trims the shared TypeScript package to what the extensions use. Local only.
node postinstall.mjs >/dev/null

step "checking: node out/node/entry.js --version"
cd "$PKG"
# stdout may also hold an info line ("Wrote default config file ..."); keep the version line.
version_line="$(node out/node/entry.js --version | grep -E "^$VERSION " || true)"
if [ -z "$version_line" ]; then
  log "unexpected --version output (expected a line starting with $VERSION)" >&2
  exit 1
fi
log "$version_line"
# Fail now (not in the middle of a test) if a native module did not build.
node -e '
  const { createRequire } = require("module");
  const path = require("path");
  const vscodeRequire = createRequire(path.resolve("lib/vscode/package.json"));
  for (const m of ["@vscode/spdlog", "node-pty", "native-watchdog", "kerberos"]) vscodeRequire(m);
  require("argon2"); // hoisted to <target>/node_modules, resolved from here
'

printf '%s\n' "$version_line" > "$MARKER"
step "done ($(du -sh "$TARGET" | cut -f1))"
