#!/usr/bin/env bash
# Emits the TypeScript types of the OpenAPI document into frontend/lib/api/schema.d.ts via
# the frontend's own `generate` script (openapi-typescript, pinned in frontend/package.json).
#
# With the frontend's dependencies installed, their openapi-typescript runs. Without them,
# and with $GENERATOR_TOOLS_DIR set, the same pinned versions of openapi-typescript and
# typescript are installed once into that directory and put on PATH, which spares a full
# `npm ci` when only the types are needed (a fresh checkout in CI, a scaffolder).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
frontend="$root/frontend"

if [ ! -d "$frontend/node_modules" ] && [ -n "${GENERATOR_TOOLS_DIR:-}" ]; then
  pinned() { node -p "require('$frontend/package.json').devDependencies['$1']"; }
  openapi_ts="$(pinned openapi-typescript)"
  typescript="$(pinned typescript)"
  dir="$GENERATOR_TOOLS_DIR/openapi-typescript-$openapi_ts-typescript-$typescript"
  if [ ! -x "$dir/node_modules/.bin/openapi-typescript" ]; then
    mkdir -p "$GENERATOR_TOOLS_DIR"
    echo "generate-ts: installing openapi-typescript $openapi_ts: first run only, cached afterwards"
    tmp="$(mktemp -d "$GENERATOR_TOOLS_DIR/.install.XXXXXX")"
    echo '{"private": true}' >"$tmp/package.json"
    # A failed install must not leave its directory in the shared tools cache.
    if ! npm install --prefix "$tmp" --no-audit --no-fund --no-save --loglevel=error \
      "openapi-typescript@$openapi_ts" "typescript@$typescript"; then
      rm -rf "$tmp"
      exit 1
    fi
    # Another run may have finished the same install meanwhile: keep the first one.
    mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
    if [ ! -x "$dir/node_modules/.bin/openapi-typescript" ]; then
      echo "generate-ts: $dir is incomplete; remove it and run again" >&2
      exit 1
    fi
  fi
  PATH="$dir/node_modules/.bin:$PATH" npm --prefix "$frontend" run --silent generate
  exit 0
fi

"$root/scripts/ensure-frontend-deps.sh"
npm --prefix "$frontend" run generate
