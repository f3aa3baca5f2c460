#!/usr/bin/env bash
# Infrastructure checks that need no cluster and no network: the Kubernetes manifests are
# decoded strictly against the Kubernetes API types (infrastructure/k8s/validate_test.go),
# and the Terraform module is format-checked when terraform is installed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

(cd "$root/infrastructure/k8s" && go test ./...)
if command -v terraform >/dev/null 2>&1; then
  terraform fmt -check -recursive "$root/infrastructure/terraform"
else
  echo "terraform not installed: skipping terraform fmt -check"
fi
