#!/usr/bin/env bash
# Starts Layan at http://127.0.0.1:3000 on an embedded SQLite file (data/layan.db), with
# reference and demo data, installing what a fresh machine lacks first.
#   scripts/run.sh             debug build (shares its build with the tests)
#   scripts/run.sh --release   optimised build, as residents would get it
# Any setting from the README (DATABASE_URL, SMTP_URL, LEPTOS_SITE_ADDR…) can be set before.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$LAYAN_ROOT"

profile=debug
build=(leptos_build)
case "${1:-}" in
  "") ;;
  --release) profile=release; build+=(--release --precompress) ;;
  *) echo "usage: scripts/run.sh [--release]" >&2; exit 2 ;;
esac

ensure_rust_tools
ensure_node_tools
step "building Layan ($profile)"
"${build[@]}"

export LAYAN_DEMO="${LAYAN_DEMO:-1}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$LAYAN_ROOT/target/site}"
step "starting Layan on http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000} (Ctrl-C stops it)"
exec "$CARGO_TARGET_DIR/$profile/layan"
