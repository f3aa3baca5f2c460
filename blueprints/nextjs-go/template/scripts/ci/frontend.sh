#!/usr/bin/env bash
# Frontend CI: lint, type-check, unit tests and a production build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

"$root/scripts/ensure-frontend-deps.sh"
cd "$root/frontend"
npm run lint
npm run typecheck
npm test
npm run build
