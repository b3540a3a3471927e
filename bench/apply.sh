#!/usr/bin/env bash
# The application journey, measured on the release build:
#   1. bytes a phone downloads before the person step (NIK, name, birth date…) is usable:
#      without JavaScript (HTML + CSS) and with the instant checks (+ JS + wasm), as sent
#      with brotli, and what that means on slow 3G (computed, 400 kbit/s, 400 ms round trip);
#   2. server time of each step's post and of the submission (which re-checks every step,
#      hashes the PIN with argon2id and writes the application in one transaction), over
#      N applications made through the plain HTML forms, on SQLite.
#   bench/apply.sh [N]             build (release), then measure (N = 40)
#   bench/apply.sh --no-build [N]  measure the last release build
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$LAYAN_ROOT"

if [ "${1:-}" = "--no-build" ]; then
  shift
else
  build_release_bundle
fi
runs=${1:-40}

scratch=$(mktemp -d)
port=3298
base="http://127.0.0.1:$port"
LEPTOS_SITE_ADDR=127.0.0.1:$port LEPTOS_SITE_ROOT="$LAYAN_ROOT/target/site" DATABASE_URL="sqlite://$scratch/layan.db" \
  LAYAN_UPLOAD_DIR="$scratch/uploads" LAYAN_OUTBOX_DIR="$scratch/outbox" LAYAN_LOG=warn \
  "$CARGO_TARGET_DIR/release/layan" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 1 300); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

step "bytes until the person step is usable"
sent() { curl -s -H 'Accept-Encoding: br' "$base$1" | wc -c; }
html=$(sent /ajukan/data-diri)
css=$(sent /pkg/layan.css)
js=$(sent /pkg/layan.js)
wasm=$(sent /pkg/layan.wasm)
awk -v html="$html" -v css="$css" -v js="$js" -v wasm="$wasm" 'BEGIN {
  kb = 1024; rate = 400 * 1000 / 8; rtt = 0.4
  printf "  %-34s %7.1f KB\n", "GET /ajukan/data-diri (HTML, br)", html / kb
  printf "  %-34s %7.1f KB\n", "GET /pkg/layan.css (br)", css / kb
  printf "  %-34s %7.1f KB\n", "GET /pkg/layan.js (br)", js / kb
  printf "  %-34s %7.1f KB\n", "GET /pkg/layan.wasm (br)", wasm / kb
  plain = html + css; full = plain + js + wasm
  # HTML, then CSS in parallel with nothing else; then JS, then the wasm it fetches.
  printf "  %-34s %7.1f KB, ~%.1f s on slow 3G\n", "usable without JavaScript", plain / kb, 2 * rtt + plain / rate + rtt
  printf "  %-34s %7.1f KB, ~%.1f s on slow 3G\n", "with instant checks (hydrated)", full / kb, 4 * rtt + full / rate + rtt
}'

step "server time per post, $runs applications through the plain forms (SQLite, release)"
files=$(mktemp -d)
printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00' >"$files/foto.jpg"
head -c 300000 /dev/urandom >>"$files/foto.jpg"
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$files/surat.pdf"
times="$scratch/times"
: >"$times"
post() { # label path curl-args… ; appends "label seconds" and fails on anything but 303
  local label=$1 path=$2
  shift 2
  local out
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -c "$jar" -b "$jar" -H "Origin: $base" "$@" "$base$path")
  [ "${out%% *}" = 303 ] || { echo "$label answered ${out%% *}" >&2; exit 1; }
  echo "$label ${out#* }" >>"$times"
}
for i in $(seq 1 "$runs"); do
  jar="$scratch/jar$i"
  nik=$(printf '327601550587%04d' "$i")
  post mulai /ajukan/mulai -d program=rs-rtlh
  post siapa /ajukan/siapa -d untuk=sendiri
  post data-diri /ajukan/data-diri -d "nik=$nik&nama=Siti+Nurhaliza&tanggal_lahir=1987-05-15&jenis_kelamin=P&telepon=081234567890"
  post alamat /ajukan/alamat -d "provinsi=32&kabupaten=3276&kecamatan=327601&desa=3276011006&jalan=Jl.+Melati+3&rt=5&rw=2"
  post keluarga /ajukan/keluarga -d "no_kk=3276010101090001&aksi=lanjut"
  post kebutuhan /ajukan/kebutuhan -d "kategori=24&program=rs-rtlh&uraian=Atap+rumah+bocor+dan+dinding+retak."
  for doc in ktp foto-rumah; do post unggah-foto /ajukan/dokumen/unggah -F jenis=$doc -F "berkas=@$files/foto.jpg"; done
  for doc in kk sktm; do post unggah-pdf /ajukan/dokumen/unggah -F jenis=$doc -F "berkas=@$files/surat.pdf"; done
  key=$(curl -s -b "$jar" "$base/ajukan/periksa" | grep -o 'name="kunci" value="[^"]*"' | sed 's/.*value="//; s/"$//')
  post kirim /ajukan/kirim -d "kunci=$key&pernyataan=ya"
done
rm -rf "$files"
node - "$times" <<'JS'
const lines = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n");
const by = {};
for (const line of lines) {
  const [label, seconds] = line.split(" ");
  (by[label] ??= []).push(Number(seconds) * 1000);
}
const q = (v, p) => v[Math.min(v.length - 1, Math.ceil(v.length * p) - 1)];
console.log("  " + "post".padEnd(14) + "n".padStart(6) + "p50 ms".padStart(9) + "p95 ms".padStart(9) + "max ms".padStart(9));
for (const label of ["mulai", "siapa", "data-diri", "alamat", "keluarga", "kebutuhan", "unggah-foto", "unggah-pdf", "kirim"]) {
  const v = (by[label] ?? []).sort((a, b) => a - b);
  if (!v.length) continue;
  console.log("  " + label.padEnd(14) + String(v.length).padStart(6) + [q(v, 0.5), q(v, 0.95), v[v.length - 1]].map((x) => x.toFixed(1).padStart(9)).join(""));
}
JS
echo "  every post answered 303; $runs applications submitted"
