#!/usr/bin/env bash
# Prints what a phone downloads for a page of a running server: each resource raw, gzip and
# brotli (as the server compresses it). Usage: infra/page-weight.sh [base-url] [path]
set -euo pipefail
base="${1:-http://127.0.0.1:8080}"
path="${2:-/kommune/koeln}"
size() { curl -s -H "Accept-Encoding: $2" "$1" | wc -c; }
total=(0 0 0)
printf '%-40s %10s %10s %10s\n' resource raw gzip br
html=$(curl -s "$base$path")
# The page, its stylesheet and scripts, the wasm it preloads, Leaflet and the map data.
resources=("$path")
resources+=($(grep -oE '(href|src)="/[^"]+\.(css|js|wasm)"' <<<"$html" | sed -E 's/.*="([^"]+)"/\1/' | sort -u))
resources+=(/leaflet/leaflet.js /leaflet/leaflet.css)
resources+=($(grep -oE 'data-geojson="[^"]+"' <<<"$html" | sed -E 's/.*="([^"]+)"/\1/' | head -n 1))
for r in "${resources[@]}"; do
  raw=$(size "$base$r" identity); gz=$(size "$base$r" gzip); br=$(size "$base$r" br)
  printf '%-40s %10d %10d %10d\n' "$r" "$raw" "$gz" "$br"
  total=($((total[0] + raw)) $((total[1] + gz)) $((total[2] + br)))
done
printf '%-40s %10d %10d %10d\n' total "${total[0]}" "${total[1]}" "${total[2]}"
