#!/usr/bin/env bash
# The erasure at the end of retention at scale: COUNT generated applications (2026, Kota
# Depok), the closed ones (4 statuses of 10) marked closed in 2019, then `layan erase-expired`
# erases them in batches of 100. Prints applications erased per second, and checks that the
# report tallies are the same before and after and that no personal field is left.
# On SQLite, and on PostgreSQL too when LAYAN_BENCH_POSTGRES_URL is set.
#   bench/retention.sh [COUNT]             build (release), then measure (COUNT = 100000)
#   bench/retention.sh --no-build [COUNT]  measure the last release build
set -euo pipefail
source "$(dirname "$0")/common.sh"
bench_start "$@"
set -- "${bench_args[@]}"
count=${1:-100000}
trap 'drop_databases' EXIT

tallies_sum="SELECT (SELECT COUNT(*) || ':' || COALESCE(SUM(n), 0) FROM report_daily) || '/' || (SELECT COUNT(*) || ':' || COALESCE(SUM(n), 0) FROM report_monthly)"

for backend in $(bench_backends); do
  scratch=$(mktemp -d)
  new_database "$backend" retention "$scratch"
  export DATABASE_URL="$db_url" LAYAN_UPLOAD_DIR="$scratch/uploads" LAYAN_OUTBOX_DIR="$scratch/outbox" LAYAN_DEMO=1 LAYAN_LOG=warn
  step "$count applications on $backend (generated, then counted into the tallies)"
  "$bin" generate-applications "$count"
  "$bin" rebuild-reports >/dev/null
  sql_value "$db_url" "UPDATE applications SET closed_at = '2019-06-01T00:00:00Z' WHERE open = FALSE" >/dev/null
  due=$(sql_value "$db_url" "SELECT COUNT(*) FROM applications WHERE open = FALSE")
  before=$(sql_value "$db_url" "$tallies_sum")
  start=$(date +%s.%N)
  said=$("$bin" erase-expired)
  took=$(echo "$(date +%s.%N) - $start" | bc)
  after=$(sql_value "$db_url" "$tallies_sum")
  left=$(sql_value "$db_url" "SELECT COUNT(*) FROM applications WHERE open = FALSE AND (nik <> '' OR name <> '' OR erased_at IS NULL)")
  step "erasure at the end of retention ($backend, release)"
  echo "  $said"
  echo "  $due due; $(echo "scale=0; $due / $took" | bc) applications erased per second (whole command, $took s)"
  echo "  tallies before $before, after $after: $([ "$before" = "$after" ] && echo equal || echo DIFFERENT)"
  echo "  closed applications with personal data left: $left"
  drop_databases
  rm -rf "$scratch"
done
