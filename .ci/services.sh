#!/usr/bin/env bash
# Installs and starts what the generated projects' tests need, from Debian's packages:
# PostgreSQL, Redis and Chromium. Run as root (or with sudo); prints the variables
# the end-to-end tests read. Safe to run again: every step is idempotent.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
need=()
command -v pg_lsclusters >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v make >/dev/null 2>&1 || need+=(make)
command -v git >/dev/null 2>&1 || need+=(git)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# PostgreSQL: start the Debian cluster and create a superuser role for the tests.
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
  pg_createcluster 15 main >/dev/null
  cluster="15 main"
fi
# shellcheck disable=SC2086
pg_ctlcluster $cluster start >/dev/null 2>&1 || true
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
for _ in $(seq 1 30); do
  su postgres -c "psql -p $port -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -p $port -qtAc \"select 1 from pg_roles where rolname='stackprint'\"" | grep -q 1 ||
  su postgres -c "psql -p $port -qc \"create role stackprint login superuser password 'stackprint'\""
su postgres -c "psql -p $port -qtAc \"select 1 from pg_database where datname='stackprint_test'\"" | grep -q 1 ||
  su postgres -c "createdb -p $port -O stackprint stackprint_test"

# Redis on the default port, in the background.
redis-cli -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --port 6379 --save '' --dir /tmp >/dev/null

echo "TEST_DATABASE_URL=postgres://stackprint:stackprint@127.0.0.1:$port/stackprint_test?sslmode=disable"
echo "TEST_REDIS_URL=redis://127.0.0.1:6379/0"
echo "PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH=/usr/bin/chromium"
