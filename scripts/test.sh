#!/usr/bin/env bash
# Runs every test and exits non-zero on any failure:
#   unit + integration tests (cargo test) on SQLite, and on PostgreSQL when
#   LAYAN_TEST_POSTGRES_URL is set (e.g. postgres://layan:layan@127.0.0.1:5432/postgres;
#   the role needs CREATEDB: each test gets its own database);
#   end-to-end tests (Playwright driving Debian's Chromium) against the built server, on
#   the same databases. The storage tests also run against a real Garage (object store);
#   on PostgreSQL the cluster tests start three `layan` processes behind Debian's nginx;
#   the SMS tests send through Debian's Kannel to its fake SMSC.
# Installs what a fresh machine lacks first (see scripts/lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$LAYAN_ROOT"

ensure_rust_tools
ensure_node_tools
ensure_chromium
ensure_python_tools
ensure_garage
ensure_nginx
ensure_kannel

step "building Layan (cargo leptos build --split: server and WebAssembly)"
leptos_build

# The flags and variables cargo-leptos's debug server build used, so cargo test reuses its
# compiled dependencies instead of building everything a second time.
export RUSTFLAGS="--cfg erase_components"
export LEPTOS_OUTPUT_NAME=layan

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
summary=()

cargo_counts() { # log file -> "N passed"
  awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i) ~ /^passed;?$/) n += $(i - 1) } END { printf "%d passed", n }' "$1"
}
playwright_counts() {
  grep -Eo '[0-9]+ (passed|failed|flaky|skipped)' "$1" | paste -sd ' ' -
}

step "cargo test on SQLite"
LAYAN_TEST_BACKEND=sqlite cargo test --no-default-features --features ssr 2>&1 | tee "$logs/cargo-sqlite"
summary+=("SQLite      cargo test: $(cargo_counts "$logs/cargo-sqlite")")

postgres=${LAYAN_TEST_POSTGRES_URL:-}
drop_test_databases() {
  command -v psql >/dev/null || return 0
  psql "$postgres" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'layan\_test\_%' OR datname LIKE 'layan\_template\_%' OR datname LIKE 'layan\_e2e\_%'" |
    while read -r db; do psql "$postgres" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null; done
}
if [ -n "$postgres" ]; then
  step "cargo test on PostgreSQL"
  drop_test_databases
  LAYAN_TEST_BACKEND=postgres cargo test --no-default-features --features ssr --test api 2>&1 | tee "$logs/cargo-postgres"
  summary+=("PostgreSQL  cargo test: $(cargo_counts "$logs/cargo-postgres")")
fi

step "end-to-end tests on SQLite (Playwright, Chromium at 360x640)"
LAYAN_E2E_SCRATCH="$logs/e2e-sqlite-data" npx playwright test -c end2end 2>&1 | tee "$logs/e2e-sqlite"
summary+=("SQLite      Playwright: $(playwright_counts "$logs/e2e-sqlite")")

if [ -n "$postgres" ]; then
  step "end-to-end tests on PostgreSQL"
  e2e_db="layan_e2e_$$"
  psql "$postgres" -qc "CREATE DATABASE $e2e_db"
  base=${postgres%%\?*}
  query=${postgres#"$base"}
  LAYAN_E2E_SCRATCH="$logs/e2e-postgres-data" LAYAN_E2E_DATABASE_URL="${base%/*}/$e2e_db$query" \
    npx playwright test -c end2end 2>&1 | tee "$logs/e2e-postgres"
  summary+=("PostgreSQL  Playwright: $(playwright_counts "$logs/e2e-postgres")")
  drop_test_databases
fi

step "all tests passed"
printf '  %s\n' "${summary[@]}"
