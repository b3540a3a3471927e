# Shared by the benchmarks: the release build, a database per run (SQLite or PostgreSQL),
# one resident's journey through the plain forms with curl, and the parts of a cluster
# (Garage, nginx, several `layan` processes). Sourced, not run.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$LAYAN_ROOT"

bin="$CARGO_TARGET_DIR/release/layan"

# Builds the release bundle unless the first argument is `--no-build`; the arguments after
# it are left in $bench_args (`bench_start "$@"; set -- "${bench_args[@]}"`).
bench_start() {
  if [ "${1:-}" = "--no-build" ]; then
    shift
  else
    build_release_bundle
  fi
  bench_args=("$@")
}

# Generates `count` demo applications into a fresh database of `backend` (in $scratch for
# SQLite), starts the release server on $base with them (its pid in $server) and signs the
# demo staff member `user` in (cookies in $scratch/jar).
serve_generated() { # backend label count user
  local backend=$1 label=$2 count=$3 user=$4
  new_database "$backend" "$label" "$scratch"
  export DATABASE_URL="$db_url" LAYAN_UPLOAD_DIR="$scratch/uploads" LAYAN_OUTBOX_DIR="$scratch/outbox" \
    LAYAN_DEMO=1 LAYAN_LOG=warn LEPTOS_SITE_ADDR="${base#http://}" LEPTOS_SITE_ROOT="$LAYAN_ROOT/target/site"
  step "$count applications on $backend (generated, then counted into the tallies)"
  "$bin" generate-applications "$count"
  "$bin" &
  server=$!
  wait_healthy "$base"
  curl -s -o /dev/null -c "$scratch/jar" -H "Origin: $base" -d "nama_pengguna=$user&kata_sandi=layan-demo-2026" "$base/petugas/masuk"
}

# A fresh database for `label` in `dir`, its URL in $db_url: SQLite, or with backend
# "postgres" a new database on LAYAN_BENCH_POSTGRES_URL (a role that may CREATE DATABASE),
# dropped by drop_databases. (Not in a $(…): the list of databases to drop must survive.)
bench_databases=()
new_database() { # backend label dir
  local backend=$1 label=$2 dir=$3
  if [ "$backend" = postgres ]; then
    local name="layan_bench_${label}_$$" base=${LAYAN_BENCH_POSTGRES_URL%%\?*}
    psql "$LAYAN_BENCH_POSTGRES_URL" -qc "CREATE DATABASE $name" >/dev/null
    bench_databases+=("$name")
    db_url="${base%/*}/$name"
  else
    db_url="sqlite://$dir/layan.db"
  fi
}
drop_databases() {
  local name
  for name in "${bench_databases[@]}"; do
    psql "$LAYAN_BENCH_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true
  done
  bench_databases=()
}

# One query's single value, on either backend.
sql_value() { # url query
  case $1 in
    postgres*) psql "$1" -Atc "$2" ;;
    sqlite://*) sqlite3 "${1#sqlite://}" "$2" 2>/dev/null ;;
  esac
}

# The backends to measure: SQLite, and PostgreSQL when LAYAN_BENCH_POSTGRES_URL is set.
bench_backends() {
  echo sqlite
  [ -z "${LAYAN_BENCH_POSTGRES_URL:-}" ] || echo postgres
}

wait_healthy() { # base-url
  for _ in $(seq 1 600); do curl -sf "$1/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "layan at $1 did not become healthy" >&2
  return 1
}

# The documents a journey uploads: a 200 KB photo and a small PDF, in $files.
make_journey_files() { # dir
  files="$1"
  mkdir -p "$files"
  printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00' >"$files/foto.jpg"
  head -c 200000 /dev/urandom >>"$files/foto.jpg"
  printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$files/surat.pdf"
  export files
}

