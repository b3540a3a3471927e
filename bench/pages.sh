#!/usr/bin/env bash
# Pages as a cheap phone on a weak signal gets them, measured in Chromium (not computed):
# 360 px, 400 kbit/s, 400 ms round trip, CPU slowed 4×, a cold cache for each page. Prints
# per page the time and bytes until usable (first contentful paint) and until hydrated
# (pages with islands), and when the person step's NIK check answers (bench/pages.mjs).
#   bench/pages.sh            build (release), then measure
#   bench/pages.sh --no-build measure the last release build
set -euo pipefail
source "$(dirname "$0")/common.sh"
bench_start "$@"
ensure_chromium

scratch=$(mktemp -d)
port=3297
base="http://127.0.0.1:$port"
LEPTOS_SITE_ADDR=127.0.0.1:$port LEPTOS_SITE_ROOT="$LAYAN_ROOT/target/site" DATABASE_URL="sqlite://$scratch/layan.db" \
  LAYAN_UPLOAD_DIR="$scratch/uploads" LAYAN_OUTBOX_DIR="$scratch/outbox" LAYAN_DEMO=1 LAYAN_LOG=warn "$bin" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$scratch"' EXIT
wait_healthy "$base"

step "pages on the slow profile (release build, Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'))"
node bench/pages.mjs "$base" / /cek-bantuan /lacak /pengaduan /statistik /ajukan/data-diri /ajukan/alamat /ajukan/dokumen
