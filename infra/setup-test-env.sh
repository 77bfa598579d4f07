#!/usr/bin/env bash
# Installs what the tests need and a fresh Debian machine lacks: PostgreSQL (server), Chromium,
# Node.js/npm, Python with pip and the Python peers of the tests. Idempotent and quick when everything is there. Needs root (or sudo) for apt.
set -euo pipefail
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v chromium >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v pkg-config >/dev/null || missing+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || missing+=(libssl-dev)
command -v python3 >/dev/null || missing+=(python3)
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Python peers of the tests: aiosmtpd receives the platform's mails in the browser tests.
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  echo "installing Python test peers (aiosmtpd)" >&2
  python3 -m pip install --quiet --disable-pip-version-check aiosmtpd==1.4.6 \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages aiosmtpd==1.4.6
fi
# The geocoder test's peer: Nominatim with PostGIS (see infra/nominatim.sh).
"$(dirname "$0")/nominatim.sh" install
