#!/usr/bin/env bash
# Emits the TypeScript types of the OpenAPI document into frontend/lib/api/schema.d.ts via
# the frontend's own `generate` script (openapi-typescript, pinned in frontend/package.json).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/scripts/ensure-frontend-deps.sh"
npm --prefix "$root/frontend" run generate
