#!/usr/bin/env bash
# Builds what the server needs: the native binary, and in target/site the static files with the
# survey checks' wasm (the only wasm any page loads; always optimised: it is small).
# Installs missing build tools on the way (wasm32 target, wasm-bindgen-cli matching Cargo.lock).
# Usage: infra/build.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/.."

profile=dev; dir=debug
if [[ "${1:-}" == "--release" ]]; then
  profile=release; dir=release
fi
# The wasm is built for size in every build, so that tests weigh what residents download.
wasm_profile=wasm-release; wasm_dir=wasm-release

rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${wb_version}\$"; then
  echo "installing wasm-bindgen-cli ${wb_version}" >&2
  # Not --locked: its lockfile asks for a webpki-roots version the registry here lacks.
  cargo install wasm-bindgen-cli --version "${wb_version}"
fi

cargo build --profile "$profile" -p quartiersnetz
# The wasm client is built on its own: together with the server, qn-domain's `full` feature
# would be unified into it.
cargo build --profile "$wasm_profile" -p qn-client --target wasm32-unknown-unknown

site=target/site
rm -rf "$site"
mkdir -p "$site/pkg"
cp -r frontend/public/. "$site/"
# The bundle's name carries a hash of its content, so browsers may keep it for a year
# (`immutable`) and a release never meets an old copy (site-assets.sh names it in assets.txt).
input="target/wasm32-unknown-unknown/${wasm_dir}/qn_client.wasm"
name="quartiersnetz-$(sha256sum "$input" | cut -c1-16)"
wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name "$name" "$input"
# npm's binaryen, not Debian's: Debian's wasm-opt 108 breaks modules from this Rust (reference
# types).
opt=target/tools/node_modules/.bin/wasm-opt
[[ -x "$opt" ]] || npm install --prefix target/tools --no-audit --no-fund --silent binaryen@132.0.0
"$opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
  --enable-multivalue --enable-sign-ext "$site/pkg/${name}_bg.wasm" -o "$site/pkg/${name}_bg.wasm"
# The scripts minified (npm's terser): comments and long names are a third of what a phone
# downloads for them. The service worker stays as written (site-assets.sh edits its first line).
terser=target/tools/node_modules/.bin/terser
[[ -x "$terser" ]] || npm install --prefix target/tools --no-audit --no-fund --silent terser@5.51.4
for f in "$site/qn.js" "$site/outbox.js"; do "$terser" "$f" --compress --mangle -o "$f"; done
"$terser" "$site/pkg/${name}.js" --module --compress --mangle -o "$site/pkg/${name}.js"
infra/site-assets.sh "$site"
echo "built target/${dir}/quartiersnetz and ${site}" >&2
