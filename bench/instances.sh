#!/usr/bin/env bash
# Several instances on one PostgreSQL and one Garage behind Debian's nginx (round robin), on
# the release build: N whole journeys through the plain forms (six steps, four uploads into
# the bucket, the submission), C at a time, each resident from an address of its own, first
# with one instance behind nginx and then with three. Prints submissions per second, the p95
# of the submission request, and the CPU seconds each part spent per application (Layan,
# PostgreSQL, Garage, nginx) with each instance's memory: what docs/capacity.md builds on.
#
# On this 2-core machine the three instances share the same two cores with PostgreSQL,
# Garage, nginx and curl: the ratio shows what coordinating three instances costs, not the
# speed-up three machines would give.
#   bench/instances.sh [N] [C]             build (release), then measure (N = 300, C = 48)
#   bench/instances.sh --no-build [N] [C]  measure the last release build
# Needs LAYAN_BENCH_POSTGRES_URL (a role that may CREATE DATABASE), e.g.
#   postgres://layan:layan@127.0.0.1:5432/postgres
set -euo pipefail
source "$(dirname "$0")/common.sh"
bench_start "$@"
set -- "${bench_args[@]}"
runs=${1:-300}
at_once=${2:-48}
if [ -z "${LAYAN_BENCH_POSTGRES_URL:-}" ]; then
  echo "bench/instances.sh: set LAYAN_BENCH_POSTGRES_URL (several instances share PostgreSQL)" >&2
  exit 2
fi
ensure_garage
ensure_nginx

scratch=$(mktemp -d)
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  stop_nginx
  stop_garage
  drop_databases
  rm -rf "$scratch"
}
trap cleanup EXIT
make_journey_files "$scratch/files"
secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
proxy_port=3310

# CPU seconds (user + system) of the processes named `comm`, or of the given pids.
cpu_of_pids() { # pid...
  local ticks
  ticks=$(getconf CLK_TCK)
  for pid in "$@"; do cat "/proc/$pid/stat" 2>/dev/null; done |
    awk -v t="$ticks" '{ sub(/.*\) /, ""); s += $12 + $13 } END { printf "%.2f", s / t }'
}
# The whole machine's busy CPU seconds (every core, every process).
cpu_of_machine() {
  awk -v t="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / t }' /proc/stat
}
cpu_of_comm() { # name
  local pids
  pids=$(pgrep -x "$1" | tr '\n' ' ')
  # shellcheck disable=SC2086
  [ -n "$pids" ] && cpu_of_pids $pids || echo 0
}

