#!/usr/bin/env bash
# The back office's queue page at scale: generates 10 000 and then 1 000 000 applications (all
# in Kota Depok, the verifier's area: the worst case), signs in as the demo verifier, and
# prints the server time of the "to verify" queue page (first page, and a page 20 pages in,
# reached by key) as p50/p95, and the ratio 1 M / 10 k (goal ≤ 1.5). On SQLite, and on
# PostgreSQL too when LAYAN_BENCH_POSTGRES_URL is set (a role that may CREATE DATABASE).
#   bench/queues.sh [SMALL LARGE]            build (release), then measure
#   bench/queues.sh --no-build [SMALL LARGE] measure the last release build
# (SMALL and LARGE default to 10000 and 1000000.)
set -euo pipefail
source "$(dirname "$0")/common.sh"
bench_start "$@"
set -- "${bench_args[@]}"
small=${1:-10000}
large=${2:-1000000}
port=3297
base="http://127.0.0.1:$port"
results=$(mktemp)
trap 'kill ${server:-} 2>/dev/null || true; drop_databases; rm -f "$results"' EXIT

measure() { # backend count
  local backend=$1 count=$2
  scratch=$(mktemp -d)
  serve_generated "$backend" "queues_$count" "$count" verifikator.depok
  local jar="$scratch/jar"
  # Page 20 (or the last one), by following the "next page" links.
  local deep="/petugas/antrean?daftar=verifikasi" next
  for _ in $(seq 1 19); do
    next=$(curl -s -b "$jar" "$base$deep" | grep -o 'href="/petugas/antrean?daftar=verifikasi&amp;setelah=[^"]*"' | sed 's/href="//; s/"$//; s/&amp;/\&/' || true)
    [ -n "$next" ] || break
    deep=$next
  done
  for page in first deep; do
    local path="/petugas/antrean?daftar=verifikasi"
    [ "$page" = deep ] && path=$deep
    for _ in 1 2 3; do curl -s -o /dev/null -b "$jar" "$base$path"; done
    for _ in $(seq 1 40); do
      echo "$backend $count $page $(curl -s -o /dev/null -w '%{time_total}' -b "$jar" "$base$path")" >>"$results"
    done
  done
  kill $server
  wait $server 2>/dev/null || true
  server=
  drop_databases
  rm -rf "$scratch"
}

for backend in $(bench_backends); do
  measure "$backend" "$small"
  measure "$backend" "$large"
done
step "queue page server time (release)"
node - "$results" "$small" "$large" <<'JS'
const [small_n, large_n] = [process.argv[3], process.argv[4]];
const rows = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => l.split(" "));
const q = (v, p) => v[Math.min(v.length - 1, Math.ceil(v.length * p) - 1)];
const stats = {};
for (const [backend, count, page, s] of rows) (((stats[backend] ??= {})[page] ??= {})[count] ??= []).push(Number(s) * 1000);
for (const [backend, pages] of Object.entries(stats)) {
  console.log(`  ${backend}`);
  for (const page of ["first", "deep"]) {
    const small = pages[page][small_n].sort((a, b) => a - b), large = pages[page][large_n].sort((a, b) => a - b);
    const line = (label, v) => `    ${label.padEnd(26)} p50 ${q(v, 0.5).toFixed(1).padStart(7)} ms   p95 ${q(v, 0.95).toFixed(1).padStart(7)} ms`;
    console.log(line(`${page} page, ${small_n}`, small));
    console.log(line(`${page} page, ${large_n}`, large));
    console.log(`    ${"ratio large / small".padEnd(26)} p50 ${(q(large, 0.5) / q(small, 0.5)).toFixed(2).padStart(7)}      p95 ${(q(large, 0.95) / q(small, 0.95)).toFixed(2).padStart(7)}   (goal ≤ 1.5)`);
  }
}
JS
