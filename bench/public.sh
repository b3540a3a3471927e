#!/usr/bin/env bash
# Public pages against a file: requests per second of each public page next to the style
# sheet's (a file from disk), with wrk (32 connections, 2 threads, 10 s each, brotli asked,
# same server, same run), on an empty database and with COUNT applications (default
# 1 000 000; the statistics then fold a year of tallies). Goal: every public page at least
# 0.5× the file. On SQLite, and on PostgreSQL too when LAYAN_BENCH_POSTGRES_URL is set.
#   bench/public.sh [COUNT]             build (release), then measure
#   bench/public.sh --no-build [COUNT]  measure the last release build
set -euo pipefail
source "$(dirname "$0")/common.sh"
bench_start "$@"
set -- "${bench_args[@]}"
count=${1:-1000000}
seconds=${LAYAN_BENCH_SECONDS:-10}
command -v wrk >/dev/null || apt_install wrk
port=3296
base="http://127.0.0.1:$port"
trap 'kill ${server:-} 2>/dev/null || true; drop_databases; rm -rf "${scratch:-}"' EXIT

rate() { # path -> requests per second
  wrk -t2 -c32 -d"${seconds}s" -H 'Accept-Encoding: br' "$base$1" | awk '/^Requests\/sec/ {print $2}'
}

measure() { # backend label count
  local backend=$1 label=$2 n=$3
  scratch=$(mktemp -d)
  if [ "$n" -gt 0 ]; then
    serve_generated "$backend" "public$n" "$n" kasi.depok
  else
    new_database "$backend" public0 "$scratch"
    DATABASE_URL="$db_url" LAYAN_UPLOAD_DIR="$scratch/uploads" LAYAN_OUTBOX_DIR="$scratch/outbox" LAYAN_DEMO=1 LAYAN_LOG=warn \
      LEPTOS_SITE_ADDR="${base#http://}" LEPTOS_SITE_ROOT="$LAYAN_ROOT/target/site" "$bin" &
    server=$!
    wait_healthy "$base"
  fi
  # Warm: the catalogue and this year's statistics are made once.
  for path in / /cek-bantuan /lacak /pengaduan /statistik; do curl -sf -o /dev/null "$base$path"; done
  step "$label on $backend: requests per second (wrk -c32, ${seconds} s each)"
  local file
  file=$(rate /pkg/layan.css)
  printf '  %-16s %9.0f/s\n' "/pkg/layan.css" "$file"
  for path in / /cek-bantuan /lacak /pengaduan /statistik; do
    local r
    r=$(rate "$path")
    printf '  %-16s %9.0f/s  %5.2f× the file\n' "$path" "$r" "$(echo "$r / $file" | bc -l)"
  done
  kill "$server"
  wait "$server" 2>/dev/null || true
  drop_databases
  rm -rf "$scratch"
}

for backend in $(bench_backends); do
  measure "$backend" "empty database" 0
  measure "$backend" "$count applications" "$count"
done