measure() { # instances
  local n=$1
  local dir="$scratch/cluster-$n" url ports=() i
  mkdir -p "$dir"
  new_database postgres "i$n" "$dir"
  url=$db_url
  start_garage "$dir/garage"
  pids=()
  for i in $(seq 1 "$n"); do
    local port=$((3320 + i))
    ports+=("$port")
    DATABASE_URL="$url" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$LAYAN_ROOT/target/site" \
      LAYAN_UPLOAD_DIR="$dir/staging-$i" LAYAN_OUTBOX_DIR="$dir/outbox" LAYAN_SECRET_KEY="$secret" \
      LAYAN_TRUSTED_PROXIES=127.0.0.1 LAYAN_LOG=warn "$bin" >"$dir/layan-$i.log" 2>&1 &
    pids+=($!)
  done
  for port in "${ports[@]}"; do wait_healthy "http://127.0.0.1:$port"; done
  start_nginx "$dir/nginx" "$proxy_port" "${ports[@]}"
  export base="http://127.0.0.1:$proxy_port"
  # A few journeys first, so connections and caches are warm.
  seq 100001 100008 | xargs -P 8 -I{} bash -c 'journey {}' >/dev/null
  local layan0 pg0 garage0 nginx0 all0 started ended
  layan0=$(cpu_of_pids "${pids[@]}") pg0=$(cpu_of_comm postgres) garage0=$(cpu_of_pids "$garage_pid") nginx0=$(cpu_of_comm nginx)
  all0=$(cpu_of_machine)
  started=$(date +%s.%N)
  seq 1 "$runs" | xargs -P "$at_once" -I{} bash -c 'journey {}' >"$dir/out"
  ended=$(date +%s.%N)
  local layan1 pg1 garage1 nginx1 all1 rss
  layan1=$(cpu_of_pids "${pids[@]}") pg1=$(cpu_of_comm postgres) garage1=$(cpu_of_pids "$garage_pid") nginx1=$(cpu_of_comm nginx)
  all1=$(cpu_of_machine)
  rss=$(for pid in "${pids[@]}"; do awk '/VmHWM/ {print $2}' "/proc/$pid/status"; done | sort -n | tail -1)
  grep '^OK' "$dir/out" | awk '{print $3}' >"$dir/submit-times"
  local ok errors stored
  ok=$(grep -c '^OK' "$dir/out" || true)
  errors=$(grep -c '^ERROR' "$dir/out" || true)
  stored=$(sql_value "$url" "SELECT COUNT(*) FROM applications")
  awk -v n="$n" -v runs="$runs" -v c="$at_once" -v ok="$ok" -v e="$errors" -v st="$stored" -v s="$started" -v t="$ended" \
    -v l0="$layan0" -v l1="$layan1" -v p0="$pg0" -v p1="$pg1" -v g0="$garage0" -v g1="$garage1" -v x0="$nginx0" -v x1="$nginx1" -v a0="$all0" -v a1="$all1" -v rss="$rss" -v cores="$(nproc)" 'BEGIN {
    printf "  %d instance%s: %d journeys, %d at a time: %d acknowledged, %d stored, %d errors, %.1f s, %.2f submissions/s\n",
      n, (n > 1 ? "s" : ""), runs, c, ok, st - 8, e, t - s, ok / (t - s)
    if (ok > 0) printf "    CPU per application: Layan %.0f ms, PostgreSQL %.0f ms, Garage %.0f ms, nginx %.0f ms; peak memory per instance %.0f MB\n",
      (l1 - l0) * 1000 / ok, (p1 - p0) * 1000 / ok, (g1 - g0) * 1000 / ok, (x1 - x0) * 1000 / ok, rss / 1024
    if (ok > 0) printf "    the machine was %.0f%% busy; the benchmark clients (bash, curl) took %.0f ms per application of it\n",
      (a1 - a0) * 100 / (t - s) / cores, ((a1 - a0) - (l1 - l0) - (p1 - p0) - (g1 - g0) - (x1 - x0)) * 1000 / ok }'
  echo "    submission request through nginx: $(percentiles "$dir/submit-times")"
  grep '^ERROR' "$dir/out" | sort | uniq -c | head -5 || true
  if [ "$n" = 1 ]; then
    # What one application leaves behind, for the capacity model: rows and bytes (with
    # indexes) per table, and the bucket's bytes — all divided by the applications stored.
    echo "    per application stored (tables with rows; PostgreSQL bytes include indexes and TOAST):"
    psql "$url" -Atc "ANALYZE" >/dev/null 2>&1
    psql "$url" -AtF' ' -c "SELECT relname, n_live_tup, pg_total_relation_size(relid) FROM pg_stat_user_tables WHERE n_live_tup > 0 ORDER BY pg_total_relation_size(relid) DESC" |
      awk -v apps="$stored" '$1 !~ /^(villages|districts|regencies|provinces|ppks_categories|programs|program_|service_points|staff|_sqlx|reference_imports|job_runs)/ {
        printf "      %-26s %7.2f rows  %8.0f bytes\n", $1, $2 / apps, $3 / apps }'
    # Garage keeps identical blocks once, and every journey here sends the same files: the
    # documents' own sizes say what real, different photos would take.
    echo "      documents in the bucket    $(sql_value "$url" "SELECT (SUM(byte_size) / COUNT(DISTINCT application_id))::bigint FROM uploads WHERE application_id IS NOT NULL") bytes"
  fi
  stop_nginx
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
  stop_garage
  drop_databases
}

step "$runs journeys, $at_once at a time, through nginx, on PostgreSQL and Garage (release build, $(nproc) cores)"
measure 1
measure 3
echo "  (one machine: the three instances share its cores, so the ratio is the cost of coordination, not a speed-up)"
