#!/usr/bin/env bash
# Text messages through a real Kannel on loopback (fakesmsc playing the operator, which
# also sends every delivery report): N messages queued in the outbox at once — what a batch
# of decisions leaves — drained by one instance of the release build. Prints messages per
# second until all were accepted by Kannel, and until all delivery reports were recorded,
# on SQLite and (with LAYAN_BENCH_POSTGRES_URL) PostgreSQL.
#   bench/sms.sh [N]             build (release), then measure (N = 2000)
#   bench/sms.sh --no-build [N]  measure the last release build
set -euo pipefail
source "$(dirname "$0")/common.sh"
bench_start "$@"
set -- "${bench_args[@]}"
count=${1:-2000}
ensure_kannel

scratch=$(mktemp -d)
kannel_pid=""
server=""
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  [ -z "$kannel_pid" ] || kill "$kannel_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  drop_databases
  rm -rf "$scratch"
}
trap cleanup EXIT

port=3290
base="http://127.0.0.1:$port"
sms_port=3300
secret=bench-kannel-calls-layan
bash scripts/kannel.sh "$scratch/kannel" "$sms_port" "$base" "$secret" &
kannel_pid=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$sms_port") 2>/dev/null && break; sleep 0.1; done

for backend in $(bench_backends); do
  new_database "$backend" sms "$scratch"
  export DATABASE_URL="$db_url" LAYAN_UPLOAD_DIR="$scratch/uploads" LAYAN_OUTBOX_DIR="$scratch/outbox" \
    LAYAN_DEMO=1 LAYAN_LOG=warn LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$LAYAN_ROOT/target/site" \
    SMS_URL="kannel://layan:rahasia@127.0.0.1:$sms_port?from=DINSOS" LAYAN_SMS_SECRET="$secret" LAYAN_SMS_CALLBACK_URL="$base"
  step "$backend: $count applications, one text message each queued at once"
  "$bin" generate-applications "$count" >/dev/null
  sql_value "$db_url" "DELETE FROM outbox_messages" >/dev/null
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  sql_value "$db_url" "INSERT INTO outbox_messages (event_key, kind, channel, application_id, recipient, event, created_at, next_attempt_at) \
    SELECT 'bench:' || id, 'application', 'sms', id, '+6281200000000', 'diajukan', '$now', '$now' FROM applications" >/dev/null
  before=$(grep -c "Got message" "$scratch/kannel/fakesmsc.out" 2>/dev/null || true)
  started=$(date +%s.%N)
  "$bin" &
  server=$!
  sent_at="" reported_at=""
  for _ in $(seq 1 6000); do
    sent=$(sql_value "$db_url" "SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NOT NULL")
    reported=$(sql_value "$db_url" "SELECT COUNT(*) FROM outbox_messages WHERE delivery IS NOT NULL")
    [ -n "$sent_at" ] || { [ "$sent" -ge "$count" ] && sent_at=$(date +%s.%N); }
    [ "$reported" -ge "$count" ] && { reported_at=$(date +%s.%N); break; }
    sleep 0.2
  done
  received=$(( $(grep -c "Got message" "$scratch/kannel/fakesmsc.out") - before ))
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  [ -n "$reported_at" ] || { echo "not every message was reported within 20 minutes" >&2; exit 1; }
  awk -v n="$count" -v s="$started" -v a="$sent_at" -v r="$reported_at" -v got="$received" -v b="$backend" 'BEGIN {
    printf "%-9s %d messages: all accepted by Kannel in %.1f s (%.0f/s), all delivery reports in %.1f s (%.0f/s); the operator received %d\n",
      b, n, a - s, n / (a - s), r - s, n / (r - s), got }'
done
