#!/usr/bin/env bash
# End-to-end: builds the backend and frontend, then Playwright starts both against
# DATABASE_URL / REDIS_URL and drives the UI. Needs a Chromium
# (PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH) and a PostgreSQL.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

: "${DATABASE_URL:?DATABASE_URL must point at a disposable PostgreSQL}"
export API_TOKEN="${API_TOKEN:-e2e-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
make -C "$root" build
make -C "$root" e2e
