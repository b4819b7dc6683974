#!/usr/bin/env bash
# Installs the Debian 12 packages the editor tests need (see docs: editor-testing.md §6, §7.3):
#   - chromium: headless browser that drives the code-server workbench (e2e);
#   - neovim: second, headless LSP client;
#   - docker-registry (CNCF distribution 2.8), apache2-utils (htpasswd) and openssl: the real OCI registry,
#     its Basic-auth and TLS variants in the registry tests;
#   - ripgrep: replaces the `rg` that @vscode/ripgrep would download from GitHub;
#   - time: GNU time (/usr/bin/time), the child-process CPU time and peak RSS in `npm run bench`;
#   - build-essential, python3, pkg-config and the -dev headers: node-gyp builds of
#     code-server's native modules (argon2, kerberos, node-pty, @vscode/spdlog, ...).
# Idempotent: `dpkg -s` decides what is missing, so a second run is instant and
# `apt-get update` only runs when something has to be installed.
set -euo pipefail

PACKAGES=(
  chromium
  neovim
  ripgrep
  build-essential
  python3
  pkg-config
  libkrb5-dev
  libsecret-1-dev
  libxkbfile-dev
  libx11-dev
  docker-registry
  apache2-utils
  openssl
  time
  # pre-commit (3.0 in Debian 12): runs .pre-commit-hooks.yaml on a sample repository (test/src/precommit).
  pre-commit
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  # `dpkg -s` also succeeds for removed-but-not-purged packages; require "install ok installed".
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "system-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "system-deps: missing: ${missing[*]}"

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: cannot install (needs root and apt-get). Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "system-deps: apt-get update"
apt-get update -qq
echo "system-deps: apt-get install ${missing[*]}"
apt-get install -y -qq --no-install-recommends "${missing[@]}"

# Verify, so a partial install fails here rather than deep inside the test run.
still_missing=()
for pkg in "${missing[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    still_missing+=("$pkg")
  fi
done
if [ "${#still_missing[@]}" -ne 0 ]; then
  echo "system-deps: still missing after install: ${still_missing[*]}" >&2
  exit 1
fi
echo "system-deps: done"
