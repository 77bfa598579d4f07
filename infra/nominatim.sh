#!/usr/bin/env bash
# A real Nominatim (the OpenStreetMap geocoder, from PyPI) as the peer of the geocoder test:
# imports the made-up town of tests/fixtures/geocoder/stadt.osm into the test PostgreSQL and
# serves Nominatim's API on a free port.
#
#   infra/nominatim.sh install              Debian packages (PostGIS, osm2pgsql) and a venv
#   infra/nominatim.sh start PG_URL DIR     import and serve; prints the API's URL, writes DIR/pid
#
# PG_URL is the admin URL of the test PostgreSQL (postgres://user@host:port/db).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${QN_TOOLS_DIR:-$HOME/.cache/quartiersnetz}/nominatim-venv"

install() {
  local pg_bin ver missing=()
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  ver=$(basename "$(dirname "$pg_bin")")
  dpkg -s "postgresql-${ver}-postgis-3" >/dev/null 2>&1 || missing+=("postgresql-${ver}-postgis-3" "postgresql-${ver}-postgis-3-scripts")
  command -v osm2pgsql >/dev/null || missing+=(osm2pgsql)
  # Debian's PyICU and psycopg: pip would build PyICU from source for minutes.
  dpkg -s python3-icu >/dev/null 2>&1 || missing+=(python3-icu)
  dpkg -s python3-psycopg >/dev/null 2>&1 || missing+=(python3-psycopg)
  dpkg -s python3-venv >/dev/null 2>&1 || missing+=(python3-venv)
  if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if ! "$venv/bin/nominatim" --version >/dev/null 2>&1; then
    echo "installing Nominatim into $venv" >&2
    # Debian's interpreter, so the venv sees Debian's python3-icu and python3-psycopg.
    /usr/bin/python3 -m venv --system-site-packages "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r infra/nominatim-requirements.txt
  fi
}

start() {
  local url=$1 dir=$2 user host port
  [[ $url =~ ^postgres(ql)?://([^@/]+)@([^:/]+):([0-9]+)/ ]] || { echo "cannot read $url" >&2; exit 1; }
  user=${BASH_REMATCH[2]}; host=${BASH_REMATCH[3]}; port=${BASH_REMATCH[4]}
  mkdir -p "$dir/project"
  cat > "$dir/project/.env" <<ENV
NOMINATIM_DATABASE_DSN="pgsql:host=$host;port=$port;user=$user;dbname=qn_nominatim"
NOMINATIM_DATABASE_WEBUSER="$user"
ENV
  PGOPTIONS='-c client_min_messages=warning' psql "$url" -qc 'DROP DATABASE IF EXISTS qn_nominatim' >/dev/null
  # --offline: osm2pgsql writes no data date, and Nominatim would ask openstreetmap.org.
  local osm="$PWD/tests/fixtures/geocoder/stadt.osm"
  (cd "$dir/project" && "$venv/bin/nominatim" import --osm-file "$osm" --offline --threads 1 >"$dir/import.log" 2>&1) \
    || { tail -n 20 "$dir/import.log" >&2; exit 1; }
  local api_port
  api_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (cd "$dir/project" && exec "$venv/bin/nominatim" serve --server "127.0.0.1:$api_port" >"$dir/serve.log" 2>&1) &
  echo $! >"$dir/pid"
  for _ in $(seq 1 150); do
    if python3 -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:$api_port/status', timeout=2).read() != b'OK')" 2>/dev/null; then
      echo "http://127.0.0.1:$api_port"
      return 0
    fi
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || { cat "$dir/serve.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "Nominatim did not become ready" >&2
  exit 1
}

case "${1:-}" in
  install) install ;;
  start) start "$2" "$3" ;;
  *) echo "usage: $0 install | start PG_URL DIR" >&2; exit 2 ;;
esac
