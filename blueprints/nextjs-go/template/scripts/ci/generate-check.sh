#!/usr/bin/env bash
# Fails when the generated code is stale: `make generate` must change nothing in Git.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

make generate
if [ -n "$(git status --porcelain)" ]; then
  echo "make generate changed files; run it and commit the result:" >&2
  git status --porcelain >&2
  exit 1
fi
