#!/usr/bin/env bash
# Runs the backend (go run, migrations at start-up) and the Next.js dev server together
# against the PostgreSQL in DATABASE_URL (and the Redis in REDIS_URL, when set). Reads .env
# when present. When either stops, or on Ctrl-C, both stop, with every process they
# started. `make db` creates the database first when it is missing.
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

# Job control puts each server in a process group of its own, so stopping a group stops
# what the server started too: `go run` leaves the API binary, `npm run dev` next dev.
set -m
pids=()
stop() {
  trap - EXIT INT TERM
  local pid _
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  # Every process of both groups, not only the two started here, gets 10 seconds.
  for _ in $(seq 100); do
    local alive=0
    for pid in "${pids[@]}"; do
      if kill -0 -- "-$pid" 2>/dev/null; then alive=1; fi
    done
    [ "$alive" = 0 ] && return
    sleep 0.1
  done
  for pid in "${pids[@]}"; do
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

(cd backend && exec go run ./cmd/api) &
pids+=($!)
(cd frontend && exec npm run dev) &
pids+=($!)

echo "dev.sh: API on $API_BASE_URL, web on http://127.0.0.1:${PORT:-3000} (Ctrl-C to stop)"
# Whichever server stops first, the other follows: a dead API leaves no web server behind.
status=0
wait -n || status=$?
echo "dev.sh: a server stopped (exit $status); stopping the other" >&2
exit "$status"
