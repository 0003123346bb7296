# Sourced by the benchmark scripts: starts the release `koers serve --no-schedule` on a fresh
# SQLite store in $tmp (the first-run snapshot of real figures) on a free port and waits until
# `$1` (a path) answers. Sets `server` (the process id) and `base` (its URL); the caller's EXIT
# trap kills `$server`. Extra variables for the server go in the environment.
start_koers() {
  DATABASE_URL="sqlite://$tmp/koers.db" RUST_LOG=warn "$BIN" serve --addr 127.0.0.1:0 --no-schedule \
    >"$tmp/serve.out" 2>"$tmp/serve.err" &
  server=$!
  base=
  for _ in $(seq 1 150); do
    base=$(grep -o 'running at http://[^ ]*' "$tmp/serve.out" | head -n1 | cut -d' ' -f3 || true)
    [ -n "$base" ] && curl -sf -o /dev/null "$base$1" && return 0
    kill -0 "$server" 2>/dev/null || { cat "$tmp/serve.err" >&2; exit 1; }
    sleep 0.2
  done
  echo "koers did not start" >&2
  cat "$tmp/serve.err" >&2
  exit 1
}
