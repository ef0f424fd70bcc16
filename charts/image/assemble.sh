#!/usr/bin/env bash
# Assembles the backend image's file tree in OUT (the Dockerfile runs exactly this in its build stage), so the
# tree can be built and tested on a machine without Docker: only what runs — the compiled backend and contracts,
# the locales, and the backend's production dependencies as installed (native modules such as better-sqlite3
# already compiled by `npm ci`).
#   bash charts/image/assemble.sh OUT
# Start it with the flags of the Dockerfile's ENTRYPOINT:
#   node --max-semi-space-size=2 --conditions=production OUT/backend/dist/server.js
set -euo pipefail
out=${1:?usage: assemble.sh OUT}
cd "$(dirname "$0")/../.."
root=$PWD

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The shipped build (backend/tsconfig.json leaves tests and test helpers out, ADR 0017) and the contracts it uses.
npx tsc -b backend
cp package.json "$out/"
for pkg in backend contracts; do
  mkdir -p "$out/$pkg"
  cp "$pkg/package.json" "$out/$pkg/"
  cp -r "$pkg/dist" "$out/$pkg/dist"
done
find "$out" -name '*.tsbuildinfo' -delete
cp -r locales "$out/locales"

# Production dependencies of the backend only, each package without its own nested node_modules (those that are
# needed are listed on their own), so no devDependency comes along.
# (npm ls exits non-zero on a mere peer-dependency warning; the list it prints is still complete.)
deps=$(npm ls --omit=dev --all --parseable --workspace @ks-gpu-ml/backend 2>/dev/null || true)
printf '%s\n' "$deps" |
  grep '/node_modules/' | grep -v '/node_modules/@ks-gpu-ml/' | sort -u |
  while read -r dir; do
    rel=${dir#"$root"/}
    mkdir -p "$out/$rel"
    (cd "$dir" && tar -cf - --exclude=./node_modules --exclude=./.bin .) | (cd "$out/$rel" && tar -xf -)
  done
# Our workspace packages are links to their folders: only contracts is needed, linked as npm links it.
mkdir -p "$out/node_modules/@ks-gpu-ml"
ln -sfn ../../contracts "$out/node_modules/@ks-gpu-ml/contracts"
