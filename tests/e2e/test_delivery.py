"""Every generated GitHub workflow passes actionlint (pinned, run as a Go module) with no
finding, and go-api's Kubernetes manifests pass the offline strict validator
(tests/e2e/k8svalidate: decoding into the Kubernetes API types) that nextjs-go's pass
in test_nextjs_go_backend.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stackprint import blueprints
from stackprint.create import create, prepare_answers
from tests.e2e.support import run

pytestmark = pytest.mark.e2e

ACTIONLINT = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"
K8S_VALIDATOR = Path(__file__).resolve().parent / "k8svalidate"

VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "go-api": ("go-api", {}),
    "go-api-no-kubernetes": ("go-api", {"target_platform": "Linux server", "auth": True}),
    "nextjs-go": ("nextjs-go", {}),
}


def _render(variant: str, base: Path) -> Path:
    name, data = VARIANTS[variant]
    chosen = blueprints.load(name)
    answers = prepare_answers(chosen, data, dest=None, use_defaults=True, asker=None)
    dest = base / str(answers["project_name"])
    create(dest, chosen, answers, git=False, run_generators=False)
    return dest


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_workflow_passes_actionlint(variant: str, tmp_path: Path) -> None:
    project_dir = _render(variant, tmp_path)
    workflows = sorted((project_dir / ".github" / "workflows").glob("*.yml"))
    assert any(w.name == "ci.yml" for w in workflows), workflows
    # actionlint exits 1 on any finding and prints it; shellcheck is used when installed.
    out = run(["go", "run", ACTIONLINT, "-no-color", *map(str, workflows)], project_dir)
    assert out.stdout.strip() == "", out.stdout


@pytest.mark.parametrize("variant", ["go-api", "go-api-no-kubernetes"])
def test_go_api_manifests_pass_strict_decoding(variant: str, tmp_path: Path) -> None:
    manifests = _render(variant, tmp_path) / "k8s"
    if variant == "go-api-no-kubernetes":
        assert not manifests.exists()
        return
    out = run(
        ["go", "test", "-count=1", "-v", "./..."],
        K8S_VALIDATOR,
        env={"MANIFESTS": str(manifests)},
    ).stdout
    assert "--- PASS: TestManifests" in out, out
