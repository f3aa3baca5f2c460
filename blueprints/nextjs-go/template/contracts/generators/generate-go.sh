#!/usr/bin/env bash
# Emits the Go code of the contracts: protobuf message types (protoc + protoc-gen-go), the
# chi server interface and models of the OpenAPI document (oapi-codegen), and the typed
# PostgreSQL queries (sqlc). Every output directory is replaced wholesale, so running it
# twice changes nothing. Tool versions are pinned: protoc-gen-go and oapi-codegen by
# backend/go.mod, sqlc below. Needs go, protoc and (for building sqlc) a C compiler.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
backend="$root/backend"
bin="$backend/bin"
SQLC_VERSION="v1.31.1"

mkdir -p "$bin"
cd "$backend"

echo "generate-go: protobuf"
go build -o "$bin/protoc-gen-go" google.golang.org/protobuf/cmd/protoc-gen-go
rm -rf pkg/gen
mkdir -p pkg/gen
find "$root/contracts/proto" -name '*.proto' | sort | xargs protoc \
  --plugin=protoc-gen-go="$bin/protoc-gen-go" \
  -I "$root/contracts/proto" \
  --go_out=pkg/gen --go_opt=paths=source_relative
# protoc-gen-go records the protoc version in a header comment; drop that one line so the
# output does not depend on which protoc happens to be on PATH.
find pkg/gen -name '*.pb.go' | while read -r f; do
  sed -e '/^\/\/[[:space:]]*protoc[[:space:]]\{1,\}v/d' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
done

echo "generate-go: openapi (oapi-codegen)"
rm -rf internal/api/gen
mkdir -p internal/api/gen
go tool oapi-codegen -config internal/api/oapi-codegen.yaml "$root/contracts/openapi/openapi.yaml"

echo "generate-go: sql (sqlc $SQLC_VERSION)"
# sqlc pulls in a large dependency tree (and cgo), so it is built once into backend/bin
# rather than added to go.mod.
if [ "$("$bin/sqlc" version 2>/dev/null || true)" != "$SQLC_VERSION" ]; then
  GOBIN="$bin" go install "github.com/sqlc-dev/sqlc/cmd/sqlc@$SQLC_VERSION"
fi
rm -rf internal/persistence/sqlcgen
"$bin/sqlc" generate -f sqlc.yaml
