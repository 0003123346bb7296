#!/usr/bin/env bash
# Runs every Koers check: formatting, lints (server and wasm feature sets), unit and integration
# tests on SQLite and again on PostgreSQL, and browser tests in Debian's Chromium against the
# real binary. Installs what it needs first (scripts/setup.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/koers/target}"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-always}"
PG_URL="${KOERS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
start=$(date +%s)

step "setup"
bash scripts/setup.sh --test

step "format"
cargo fmt --all --check

step "hydration bundle (wasm)"
bash scripts/build-site.sh >/dev/null

step "lints (server and wasm feature sets)"
cargo clippy --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "tests on SQLite"
cargo test

step "storage and integration tests again on PostgreSQL ($PG_URL)"
KOERS_TEST_DATABASE_URL="$PG_URL" cargo test -p store -p auth -p jobs -p server -p tests

step "browser tests (Chromium)"
cargo build -p server -p tests --bin koers --example fake_upstreams
node tests/e2e/browser.mjs "$CARGO_TARGET_DIR/debug/koers" "$CARGO_TARGET_DIR/debug/examples/fake_upstreams"

step "all checks passed in $(( $(date +%s) - start )) s"
