#!/usr/bin/env bash
# The reports at scale: generates a year (2026) of 1 000 000 applications in Kota Depok (the
# supervisor's area, so every one of them is counted), builds the report tallies, signs in as
# the demo supervisor and prints the server time of the dashboard and the public statistics
# as p50/p95 over 20 requests each (goal: the dashboard under 1 s).
# On SQLite, and on PostgreSQL too when LAYAN_BENCH_POSTGRES_URL is set.
#   bench/reports.sh [COUNT]             build (release), then measure
#   bench/reports.sh --no-build [COUNT]  measure the last release build
set -euo pipefail
source "$(dirname "$0")/common.sh"
bench_start "$@"
set -- "${bench_args[@]}"
count=${1:-1000000}
port=3298
base="http://127.0.0.1:$port"
trap 'kill ${server:-} 2>/dev/null || true; drop_databases' EXIT

measure() { # label path
  local label=$1 path=$2 status
  status=$(curl -s -o "$scratch/page" -w '%{http_code}' -b "$jar" "$base$path")
  [ "$status" = 200 ] || { echo "layan: $path answered $status" >&2; exit 1; }
  for _ in 1 2; do curl -s -o /dev/null -b "$jar" "$base$path"; done
  for _ in $(seq 1 20); do
    echo "$label $(curl -s -o /dev/null -w '%{time_total}' -b "$jar" "$base$path")" >>"$results"
  done
}

run() { # backend
  local backend=$1
  scratch=$(mktemp -d)
  results="$scratch/results"
  serve_generated "$backend" reports "$count" kasi.depok
  jar="$scratch/jar"
  village=$(sql_value "$db_url" "SELECT code FROM villages WHERE code LIKE '327601%' ORDER BY code LIMIT 1" || echo 3276011001)
  measure "dashboard, city, year" "/petugas/laporan?dari=2026-01-01&sampai=2026-12-31"
  measure "dashboard, city, month" "/petugas/laporan?dari=2026-11-01&sampai=2026-11-30"
  measure "dashboard, district, odd days" "/petugas/laporan?dari=2026-03-15&sampai=2026-09-20&wilayah=327601"
  measure "dashboard, village, year" "/petugas/laporan?dari=2026-01-01&sampai=2026-12-31&wilayah=327601&kelurahan=$village"
  measure "CSV by program, year" "/petugas/laporan/unduh?tabel=program&dari=2026-01-01&sampai=2026-12-31"
  measure "public statistics, year" "/statistik?tahun=2026"
  received=$(curl -s -b "$jar" "$base/petugas/laporan/unduh?tabel=ringkasan&dari=2026-01-01&sampai=2026-12-31" | sed -n 2p)
  tallies=$(sql_value "$db_url" "SELECT (SELECT COUNT(*) FROM report_daily) || ' daily, ' || (SELECT COUNT(*) FROM report_monthly) || ' monthly'" || echo "?")
  kill $server
  wait $server 2>/dev/null || true
  server=
  step "report server time at $count applications ($backend, release)"
  echo "  year's summary row: $received; tally rows: $tallies"
  report "$results"
  drop_databases
  rm -rf "$scratch"
}

report() { # results
node - "$1" <<'JS'
const rows = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n");
const q = (v, p) => v[Math.min(v.length - 1, Math.ceil(v.length * p) - 1)];
const by = new Map();
for (const line of rows) {
  const cut = line.lastIndexOf(" ");
  const label = line.slice(0, cut);
  if (!by.has(label)) by.set(label, []);
  by.get(label).push(Number(line.slice(cut + 1)) * 1000);
}
for (const [label, v] of by) {
  v.sort((a, b) => a - b);
  const mark = label.startsWith("dashboard") ? (q(v, 0.95) < 1000 ? "  (goal < 1000 ms: met)" : "  (goal < 1000 ms: NOT met)") : "";
  console.log(`  ${label.padEnd(30)} p50 ${q(v, 0.5).toFixed(1).padStart(7)} ms   p95 ${q(v, 0.95).toFixed(1).padStart(7)} ms${mark}`);
}
JS
}

for backend in $(bench_backends); do
  run "$backend"
done
