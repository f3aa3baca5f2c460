#!/usr/bin/env bash
# Runs the backend (go run, migrations at start-up) and the Next.js dev server together
# against the PostgreSQL in DATABASE_URL (and the Redis in REDIS_URL, when set). Reads .env
# when present. Ctrl-C stops both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ -f .env ]; then
  set -a
  # shellcheck disable=SC1091
  . ./.env
  set +a
fi
: "${DATABASE_URL:?set DATABASE_URL (see .env.example)}"
if [ -z "${API_TOKEN:-}" ]; then
  # A throwaway token for this session; both servers get the same one.
  API_TOKEN="dev-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "dev.sh: API_TOKEN not set, using a random one for this session"
fi
export DATABASE_URL API_TOKEN
export REDIS_URL="${REDIS_URL:-}"
export HTTP_ADDR="${HTTP_ADDR:-127.0.0.1:8080}"
export API_BASE_URL="${API_BASE_URL:-http://127.0.0.1:8080}"
export NEXT_TELEMETRY_DISABLED=1

if [ ! -d backend/internal/api/gen ]; then
  make generate
fi
scripts/ensure-frontend-deps.sh

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

(cd backend && exec go run ./cmd/api) &
pids+=($!)
(cd frontend && exec npm run dev) &
pids+=($!)

echo "dev.sh: API on $API_BASE_URL, web on http://127.0.0.1:3000 (Ctrl-C to stop)"
wait -n
