#!/usr/bin/env bash
# Lighthouse (npm) on resident pages of a running server, as a phone on a slow network sees
# them (Lighthouse's default mobile throttling), with Debian's Chromium. Prints the performance
# score, total blocking time and transfer size per page. A measurement, not a test: run it on
# the release build (infra/build.sh --release; target/release/quartiersnetz serve).
# Without paths: the start page, Köln's first Quartier, first board and directory search of the
# demo data, and the first question page of survey 1 (started with curl; its cookie is sent).
# Usage: infra/lighthouse.sh [base-url] [path ...]
set -euo pipefail
cd "$(dirname "$0")/.."
base="${1:-http://127.0.0.1:8080}"
shift || true
paths=("$@")
first_link() { { curl -s "$base$1" | grep -oE "href=\"$2[^\"]*\"" || true; } | head -n1 | sed -E 's/href="([^"]+)"/\1/'; }
cookie=""
if [[ ${#paths[@]} -eq 0 ]]; then
  paths=(/ "$(first_link /kommune/koeln /quartier/)" "$(first_link /kommune/koeln/beteiligung /pinnwand/)" /kommune/koeln/angebote)
  jar=$(mktemp)
  questions=$(curl -s -c "$jar" -o /dev/null -w '%{redirect_url}' -H "Origin: $base" -d sprache=de "$base/umfrage/1/start")
  cookie=$(awk '{sub(/^#HttpOnly_/, "")} !/^#/ && NF >= 7 {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$jar")
  paths+=("${questions#"$base"}")
fi
lh=target/tools/node_modules/.bin/lighthouse
[[ -x "$lh" ]] || npm install --prefix target/tools --no-audit --no-fund --silent lighthouse@12.8.2
out=$(mktemp -d)
printf '%-40s %6s %8s %10s\n' page score TBT/ms transfer/B
for p in "${paths[@]}"; do
  f="$out/$(echo "$p" | tr '/' '_').json"
  headers=()
  [[ "$p" == /umfrage/* && -n "$cookie" ]] && headers=(--extra-headers="{\"Cookie\": \"$cookie\"}")
  CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}" "$lh" "$base$p" --quiet --output=json --output-path="$f" "${headers[@]}" \
    --only-categories=performance --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
    const a = r.audits;
    console.log(process.argv[2].padEnd(40), String(Math.round(r.categories.performance.score * 100)).padStart(6),
      String(Math.round(a["total-blocking-time"].numericValue)).padStart(8),
      String(a["total-byte-weight"].numericValue).padStart(10));' "$f" "$p"
done
