#!/usr/bin/env bash
# What a resident's phone downloads: builds the release bundle (as `scripts/run.sh
# --release` would) and prints the size of each asset raw, gzip -9 and brotli -11, then
# starts the release server on a scratch database and measures the home page as served
# (Accept-Encoding: br, the way Chromium on Android asks).
#   bench/size.sh            build, then measure
#   bench/size.sh --no-build measure the last release build
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$LAYAN_ROOT"

if [ "${1:-}" != "--no-build" ]; then
  build_release_bundle
fi

step "release bundle (target/site/pkg)"
node - target/site/pkg/layan.wasm target/site/pkg/layan.js target/site/pkg/layan.css <<'JS'
const fs = require("fs");
const zlib = require("zlib");
const kb = (n) => (n / 1024).toFixed(1).padStart(8) + " KB";
console.log("asset".padEnd(12) + "raw".padStart(11) + "gzip -9".padStart(11) + "brotli -11".padStart(11));
let total = [0, 0, 0];
for (const file of process.argv.slice(2)) {
  const data = fs.readFileSync(file);
  const gz = zlib.gzipSync(data, { level: 9 }).length;
  const br = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  total = [total[0] + data.length, total[1] + gz, total[2] + br];
  console.log(require("path").basename(file).padEnd(12) + kb(data.length) + kb(gz) + kb(br));
}
console.log("total".padEnd(12) + kb(total[0]) + kb(total[1]) + kb(total[2]));
JS

step "script per island (main module + split loader + the island's chunks)"
node - target/site/pkg <<'JS'
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const dir = process.argv[2];
const manifestPath = path.join(dir, "__wasm_split_manifest.json");
if (!fs.existsSync(manifestPath)) {
  console.log("not a split build: every island is in layan.wasm");
  process.exit(0);
}
const sizes = (file) => {
  const data = fs.readFileSync(path.join(dir, file));
  const br = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return [data.length, br];
};
const kb = (n) => (n / 1024).toFixed(1).padStart(8) + " KB";
const main = ["layan.js", "layan.wasm", "__wasm_split.______________________.js"].map(sizes);
const mainRaw = main.reduce((n, [r]) => n + r, 0), mainBr = main.reduce((n, [, b]) => n + b, 0);
console.log("island".padEnd(20) + "files".padStart(6) + "raw".padStart(11) + "brotli -11".padStart(11));
console.log("(main, every page)".padEnd(20) + "3".padStart(6) + kb(mainRaw) + kb(mainBr));
const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
for (const [split, files] of Object.entries(manifest).sort()) {
  const own = files.map((f) => sizes(f + ".wasm"));
  const raw = mainRaw + own.reduce((n, [r]) => n + r, 0), br = mainBr + own.reduce((n, [, b]) => n + b, 0);
  console.log(split.replace(/_loader_\d+$/, "").padEnd(20) + String(3 + files.length).padStart(6) + kb(raw) + kb(br));
}
JS

step "home page as served by the release server"
scratch=$(mktemp -d)
port=3299
LEPTOS_SITE_ADDR=127.0.0.1:$port LEPTOS_SITE_ROOT="$LAYAN_ROOT/target/site" DATABASE_URL="sqlite://$scratch/layan.db" \
  LAYAN_UPLOAD_DIR="$scratch/uploads" LAYAN_OUTBOX_DIR="$scratch/outbox" LAYAN_LOG=warn \
  "$CARGO_TARGET_DIR/release/layan" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
raw=$(curl -s "http://127.0.0.1:$port/" | wc -c)
br=$(curl -s -H 'Accept-Encoding: br' "http://127.0.0.1:$port/" | wc -c)
wasm_br=$(curl -s -H 'Accept-Encoding: br' "http://127.0.0.1:$port/pkg/layan.wasm" | wc -c)
awk -v raw="$raw" -v br="$br" -v wasm="$wasm_br" 'BEGIN {
  printf "%-28s %8.1f KB raw, %6.1f KB as sent (br)\n", "GET / (home, 12 programs)", raw / 1024, br / 1024
  printf "%-28s %8.1f KB as sent (br)\n", "GET /pkg/layan.wasm", wasm / 1024
}'
