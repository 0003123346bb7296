#!/usr/bin/env bash
# Builds the hydration bundle into dist/site/pkg/ (koers.js, koers_bg.wasm, and .gz/.br
# siblings), which the koers binary embeds at compile time. Needs wasm-bindgen (= the pinned
# version) and npm's binaryen (wasm-opt) on PATH; scripts/setup.sh installs both.
# PROFILE=dev skips wasm-opt for a faster, larger debug bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_TARGET_DIR:=target}"
PROFILE=${PROFILE:-wasm-release}
OUT=dist/site/pkg
cargo build -p frontend --lib --target wasm32-unknown-unknown --profile "$PROFILE"
DIR=$PROFILE; [ "$PROFILE" = dev ] && DIR=debug
rm -rf "$OUT" && mkdir -p "$OUT"
wasm-bindgen --target web --no-typescript --out-dir "$OUT" --out-name koers \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$DIR/frontend.wasm"
if [ "$PROFILE" != dev ]; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$OUT/koers_bg.wasm" -o "$OUT/koers_bg.wasm"
fi
node -e '
  const fs = require("fs"), zlib = require("zlib"), dir = process.argv[1];
  for (const f of ["koers.js", "koers_bg.wasm"]) {
    const data = fs.readFileSync(`${dir}/${f}`);
    fs.writeFileSync(`${dir}/${f}.gz`, zlib.gzipSync(data, { level: 9 }));
    fs.writeFileSync(`${dir}/${f}.br`, zlib.brotliCompressSync(data, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
  }' "$OUT"
ls -l "$OUT"
