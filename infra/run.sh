#!/usr/bin/env bash
# Runs Quartiersnetz on this machine with the embedded defaults (SQLite under ./data, built-in
# search): builds what it needs, migrates, loads the demo on first start, serves on QN_ADDR
# (default http://127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
infra/build.sh "$@"
bin=target/debug/quartiersnetz
[[ "${1:-}" == "--release" ]] && bin=target/release/quartiersnetz
exec "$bin" serve
