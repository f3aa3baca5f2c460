#!/usr/bin/env bash
# Creates the PostgreSQL database of DATABASE_URL, and its role, when they are missing;
# run it once before `make dev` (`make db`). Reads .env when present. It connects as
# ADMIN_DATABASE_URL when set (a role allowed to create roles and databases, e.g.
# postgres://postgres:postgres@127.0.0.1:5432/postgres), otherwise as the user of
# DATABASE_URL to its server's `postgres` database, which then must exist as a role that
# may create databases. Needs psql (the PostgreSQL client).
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
if ! command -v psql >/dev/null 2>&1; then
  echo "db.sh: psql not found: install the PostgreSQL client (Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq)" >&2
  exit 1
fi

# postgres://user:password@host:port/database?parameters, as in .env.example.
pattern='^(postgres|postgresql)://([^:@/]+)(:([^@/]*))?@([^/?]+)/([^?]+)(\?.*)?$'
if [[ ! "$DATABASE_URL" =~ $pattern ]]; then
  echo "db.sh: DATABASE_URL must look like postgres://USER:PASSWORD@HOST:PORT/DATABASE" >&2
  exit 1
fi
decode() { printf '%b' "${1//%/\\x}"; }
user="$(decode "${BASH_REMATCH[2]}")"
password="$(decode "${BASH_REMATCH[4]}")"
database="$(decode "${BASH_REMATCH[6]}")"
admin="${ADMIN_DATABASE_URL:-${BASH_REMATCH[1]}://${BASH_REMATCH[2]}${BASH_REMATCH[3]}@${BASH_REMATCH[5]}/postgres${BASH_REMATCH[7]}}"

# psql quotes the variables (:'literal', :"identifier"); \gexec runs each statement the
# query returns, so nothing is created twice.
psql "$admin" --no-psqlrc --quiet -v ON_ERROR_STOP=1 \
  -v role="$user" -v password="$password" -v database="$database" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'role')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
SQL
echo "db.sh: database $database is ready for $user"
