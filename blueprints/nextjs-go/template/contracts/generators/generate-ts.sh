#!/usr/bin/env bash
# Emits the TypeScript types of the OpenAPI document into frontend/lib/api/schema.d.ts with
# openapi-typescript, pinned in frontend/package.json (whose `generate` script runs this).
#
# With the frontend's dependencies installed, their openapi-typescript runs. Without them,
# and with $GENERATOR_TOOLS_DIR set, the same pinned versions of openapi-typescript and
# typescript are installed once into that directory, which spares a full `npm ci` when
# only the types are needed (a fresh checkout in CI, a scaffolder). Otherwise the
# frontend's dependencies are installed first.
#
# The binary runs directly, not through `npm run` or `npx`: npm's own start-up takes
# longer than the generation.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
frontend="$root/frontend"
openapi_typescript="$frontend/node_modules/.bin/openapi-typescript"

if [ ! -d "$frontend/node_modules" ] && [ -n "${GENERATOR_TOOLS_DIR:-}" ]; then
  # Both pins from one node process (each costs a start-up).
  pins="$(node -p "const d = require('$frontend/package.json').devDependencies;
    d['openapi-typescript'] + ' ' + d.typescript")"
  read -r openapi_ts typescript <<<"$pins"
  dir="$GENERATOR_TOOLS_DIR/openapi-typescript-$openapi_ts-typescript-$typescript"
  openapi_typescript="$dir/node_modules/.bin/openapi-typescript"
  if [ ! -x "$openapi_typescript" ]; then
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
    if [ ! -x "$openapi_typescript" ]; then
      echo "generate-ts: $dir is incomplete; remove it and run again" >&2
      exit 1
    fi
  fi
else
  "$root/scripts/ensure-frontend-deps.sh"
fi

cd "$frontend"
"$openapi_typescript" ../contracts/openapi/openapi.yaml --output lib/api/schema.d.ts
