#!/usr/bin/env bash
# Installs what building (and, with `--test`, testing) Koers needs on a fresh Debian machine of
# this project's kind. Idempotent: each step is skipped when its tool is already there.
#   rustup target wasm32-unknown-unknown · wasm-bindgen-cli (= the version pinned in Cargo.lock)
#   npm packages (binaryen's wasm-opt; playwright-core and axe-core for browser tests)
#   --test: Debian's chromium, and a running PostgreSQL on 127.0.0.1:5432
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$' \
  || { say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (about 2 minutes)"
  # Not --locked: its lock file names a webpki-roots version the registry here does not have.
  cargo install wasm-bindgen-cli --version "=$want"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm tools (wasm-opt, playwright-core, axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" = "--test" ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium for the browser tests"
    (apt-get install -y --no-install-recommends chromium >/dev/null 2>&1) \
      || { apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null; }
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    say "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
fi
