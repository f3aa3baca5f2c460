#!/usr/bin/env bash
# Infrastructure checks that need no cluster: the Kubernetes manifests against the API
# schemas (kubeconform, strict) and the Terraform module's formatting. A check whose tool
# is not installed is skipped and named in $TEST_SKIP_REPORT (`make test` lists it); CI
# installs both, so there nothing is skipped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KUBECONFORM_VERSION="v0.7.0"

skip() {
  if [ -n "${CI:-}" ]; then
    echo "$1; failing because CI is set" >&2
    exit 1
  fi
  echo "skipped: $1" >&2
  if [ -n "${TEST_SKIP_REPORT:-}" ]; then echo "$1" >>"$TEST_SKIP_REPORT"; fi
}

if command -v kubeconform >/dev/null 2>&1; then
  kubeconform -strict -summary -ignore-filename-pattern 'kustomization\.yaml' "$root/infrastructure/k8s"
else
  skip "Kubernetes manifests not validated: kubeconform is not on PATH (go install github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION; CI runs it)"
fi
if command -v terraform >/dev/null 2>&1; then
  terraform fmt -check -recursive "$root/infrastructure/terraform"
else
  skip "Terraform not format-checked: terraform is not on PATH (CI runs terraform fmt -check)"
fi
