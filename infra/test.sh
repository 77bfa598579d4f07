#!/usr/bin/env bash
# Runs every check: formatting, clippy (server and wasm), unit and integration tests on SQLite
# and PostgreSQL, and the browser tests in headless Chromium.
#
# PostgreSQL: uses QN_TEST_POSTGRES_URL if set (an admin URL; each test creates its own
# database), otherwise starts a throw-away server on a free port. QN_REQUIRE_POSTGRES=1 (set by
# CI) turns a missing PostgreSQL into a failure instead of a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export QN_LOG="${QN_LOG:-warn}"

step() { printf '\n==> [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }

step "installing missing test dependencies"
infra/setup-test-env.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "build (server, wasm, site)"
infra/build.sh

step "clippy"
cargo clippy --all-targets -- -D warnings
cargo clippy -p qn-client --target wasm32-unknown-unknown -- -D warnings

pg_dir=""
geo_dir=""
cleanup() {
  if [[ -n "$geo_dir" ]]; then
    [[ -f "$geo_dir/pid" ]] && kill "$(cat "$geo_dir/pid")" 2>/dev/null || true
    rm -rf "$geo_dir"
  fi
  if [[ -n "$pg_dir" ]]; then
    pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT
pg_run() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [[ -z "${QN_TEST_POSTGRES_URL:-}" ]]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$pg_bin" && -x "$pg_bin/initdb" ]]; then
    step "starting a throw-away PostgreSQL"
    pg_dir=$(mktemp -d /tmp/qn-pg.XXXXXX)
    [[ $(id -u) -eq 0 ]] && chown postgres "$pg_dir"
    pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    pg_run "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
      -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    export QN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:${pg_port}/postgres"
  elif [[ "${QN_REQUIRE_POSTGRES:-}" == "1" ]]; then
    echo "PostgreSQL is required (QN_REQUIRE_POSTGRES=1) but neither QN_TEST_POSTGRES_URL nor a server is available" >&2
    exit 1
  else
    echo "WARNING: no PostgreSQL found: tests run on SQLite only" >&2
  fi
fi

# The geocoder test's peer: a real Nominatim on the same PostgreSQL (its database is its own).
if [[ -n "${QN_TEST_POSTGRES_URL:-}" && -z "${QN_TEST_GEOCODER_URL:-}" ]]; then
  step "starting Nominatim (geocoder peer)"
  geo_dir=$(mktemp -d /tmp/qn-nominatim.XXXXXX)
  if geo_url=$(infra/nominatim.sh start "$QN_TEST_POSTGRES_URL" "$geo_dir"); then
    export QN_TEST_GEOCODER_URL="$geo_url"
  elif [[ "${QN_REQUIRE_POSTGRES:-}" == "1" ]]; then
    echo "Nominatim could not be started (see above)" >&2
    exit 1
  else
    echo "WARNING: no Nominatim: the geocoder test is skipped" >&2
  fi
fi

step "unit and integration tests (SQLite and PostgreSQL)"
cargo test --all-targets

step "browser tests (headless Chromium)"
# Two test files at a time: each starts its own server and browser, and most of a file's time
# is waiting on them, so two share the 2 cores well (535 s one at a time, 345 s two at a time).
(cd tests/e2e && npm ci --no-audit --no-fund --silent && node --test --test-concurrency=2)
step "all checks passed"
