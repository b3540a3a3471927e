# Shared by scripts/run.sh, scripts/test.sh and .ci/run. Sourced, not run.
# Installs what a fresh machine lacks, idempotently: a warm machine skips every step.
# Versions: ../shared/TOOLCHAIN.md (cargo-leptos 0.3.11 needs a newer rustc than 1.95;
# the wasm-bindgen CLI must equal the wasm-bindgen crate pinned in Cargo.toml).

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130

LAYAN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$LAYAN_ROOT/target}"
export PATH="$HOME/.cargo/bin:$LAYAN_ROOT/node_modules/.bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" ||
    { as_root apt-get update && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; }
}

# The wasm target, cargo-leptos and the wasm-bindgen CLI (built from crates.io: no
# prebuilt binaries can be downloaded here).
ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "installing the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 17 minutes on 2 cores, once per machine)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: a crate version its lock file names is missing from the registry.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

# wasm-opt (npm binaryen), Playwright and axe-core, as locked in package-lock.json.
ensure_node_tools() {
  if [ ! -f "$LAYAN_ROOT/node_modules/.package-lock.json" ] ||
    [ "$LAYAN_ROOT/package-lock.json" -nt "$LAYAN_ROOT/node_modules/.package-lock.json" ]; then
    step "installing node tools (npm ci)"
    (cd "$LAYAN_ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

# Debian's Chromium, which Playwright drives (it cannot download its own here).
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Debian's chromium"
    apt_install chromium
  fi
}

# A real SMTP server for the mail tests: aiosmtpd from PyPI, in a virtual environment
# beside the build cache (the tests start it on loopback). Exports LAYAN_TEST_PYTHON.
AIOSMTPD_VERSION=1.4.6
ensure_python_tools() {
  local venv="${CARGO_TARGET_DIR:-$LAYAN_ROOT/target}/../layan-venv"
  if ! "$venv/bin/python" -c "import aiosmtpd" 2>/dev/null; then
    step "installing aiosmtpd $AIOSMTPD_VERSION (a real SMTP server for the mail tests)"
    if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c "import ensurepip" 2>/dev/null; then
      apt_install python3 python3-venv
    fi
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "aiosmtpd==$AIOSMTPD_VERSION"
  fi
  export LAYAN_TEST_PYTHON="$venv/bin/python"
}

# A real S3-compatible object store for the storage tests: Garage, built from crates.io
# once per machine like cargo-leptos (the tests start a single node on loopback in a
# scratch folder). Exports LAYAN_TEST_GARAGE.
GARAGE_VERSION=2.5.0
ensure_garage() {
  if ! garage --version 2>/dev/null | grep -q ":$GARAGE_VERSION "; then
    step "installing Garage $GARAGE_VERSION (an S3-compatible object store, about 10 minutes on 2 cores, once per machine)"
    cargo install garage --version "$GARAGE_VERSION" --locked
  fi
  LAYAN_TEST_GARAGE="$(command -v garage)"
  export LAYAN_TEST_GARAGE
}

# Debian's nginx, the load balancer in front of several instances in the cluster tests
# (they start their own on loopback in a scratch folder). The package's own service is not
# wanted: it is stopped if the install started it. Exports LAYAN_TEST_NGINX.
ensure_nginx() {
  if [ ! -x /usr/sbin/nginx ]; then
    step "installing Debian's nginx (the load balancer of the cluster tests)"
    apt_install nginx
    as_root sh -c 'command -v invoke-rc.d >/dev/null && invoke-rc.d nginx stop' >/dev/null 2>&1 || true
  fi
  export LAYAN_TEST_NGINX=/usr/sbin/nginx
}

# Debian's Kannel (bearerbox, smsbox) and kannel-extras (fakesmsc, which plays the
# operator's SMSC): the real SMS gateway of the SMS tests, which start their own boxes on
# loopback ports in a scratch folder. Exports LAYAN_TEST_KANNEL (bearerbox's path).
ensure_kannel() {
  if [ ! -x /usr/sbin/bearerbox ] || [ ! -x /usr/lib/kannel/test/fakesmsc ]; then
    step "installing Debian's kannel and kannel-extras (the SMS gateway of the SMS tests)"
    apt_install kannel kannel-extras
    as_root sh -c 'command -v invoke-rc.d >/dev/null && invoke-rc.d kannel stop' >/dev/null 2>&1 || true
  fi
  export LAYAN_TEST_KANNEL=/usr/sbin/bearerbox
}

# Every build splits the WebAssembly (--split): a lazy island comes in chunks of its own
# that only the pages holding it fetch (src/server/islands.rs).
leptos_build() {
  cargo leptos build --split "$@"
}

# The optimised bundle residents get (release server, size-optimised wasm, .br/.gz beside
# each asset): what the benchmarks measure.
build_release_bundle() {
  ensure_rust_tools
  ensure_node_tools
  step "cargo leptos build --split --release --precompress"
  leptos_build --release --precompress
}
