#!/usr/bin/env bash
# Backend CI: static checks, build, then every test. Integration tests need
# TEST_DATABASE_URL and TEST_REDIS_URL; with CI set they fail instead of skipping.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

"$root/scripts/ci/lint-backend.sh"
cd "$root/backend"
go build ./...
go test -race ./...
make -C "$root" build-backend
