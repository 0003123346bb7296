#!/usr/bin/env bash
# Load benchmark (issue 7): prints figures, fails on nothing but a broken setup.
#
# Builds the release binary (SKIP_BUILD=1 uses the one already built), starts
# `koers serve --no-schedule` with its default settings on a temporary SQLite store (the first-run
# snapshot of real figures) on a free port, and drives it with wrk (Debian) on the same two cores:
#   1. cached chart images, an embed page and an API answer: requests/s of Koers against nginx
#      (Debian) serving the very same bytes with the same Content-Type (goal >= 0.5x);
#   2. the series page, rendered for every request (pages are never served from a cache: each
#      carries its own CSP nonce), with as many connections as Koers renders pages at once
#      (four per core), so it measures rendering, not load shedding: requests/s and p95
#      (goals >= 1,000 r/s, p95 <= 25 ms);
#   3. a news spike: 256 connections on that page: p99, answers by status (goal: p99 <= 50 ms,
#      nothing but 200 and 429/503) and the server's memory before and after (goal: <= 50 MB
#      growth).
# Ingest rows/s (SQLite against plain rusqlite, and PostgreSQL) is the other half of the issue's
# load figures: `cargo run --release -p tests --example bench_ingest`.
# DURATION (seconds per run, default 10), CONNECTIONS (cached answers, default 64),
# PAGE_CONNECTIONS (the series page, default four per core) and THREADS (wrk threads, default 2)
# change the runs. Results are recorded in docs/benchmarks.md ("Load").
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/koers/target}"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
PAGE_CONNECTIONS="${PAGE_CONNECTIONS:-$(($(nproc) * 4))}"
THREADS="${THREADS:-2}"
SERIES=homeless_people_18_65

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || {
    echo "bench-load.sh needs $tool: apt-get install wrk nginx-light curl" >&2
    exit 2
  }
done
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  bash scripts/build-site.sh >/dev/null
  cargo build --release -p server
fi
BIN="$CARGO_TARGET_DIR/release/koers"
[ -x "$BIN" ] || { echo "no release binary at $BIN" >&2; exit 2; }

tmp=$(mktemp -d)
chmod 755 "$tmp"
server=
nginx_pid=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# shellcheck source=bench/serve.sh
source scripts/bench/serve.sh
start_koers "/series/$SERIES"

# wrk against one URL; prints the RESULT line of scripts/bench/wrk.lua without its prefix.
load() { # connections url
  wrk -t"$THREADS" -c"$1" -d"${DURATION}s" --latency -s scripts/bench/wrk.lua "$2" \
    | sed -n 's/^RESULT //p'
}
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$server/status"; }

echo "Koers $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- app server store charts || echo '+changes'), $(date -u +%F), $(nproc) cores, wrk -t$THREADS, ${DURATION} s per run"
echo

# 1. Cached answers against nginx serving the same bytes.
cached=(
  "/charts/$SERIES.png"
  "/charts/$SERIES.svg"
  "/embed/series/$SERIES"
  "/api/v1/series/$SERIES"
)
mkdir -p "$tmp/www" "$tmp/nginx"
locations=
i=0
for path in "${cached[@]}"; do
  i=$((i + 1))
  curl -sf -D "$tmp/h$i" -o "$tmp/www/$i" "$base$path"
  curl -sf -o /dev/null "$base$path" # the second request is a render-cache hit
  ctype=$(tr -d '\r' <"$tmp/h$i" | awk -F': ' 'tolower($1)=="content-type"{print $2}')
  locations+="    location = ${path%%\?*} { types { } default_type \"$ctype\"; alias $tmp/www/$i; }"$'\n'
done
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -e "s|@TMP@|$tmp|g" -e "s|@PORT@|$nginx_port|g" scripts/bench/nginx.conf >"$tmp/nginx.conf"
printf '%s}\n}\n' "$locations" >>"$tmp/nginx.conf"
nginx -c "$tmp/nginx.conf" -p "$tmp/nginx" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$nginx_port${cached[0]}" && break; sleep 0.1; done

echo "1. cached answers, $CONNECTIONS connections (goal: Koers >= 0.5x nginx)"
printf '%-36s %9s %9s %7s %10s %10s  %s\n' path bytes "koers r/s" "nginx" "koers/ngx" "koers p99" statuses
i=0
for path in "${cached[@]}"; do
  i=$((i + 1))
  k=$(load "$CONNECTIONS" "$base$path")
  n=$(load "$CONNECTIONS" "http://127.0.0.1:$nginx_port$path")
  printf '%-36s %9s %9s %7s %9.2fx %8s ms  %s\n' "$path" "$(stat -c %s "$tmp/www/$i")" \
    "$(field rps "$k")" "$(field rps "$n")" \
    "$(awk -v a="$(field rps "$k")" -v b="$(field rps "$n")" 'BEGIN{print a/b}')" \
    "$(field p99 "$k")" "$(field statuses "$k")"
done
echo

# 2. The series page, rendered for every request.
page="/series/$SERIES"
echo "2. uncached series page $page, $PAGE_CONNECTIONS connections (goals: >= 1000 r/s, p95 <= 25 ms)"
r=$(load "$PAGE_CONNECTIONS" "$base$page")
printf '   %s r/s, p50 %s ms, p95 %s ms, p99 %s ms, statuses %s, socket errors %s\n' \
  "$(field rps "$r")" "$(field p50 "$r")" "$(field p95 "$r")" "$(field p99 "$r")" \
  "$(field statuses "$r")" "$(field socket_errors "$r")"
echo

# 3. A news spike.
before=$(rss_kb)
echo "3. news spike: 256 connections on $page (goals: p99 <= 50 ms, only 200/429/503, memory <= +50 MB)"
r=$(load 256 "$base$page")
after=$(rss_kb)
peak=$(awk '/^VmHWM/{print $2}' "/proc/$server/status")
printf '   %s r/s, p50 %s ms, p95 %s ms, p99 %s ms, max %s ms, statuses %s, socket errors %s\n' \
  "$(field rps "$r")" "$(field p50 "$r")" "$(field p95 "$r")" "$(field p99 "$r")" \
  "$(field max "$r")" "$(field statuses "$r")" "$(field socket_errors "$r")"
printf '   memory (RSS): %d MB before, %d MB after (%+d MB), peak %d MB over the whole run\n' \
  $((before / 1024)) $((after / 1024)) $(((after - before) / 1024)) $((peak / 1024))
kill -0 "$server" 2>/dev/null || { echo "koers died during the spike" >&2; exit 1; }
