#!/usr/bin/env bash
# Backend static checks: formatting, vet, staticcheck, and a go.mod/go.sum that `go mod tidy`
# leaves alone. staticcheck is pinned here and run through `go run`, so nothing is installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../backend"
STATICCHECK="honnef.co/go/tools/cmd/staticcheck@v0.8.2"

unformatted="$(gofmt -l .)"
if [ -n "$unformatted" ]; then
  echo "gofmt needed on:" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...
go run "$STATICCHECK" ./...
cp go.mod /tmp/go.mod.$$ && cp go.sum /tmp/go.sum.$$
trap 'rm -f /tmp/go.mod.$$ /tmp/go.sum.$$' EXIT
go mod tidy
if ! cmp -s go.mod /tmp/go.mod.$$ || ! cmp -s go.sum /tmp/go.sum.$$; then
  echo "go mod tidy changed go.mod/go.sum; commit the tidy result" >&2
  cp /tmp/go.mod.$$ go.mod && cp /tmp/go.sum.$$ go.sum
  exit 1
fi
