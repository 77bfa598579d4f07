#!/usr/bin/env bash
# Names the shell's files in a built site by their content and compresses them: qn.js, qn.css
# and outbox.js get copies in pkg/ named `<stem>-<hash>.<ext>`, which browsers may keep a year
# (`immutable`): a release never meets an old copy. assets.txt tells the server the names; the
# service worker's first line gets them and a release version, so a new release is a new
# worker that precaches the new shell and drops the old one. Run by build.sh; safe to run again
# on a site whose unhashed files changed (the browser test of a release does).
# Usage: infra/site-assets.sh <site dir>
set -euo pipefail
site=${1:?usage: site-assets.sh <site dir>}
hash() { sha256sum "$1" | cut -c1-16; }

declare -A named
for f in qn.js qn.css outbox.js; do
  stem=${f%.*} ext=${f##*.}
  rm -f "$site/pkg/$stem"-*."$ext" "$site/pkg/$stem"-*."$ext".{br,gz}
  name="/pkg/$stem-$(hash "$site/$f").$ext"
  cp "$site/$f" "$site$name"
  named[$f]=$name
done
bundle=$(cd "$site/pkg" && ls quartiersnetz-*.js 2>/dev/null | head -n1 || true)
{
  for f in qn.js qn.css outbox.js; do printf '%s %s\n' "$f" "${named[$f]}"; done
  [[ -n "$bundle" ]] && printf 'survey /pkg/%s\n' "$bundle"
} > "$site/assets.txt"

version=$(cat "$site/assets.txt" "$site/offline.html" "$site/manifest.webmanifest" | sha256sum | cut -c1-16)
sed -i "1s#^const RELEASE = .*#const RELEASE = { version: '${version}', qn: '${named[qn.js]}', css: '${named[qn.css]}', outbox: '${named[outbox.js]}' };#" "$site/sw.js"
head -n1 "$site/sw.js" | grep -q "version: '${version}'" || { echo "sw.js: first line is not 'const RELEASE = …'" >&2; exit 1; }
# The offline page is read from the worker's cache: it links the cached (hashed) style sheet.
sed -i "s#href=\"[^\"]*\\.css\"#href=\"${named[qn.css]}\"#" "$site/offline.html"

# Precompressed copies, served as they are: gzip, and brotli at its best quality with Node's
# zlib where Node is installed.
compressible=("$site"/pkg/*.js "$site"/pkg/*.wasm "$site"/pkg/*.css "$site"/*.js "$site"/*.css "$site"/leaflet/*.js "$site"/leaflet/*.css)
gzip -9 -k -n -f "${compressible[@]}"
if command -v node >/dev/null; then
  node -e '
    const fs = require("fs"), zlib = require("zlib");
    for (const f of process.argv.slice(1)) {
      fs.writeFileSync(f + ".br", zlib.brotliCompressSync(fs.readFileSync(f), {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: fs.statSync(f).size },
      }));
    }' "${compressible[@]}"
fi