# One resident (number `i`, from an address of its own behind a trusted proxy) through the
# plain forms against $base: every post must answer 303. Prints "OK <number> <seconds of the
# submission>" or "ERROR <path> <status>".
journey() {
  local i=$1 jar
  jar=$(mktemp)
  local from="10.$((i / 65536 % 256)).$((i / 256 % 256)).$((i % 256))"
  post() {
    local path=$1 code
    shift
    code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -H "Origin: $base" -H "X-Forwarded-For: $from" "$@" "$base$path")
    [ "$code" = 303 ] || { echo "ERROR $path $code"; return 1; }
  }
  local nik kk
  nik=$(printf '327601550587%04d' "$((i % 9999 + 1))")
  kk=$(printf '327601010109%04d' "$((i % 9999 + 1))")
  post /ajukan/mulai -d program=rs-rtlh &&
    post /ajukan/siapa -d untuk=sendiri &&
    post /ajukan/data-diri -d "nik=$nik&nama=Siti+Nurhaliza&tanggal_lahir=1987-05-15&jenis_kelamin=P&telepon=081234567890" &&
    post /ajukan/alamat -d "provinsi=32&kabupaten=3276&kecamatan=327601&desa=3276011006&jalan=Jl.+Melati+3&rt=5&rw=2" &&
    post /ajukan/keluarga -d "no_kk=$kk&aksi=lanjut" &&
    post /ajukan/kebutuhan -d "kategori=24&program=rs-rtlh&uraian=Atap+rumah+bocor+dan+dinding+retak." &&
    post /ajukan/dokumen/unggah -F jenis=ktp -F "berkas=@$files/foto.jpg" &&
    post /ajukan/dokumen/unggah -F jenis=foto-rumah -F "berkas=@$files/foto.jpg" &&
    post /ajukan/dokumen/unggah -F jenis=kk -F "berkas=@$files/surat.pdf" &&
    post /ajukan/dokumen/unggah -F jenis=sktm -F "berkas=@$files/surat.pdf" || { rm -f "$jar"; return 0; }
  local key sent
  key=$(curl -s -b "$jar" -H "X-Forwarded-For: $from" "$base/ajukan/periksa" | grep -o 'name="kunci" value="[^"]*"' | sed 's/.*value="//; s/"$//')
  sent=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -c "$jar" -b "$jar" -H "Origin: $base" -H "X-Forwarded-For: $from" \
    -d "kunci=$key&pernyataan=ya" "$base/ajukan/kirim")
  [ "${sent%% *}" = 303 ] || { echo "ERROR /ajukan/kirim ${sent%% *}"; rm -f "$jar"; return 0; }
  local number
  number=$(curl -s -b "$jar" -H "X-Forwarded-For: $from" "$base/ajukan/selesai" | grep -o '/lacak?nomor=[0-9A-Z]*' | head -1 | sed 's/.*=//')
  echo "OK $number ${sent#* }"
  rm -f "$jar"
}
export -f journey

# A single-node Garage in `dir` on free ports, with a bucket `layan` and a key for it;
# exports the LAYAN_STORAGE_URL/LAYAN_S3_* a Layan needs to use it. Stop with stop_garage.
start_garage() { # dir
  local dir=$1 s3 rpc
  mkdir -p "$dir/meta" "$dir/data"
  s3=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  rpc=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$dir/garage.toml" <<EOF
metadata_dir = "$dir/meta"
data_dir = "$dir/data"
db_engine = "sqlite"
replication_factor = 1
rpc_bind_addr = "127.0.0.1:$rpc"
rpc_public_addr = "127.0.0.1:$rpc"
rpc_secret = "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:$s3"
root_domain = ".s3.garage.localhost"
EOF
  garage -c "$dir/garage.toml" server >"$dir/log" 2>&1 &
  garage_pid=$!
  for _ in $(seq 1 150); do garage -c "$dir/garage.toml" status >/dev/null 2>&1 && break; sleep 0.2; done
  local g="garage -c $dir/garage.toml" node key
  node=$($g node id -q 2>/dev/null | cut -d@ -f1)
  $g layout assign -z dc1 -c 1G "$node" >/dev/null
  $g layout apply --version 1 >/dev/null
  $g bucket create layan >/dev/null
  key=$($g key create layan-key)
  $g bucket allow --read --write --owner layan --key layan-key >/dev/null
  export LAYAN_STORAGE_URL=s3://layan LAYAN_S3_ENDPOINT="http://127.0.0.1:$s3" LAYAN_S3_REGION=garage
  LAYAN_S3_ACCESS_KEY_ID=$(echo "$key" | awk '/Key ID:/ {print $3}')
  LAYAN_S3_SECRET_ACCESS_KEY=$(echo "$key" | awk '/Secret key:/ {print $3}')
  export LAYAN_S3_ACCESS_KEY_ID LAYAN_S3_SECRET_ACCESS_KEY
}
stop_garage() {
  [ -z "${garage_pid:-}" ] || { kill "$garage_pid" 2>/dev/null; wait "$garage_pid" 2>/dev/null || true; }
  garage_pid=
}

# Debian's nginx in `dir`, round robin over the given ports, listening on `port`.
start_nginx() { # dir port upstream-port...
  local dir=$1 port=$2 servers="" p
  shift 2
  for p in "$@"; do servers+="    server 127.0.0.1:$p max_fails=1 fail_timeout=2s;"$'\n'; done
  mkdir -p "$dir"/{body,proxy,fastcgi,uwsgi,scgi}
  # Started as root, nginx's workers run as nobody and keep large request bodies in body/:
  # they must reach it through every folder above.
  chmod -R a+rwX "$dir"
  local up=$dir
  while up=$(dirname "$up") && [ "$up" != / ]; do chmod a+x "$up" 2>/dev/null || true; done
  cat >"$dir/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  client_max_body_size 30m;
  upstream layan {
$servers  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://layan;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
    }
  }
}
EOF
  /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
  nginx_pid=$!
  for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
}
stop_nginx() {
  [ -z "${nginx_pid:-}" ] || { kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null || true; }
  nginx_pid=
}

# p50 and p95 of a column of seconds, in milliseconds.
percentiles() { # file
  sort -n "$1" | awk '{ v[NR] = $1 * 1000 } END {
    if (NR == 0) { print "p50 - ms, p95 - ms"; exit }
    i50 = int(NR * 0.5 + 0.999); i95 = int(NR * 0.95 + 0.999)
    printf "p50 %6.1f ms, p95 %6.1f ms", v[i50], v[i95] }'
}
