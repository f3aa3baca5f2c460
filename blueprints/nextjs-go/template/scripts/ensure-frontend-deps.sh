#!/usr/bin/env bash
# Installs the frontend dependencies once (exactly as locked when a lockfile exists).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -d "$root/frontend/node_modules" ]; then
  exit 0
fi
if [ -f "$root/frontend/package-lock.json" ]; then
  npm --prefix "$root/frontend" ci --no-audit --no-fund
else
  npm --prefix "$root/frontend" install --no-audit --no-fund
fi
