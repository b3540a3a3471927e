#!/usr/bin/env bash
# A burst of whole applications on the release build: N journeys through the plain HTML
# forms (start, six steps, four uploads, submit), C at a time, each from its own address
# (behind a trusted proxy on loopback, as in production), on SQLite and, when
# LAYAN_BENCH_POSTGRES_URL is set (a role that may CREATE DATABASE), on PostgreSQL too.
# Prints applications per second, errors, and the stored count against the acknowledged.
#   bench/burst.sh [N] [C]             build (release), then measure (N = 500, C = 64)
#   bench/burst.sh --no-build [N] [C]  measure the last release build
set -euo pipefail
source "$(dirname "$0")/common.sh"

bench_start "$@"
set -- "${bench_args[@]}"
runs=${1:-500}
at_once=${2:-64}

scratch=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; drop_databases; rm -rf "$scratch"' EXIT
port=3296
export base="http://127.0.0.1:$port"
make_journey_files "$scratch/files"

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
  distinct=$(grep '^OK' "$data/out" | awk '{print $2}' | sort -u | wc -l)
  awk -v l="$label" -v n="$runs" -v c="$at_once" -v ok="$ok" -v e="$errors" -v d="$distinct" -v s="$started" -v t="$ended" 'BEGIN {
    printf "  %-10s %d journeys, %d at a time: %d acknowledged (%d distinct numbers), %d errors, %.1f s, %.1f applications/s\n",
      l, n, c, ok, d, e, t - s, ok / (t - s) }'
  grep '^ERROR' "$data/out" | sort | uniq -c | head -5 || true
}

step "burst of $runs applications, $at_once at a time (release build)"
for backend in $(bench_backends); do
  new_database "$backend" burst "$scratch"
  url=$db_url
  burst "$backend" "$url"
  echo "  $backend stored: $(sql_value "$url" 'SELECT COUNT(*) FROM applications') applications"
  drop_databases
done
