#!/usr/bin/env bash
# Replaces reference/idn-area-data/ with a given version of the npm package idn-area-data.
set -euo pipefail
version=${1:?usage: scripts/update-regions.sh VERSION (e.g. 4.0.1)}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "idn-area-data@$version" >/dev/null && tar xzf idn-area-data-*.tgz)
for f in provinces regencies districts villages; do
  cp "$tmp/package/data/$f.csv" reference/idn-area-data/
done
cp "$tmp/package/data/LICENSE.md" reference/idn-area-data/
wc -l reference/idn-area-data/*.csv
echo "Now set IDN_AREA_DATA_VERSION in src/server/seed/regions.rs to $version."
