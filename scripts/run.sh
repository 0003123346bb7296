#!/usr/bin/env bash
# Runs Koers on the embedded SQLite store (./data/koers.db) with real published figures:
# installs the build tools if needed, builds the hydration bundle and the release binary, and
# starts `koers serve`. Extra arguments go to `koers serve` (e.g. --addr 0.0.0.0:3000); other
# commands run instead when named first (e.g. `./scripts/run.sh user add --admin anna`).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/koers/target}"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
bash scripts/build-site.sh >/dev/null
cargo build --release -p server
case "${1:-}" in
  user|ingest|sources|migrate|backup|help|--help|--version) exec "$CARGO_TARGET_DIR/release/koers" "$@" ;;
esac
exec "$CARGO_TARGET_DIR/release/koers" serve "$@"
