#!/usr/bin/env bash
# A burst of whole applications on the release build: N journeys through the plain HTML
# forms (start, six steps, four uploads, submit), C at a time, each from its own address
# (behind a trusted proxy on loopback, as in production), on SQLite and, when
# LAYAN_BENCH_POSTGRES_URL is set (a role that may CREATE DATABASE), on PostgreSQL too.
# Prints applications per second, errors, and the stored count against the acknowledged.
#   bench/burst.sh [N] [C]             build (release), then measure (N = 500, C = 64)
#   bench/burst.sh --no-build [N] [C]  measure the last release build
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$LAYAN_ROOT"

if [ "${1:-}" = "--no-build" ]; then
  shift
else
  build_release_bundle
fi
runs=${1:-500}
at_once=${2:-64}

scratch=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$scratch"' EXIT
port=3296
export base="http://127.0.0.1:$port" files="$scratch/files"
mkdir -p "$files"
printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00' >"$files/foto.jpg"
head -c 200000 /dev/urandom >>"$files/foto.jpg"
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$files/surat.pdf"

# One resident: every post must answer 303; prints the registration number of the receipt.
journey() {
  local i=$1 jar
  jar=$(mktemp)
  local from="10.$((i / 65536 % 256)).$((i / 256 % 256)).$((i % 256))"
  post() {
    local path=$1 code
    shift
    code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -H "Origin: $base" -H "X-Forwarded-For: $from" "$@" "$base$path")
    [ "$code" = 303 ] || { echo "ERROR $path $code"; return 1; }
  }
  local nik
  nik=$(printf '327601550587%04d' "$((i % 9999 + 1))")
  post /ajukan/mulai -d program=rs-rtlh &&
    post /ajukan/siapa -d untuk=sendiri &&
    post /ajukan/data-diri -d "nik=$nik&nama=Siti+Nurhaliza&tanggal_lahir=1987-05-15&jenis_kelamin=P&telepon=081234567890" &&
    post /ajukan/alamat -d "provinsi=32&kabupaten=3276&kecamatan=327601&desa=3276011006&jalan=Jl.+Melati+3&rt=5&rw=2" &&
    post /ajukan/keluarga -d "no_kk=3276010101090001&aksi=lanjut" &&
    post /ajukan/kebutuhan -d "kategori=24&program=rs-rtlh&uraian=Atap+rumah+bocor+dan+dinding+retak." &&
    post /ajukan/dokumen/unggah -F jenis=ktp -F "berkas=@$files/foto.jpg" &&
    post /ajukan/dokumen/unggah -F jenis=foto-rumah -F "berkas=@$files/foto.jpg" &&
    post /ajukan/dokumen/unggah -F jenis=kk -F "berkas=@$files/surat.pdf" &&
    post /ajukan/dokumen/unggah -F jenis=sktm -F "berkas=@$files/surat.pdf" || { rm -f "$jar"; return 0; }
  local key
  key=$(curl -s -b "$jar" -H "X-Forwarded-For: $from" "$base/ajukan/periksa" | grep -o 'name="kunci" value="[^"]*"' | sed 's/.*value="//; s/"$//')
  post /ajukan/kirim -d "kunci=$key&pernyataan=ya" || { rm -f "$jar"; return 0; }
  curl -s -b "$jar" -H "X-Forwarded-For: $from" "$base/ajukan/selesai" | grep -o '/lacak?nomor=[0-9A-Z]*' | head -1 | sed 's/.*=/OK /'
  rm -f "$jar"
}
export -f journey

burst() { # label database-url
  local label=$1 url=$2 data="$scratch/$1"
  mkdir -p "$data"
  LEPTOS_SITE_ADDR=127.0.0.1:$port LEPTOS_SITE_ROOT="$LAYAN_ROOT/target/site" DATABASE_URL="$url" \
    LAYAN_UPLOAD_DIR="$data/uploads" LAYAN_OUTBOX_DIR="$data/outbox" LAYAN_SECRET_KEY_FILE="$data/secret.key" \
    LAYAN_TRUSTED_PROXIES=127.0.0.1 LAYAN_LOG=warn "$CARGO_TARGET_DIR/release/layan" >"$data/log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
  local started ended
  started=$(date +%s.%N)
  seq 1 "$runs" | xargs -P "$at_once" -I{} bash -c 'journey {}' >"$data/out"
  ended=$(date +%s.%N)
  kill "$server"
  wait "$server" 2>/dev/null || true
  local ok errors distinct
  ok=$(grep -c '^OK' "$data/out" || true)
  errors=$(grep -c '^ERROR' "$data/out" || true)
  distinct=$(grep '^OK' "$data/out" | sort -u | wc -l)
  awk -v l="$label" -v n="$runs" -v c="$at_once" -v ok="$ok" -v e="$errors" -v d="$distinct" -v s="$started" -v t="$ended" 'BEGIN {
    printf "  %-10s %d journeys, %d at a time: %d acknowledged (%d distinct numbers), %d errors, %.1f s, %.1f applications/s\n",
      l, n, c, ok, d, e, t - s, ok / (t - s) }'
  grep '^ERROR' "$data/out" | sort | uniq -c | head -5 || true
}

step "burst of $runs applications, $at_once at a time (release build)"
burst SQLite "sqlite://$scratch/layan.db"
if [ -n "${LAYAN_BENCH_POSTGRES_URL:-}" ]; then
  db="layan_bench_$$"
  psql "$LAYAN_BENCH_POSTGRES_URL" -qc "CREATE DATABASE $db"
  base_url=${LAYAN_BENCH_POSTGRES_URL%%\?*}
  burst PostgreSQL "${base_url%/*}/$db"
  echo "  PostgreSQL stored: $(psql "${base_url%/*}/$db" -Atc 'SELECT COUNT(*) FROM applications') applications"
  psql "$LAYAN_BENCH_POSTGRES_URL" -qc "DROP DATABASE $db"
fi
