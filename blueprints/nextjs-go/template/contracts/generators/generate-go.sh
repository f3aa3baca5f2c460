#!/usr/bin/env bash
# Emits the Go code of the contracts: protobuf message types (protoc + protoc-gen-go), the
# chi server interface and models of the OpenAPI document (oapi-codegen), and the typed
# PostgreSQL queries (sqlc). Every output directory is replaced wholesale, so running it
# twice changes nothing. Tool versions are pinned: protoc by backend/internal/tools/protoc
# (downloaded on first use; PROTOC=protoc uses yours instead), protoc-gen-go and
# oapi-codegen by backend/go.mod, sqlc below. Needs only go.
#
# Generator binaries are built once per version into $GENERATOR_TOOLS_DIR (default
# backend/bin); point it at a shared directory to reuse them across projects and CI runs.
# The protoc command of internal/tools/protoc is built there too, named by a checksum of
# its source: `go run` would check it for changes, and link it, on every run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
backend="$root/backend"
tools="${GENERATOR_TOOLS_DIR:-$backend/bin}"
SQLC_VERSION="v1.31.1"

mkdir -p "$tools"
cd "$backend"

# Installs a Go command into $tools under a versioned name unless it is already there; the
# rename makes concurrent runs sharing $tools safe.
tool() {
  local name="$1" pkg="$2" version="$3"
  local path="$tools/$name-$version"
  if [ ! -x "$path" ]; then
    local tmp
    echo "generate-go: building $name $version: first run only, cached afterwards" >&2
    tmp="$(mktemp -d "$tools/.build.XXXXXX")"
    # A failed build must not leave its directory in the shared tools cache.
    if ! GOBIN="$tmp" go install "$pkg@$version"; then
      rm -rf "$tmp"
      exit 1
    fi
    mv -f "$tmp/$name" "$path"
    rmdir "$tmp"
  fi
  echo "$path"
}

# Builds the protoc command of internal/tools/protoc (standard library only) into $tools
# unless a build of the same source is already there.
protoc_command() {
  local sum path tmp
  sum="$(cat internal/tools/protoc/*.go | cksum | cut -d ' ' -f 1)"
  path="$tools/protoc-command-$sum"
  if [ ! -x "$path" ]; then
    echo "generate-go: building the protoc command of internal/tools/protoc: first run only, cached afterwards" >&2
    tmp="$(mktemp -d "$tools/.build.XXXXXX")"
    if ! go build -o "$tmp/protoc" ./internal/tools/protoc; then
      rm -rf "$tmp"
      exit 1
    fi
    mv -f "$tmp/protoc" "$path"
    rmdir "$tmp"
  fi
  echo "$path"
}

echo "generate-go: protobuf"
if [ -n "${PROTOC:-}" ]; then
  read -r -a protoc <<<"$PROTOC"
else
  protoc=("$(protoc_command)")
fi
protobuf_version="$(go list -m -f '{{.Version}}' google.golang.org/protobuf)"
protoc_gen_go="$(tool protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go "$protobuf_version")"
rm -rf pkg/gen
mkdir -p pkg/gen
find "$root/contracts/proto" -name '*.proto' | sort | xargs "${protoc[@]}" \
  --plugin=protoc-gen-go="$protoc_gen_go" \
  -I "$root/contracts/proto" \
  --go_out=pkg/gen --go_opt=paths=source_relative
# protoc-gen-go records the protoc version in a header comment; drop that one line so the
# output does not depend on which protoc happens to be on PATH.
# One sed for all files (-i.orig, which GNU and BSD sed both accept, keeps copies to drop).
find pkg/gen -name '*.pb.go' -exec sed -i.orig -e '/^\/\/[[:space:]]*protoc[[:space:]]\{1,\}v/d' {} +
find pkg/gen -name '*.pb.go.orig' -exec rm -f {} +

echo "generate-go: openapi (oapi-codegen)"
rm -rf internal/api/gen
mkdir -p internal/api/gen
go tool oapi-codegen -config internal/api/oapi-codegen.yaml "$root/contracts/openapi/openapi.yaml"

echo "generate-go: sql (sqlc $SQLC_VERSION)"
# sqlc pulls in a large dependency tree (and cgo), so it is installed as a tool binary
# rather than added to go.mod.
sqlc="$(tool sqlc github.com/sqlc-dev/sqlc/cmd/sqlc "$SQLC_VERSION")"
rm -rf internal/persistence/sqlcgen
"$sqlc" generate -f sqlc.yaml
