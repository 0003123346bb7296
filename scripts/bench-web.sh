#!/usr/bin/env bash
# Web page weight and Lighthouse: prints figures, fails on nothing but a broken setup.
#
# Builds the hydration bundle and the release binary (SKIP_BUILD=1 uses the ones already
# built), starts `koers serve --no-schedule` on a temporary SQLite store (the first-run
# snapshot) on a free port, then prints
#   - the transfer size of the overview page `/`: HTML, CSS, JS and wasm, each raw, with
#     `Accept-Encoding: gzip`, with `br`, and as a browser gets it (`gzip, deflate, br, zstd`),
#     and the totals against the budgets (HTML + CSS <= 100 KB, wasm + JS <= 250 KB as sent);
#   - for every static asset on the page: its name (content hash?) and Cache-Control;
#   - Lighthouse 12 (npm, on Debian's Chromium, mobile form factor with its default simulated
#     throttling) performance and accessibility scores for the overview and a series page in
#     Dutch and English; LH_RUNS=3 takes the median of three runs per page.
# Results are recorded in docs/benchmarks.md ("Web page weight and Lighthouse").
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/koers/target}"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
LH_RUNS="${LH_RUNS:-1}"
BUDGET_HTML_CSS=100000
BUDGET_JS_WASM=250000

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  bash scripts/build-site.sh >/dev/null
  cargo build --release -p server
fi
[ -x node_modules/.bin/lighthouse ] || npm ci --no-audit --no-fund
BIN="$CARGO_TARGET_DIR/release/koers"
[ -x "$BIN" ] || { echo "no release binary at $BIN" >&2; exit 2; }

tmp=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
# shellcheck source=bench/serve.sh
source scripts/bench/serve.sh
start_koers "/"

echo "Koers $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- app style server frontend || echo '+changes'), $base, $(date -u +%F)"
echo

# Bytes on the wire for one URL with one Accept-Encoding ("" = none); the encoding used goes
# to $tmp/enc.
bytes() {
  local headers=()
  [ -n "$2" ] && headers=(-H "Accept-Encoding: $2")
  curl -s "${headers[@]}" -D "$tmp/h" -o /dev/null -w '%{size_download}' "$base$1"
  tr -d '\r' <"$tmp/h" | awk -F': ' 'tolower($1)=="content-encoding"{print $2}' >"$tmp/enc"
}
browser_enc='gzip, deflate, br, zstd'

curl -s "$base/" >"$tmp/index.html"
css=$(grep -o 'href="/pkg/[^"]*\.css"' "$tmp/index.html" | head -n1 | cut -d'"' -f2)
js=$(grep -o '/pkg/[^"]*\.js' "$tmp/index.html" | head -n1 || true)
wasm=$(grep -o '/pkg/[^"]*_bg\.wasm' "$tmp/index.html" | head -n1 || true)
# The islands loader builds the wasm URL from the output name; derive it when not in the HTML.
[ -z "$wasm" ] && [ -n "$js" ] && wasm="${js%.js}_bg.wasm"

echo "Transfer size of the overview page / (bytes)"
printf '%-34s %9s %9s %9s %9s  %s\n' file raw gzip br 'as sent' encoding
html_css=0
js_wasm=0
for url in / "$css" "$js" "$wasm"; do
  [ -n "$url" ] || continue
  raw=$(bytes "$url" '')
  gz=$(bytes "$url" 'gzip')
  br=$(bytes "$url" 'br')
  sent=$(bytes "$url" "$browser_enc")
  enc=$(cat "$tmp/enc")
  printf '%-34s %9s %9s %9s %9s  %s\n' "$url" "$raw" "$gz" "$br" "$sent" "${enc:-identity}"
  case "$url" in
    /|*.css) html_css=$((html_css + sent)) ;;
    *) js_wasm=$((js_wasm + sent)) ;;
  esac
done
verdict() { [ "$1" -le "$2" ] && echo "within budget" || echo "OVER BUDGET"; }
printf 'HTML + CSS as sent:  %7d B of %d B (%s)\n' "$html_css" "$BUDGET_HTML_CSS" "$(verdict "$html_css" "$BUDGET_HTML_CSS")"
printf 'wasm + JS as sent:   %7d B of %d B (%s)\n' "$js_wasm" "$BUDGET_JS_WASM" "$(verdict "$js_wasm" "$BUDGET_JS_WASM")"
echo

echo "Static assets: cache-busting names and caching"
for url in "$css" "$js" "$wasm" /favicon.svg; do
  [ -n "$url" ] || continue
  curl -s -D "$tmp/h" -o /dev/null -H "Accept-Encoding: $browser_enc" "$base$url"
  cache=$(tr -d '\r' <"$tmp/h" | awk -F': ' 'tolower($1)=="cache-control"{print $2}')
  hashed=no
  [[ "$url" =~ -[0-9a-f]{8}(_bg)?\.[a-z]+$ ]] && hashed="yes (content hash)"
  printf '%-34s hashed name: %-18s Cache-Control: %s\n' "$url" "$hashed" "$cache"
done
page_cache=$(curl -s -D - -o /dev/null "$base/" | tr -d '\r' | awk -F': ' 'tolower($1)=="cache-control"{print $2}')
printf '%-34s %-31s Cache-Control: %s\n' "/ (the page itself)" "" "${page_cache:-(none)}"
echo

echo "Lighthouse $(lighthouse --version) on $("$CHROME_PATH" --version 2>/dev/null | head -n1), mobile, median of $LH_RUNS run(s)"
printf '%-42s %12s %14s  %s\n' page performance accessibility 'LCP / TBT / CLS (last run)'
for page in / /en /series/homeless_people_18_65 /en/series/homeless_people_18_65; do
  perf=()
  a11y=()
  for run in $(seq 1 "$LH_RUNS"); do
    out="$tmp/lh-$run.json"
    lighthouse "$base$page" --quiet --only-categories=performance,accessibility \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" --output=json --output-path="$out" >/dev/null 2>"$tmp/lh.err" ||
      { echo "lighthouse failed on $page:" >&2; tail -n 20 "$tmp/lh.err" >&2; exit 1; }
    read -r p a < <(node -e '
      const r = require(process.argv[1]);
      console.log(Math.round(r.categories.performance.score * 100), Math.round(r.categories.accessibility.score * 100));' "$out")
    perf+=("$p")
    a11y+=("$a")
  done
  median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
  detail=$(node -e '
    const r = require(process.argv[1]), a = r.audits;
    const failed = Object.values(r.categories.accessibility.auditRefs)
      .filter(x => x.weight > 0 && a[x.id].score !== null && a[x.id].score < 1).map(x => x.id);
    console.log(`${a["largest-contentful-paint"].displayValue} / ${a["total-blocking-time"].displayValue} / ${a["cumulative-layout-shift"].displayValue}` +
      (failed.length ? `  accessibility audits failed: ${failed.join(", ")}` : ""));' "$tmp/lh-$LH_RUNS.json")
  printf '%-42s %12s %14s  %s\n' "$page" "$(median "${perf[@]}")" "$(median "${a11y[@]}")" "$detail"
done
