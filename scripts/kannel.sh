#!/usr/bin/env bash
# Kannel on loopback in a scratch folder, in the foreground until stopped (the end-to-end
# tests start it beside Layan): bearerbox, smsbox, and fakesmsc playing the operator's SMSC,
# which prints every message it receives into <dir>/fakesmsc.out.
#   scripts/kannel.sh <dir> <sendsms port> <callback url> <secret>
# The other ports are the sendsms port + 1, + 2, + 3. The configuration is
# tests/kannel/kannel.conf, shared with the API tests' harness.
set -euo pipefail
dir=$1 sendsms=$2 callback=$3 secret=$4
bin=$(dirname "${LAYAN_TEST_KANNEL:-/usr/sbin/bearerbox}")
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
sed -e "s|@DIR@|$dir|g" -e "s|@ADMIN_PORT@|$((sendsms + 1))|g" -e "s|@BOX_PORT@|$((sendsms + 2))|g" \
    -e "s|@SMSC_PORT@|$((sendsms + 3))|g" -e "s|@SENDSMS_PORT@|$sendsms|g" -e "s|@CALLBACK@|$callback|g" \
    -e "s|@SECRET@|$secret|g" "$root/tests/kannel/kannel.conf" > "$dir/kannel.conf"
trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT INT TERM
"$bin/bearerbox" "$dir/kannel.conf" >> "$dir/bearerbox.out" 2>&1 &
until (exec 3<>"/dev/tcp/127.0.0.1/$((sendsms + 3))") 2>/dev/null; do sleep 0.1; done
"$bin/smsbox" "$dir/kannel.conf" >> "$dir/smsbox.out" 2>&1 &
until (exec 3<>"/dev/tcp/127.0.0.1/$sendsms") 2>/dev/null; do sleep 0.1; done
/usr/lib/kannel/test/fakesmsc -H 127.0.0.1 -r "$((sendsms + 3))" -i 1 -m 0 x >> "$dir/fakesmsc.out" 2>&1 &
wait
