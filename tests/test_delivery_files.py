"""What the blueprints ship for running and delivering a project: the local services in
compose.yaml agree with .env.example, the CI workflow sits where the forge runs it and
pushes images tagged by commit, go-api has a non-root image and Kubernetes manifests
exactly when its Target Platform names Kubernetes, and the parts both blueprints share
are the same file in each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from stackprint import blueprints
from stackprint.create import create, prepare_answers

ROOT = Path(__file__).resolve().parents[1]


def _render(dest: Path, blueprint: str, data: dict[str, Any] | None = None) -> Path:
    chosen = blueprints.load(blueprint)
    answers = prepare_answers(chosen, data or {}, dest=None, use_defaults=True, asker=None)
    project = dest / str(answers["project_name"])
    create(project, chosen, answers, git=False, run_generators=False)
    return project


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("delivery")
    return {
        "go-api": _render(base / "go-api", "go-api"),
        "go-api-plain": _render(
            base / "go-api-plain", "go-api", {"target_platform": "Linux server", "auth": True}
        ),
        "nextjs-go": _render(base / "nextjs-go", "nextjs-go"),
    }


def _env_example(project: Path) -> dict[str, str]:
    pairs = {}
    for line in (project / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            pairs[key] = value
    return pairs


def _published(service: dict[str, Any]) -> set[int]:
    return {int(str(port).rsplit(":", 2)[-2]) for port in service["ports"]}


@pytest.mark.parametrize("name", ["go-api", "nextjs-go"])
def test_compose_starts_the_servers_env_example_points_at(
    projects: dict[str, Path], name: str
) -> None:
    project = projects[name]
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    env = _env_example(project)

    database = urlsplit(env["DATABASE_URL"])
    postgres = compose["services"]["postgres"]
    assert database.hostname in ("127.0.0.1", "localhost")
    assert database.port in _published(postgres)
    assert postgres["environment"] == {
        "POSTGRES_USER": database.username,
        "POSTGRES_PASSWORD": database.password,
        "POSTGRES_DB": database.path.lstrip("/"),
    }
    if name == "nextjs-go":
        redis = urlsplit(env["REDIS_URL"])
        assert redis.port in _published(compose["services"]["redis"])
    else:
        assert set(compose["services"]) == {"postgres"}


@pytest.mark.parametrize("name", ["go-api", "go-api-plain", "nextjs-go"])
def test_ci_workflow_is_where_the_forge_runs_it_and_pushes_images_by_commit(
    projects: dict[str, Path], name: str
) -> None:
    project = projects[name]
    text = (project / ".github" / "workflows" / "ci.yml").read_text()
    workflow = yaml.safe_load(text)
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    pushes = [s for s in steps if str(s.get("uses", "")).startswith("docker/build-push-action")]
    assert pushes, "no image is built"
    for step in pushes:
        assert step["with"]["push"] is True
        assert str(step["with"]["tags"]).endswith(":${{ github.sha }}")
    assert ":latest" not in text.replace("ubuntu-latest", "")
    runs = "\n".join(str(s.get("run", "")) for s in steps)
    if name == "nextjs-go":
        assert "npx playwright install --with-deps chromium" in runs
        assert "scripts/ci/backend.sh" in runs and "scripts/ci/frontend.sh" in runs
    else:
        for target in ("make generate", "make lint", "make tidy", "make build", "make test"):
            assert target in runs
    kubernetes = name != "go-api-plain"
    assert ("kubeconform" in text) is kubernetes
    assert ("kustomize edit set image" in runs) is kubernetes
    assert not (project / "infrastructure" / "pipelines").exists()


def test_go_api_image_is_multi_stage_and_non_root(projects: dict[str, Path]) -> None:
    dockerfile = (projects["go-api"] / "Dockerfile").read_text()
    stages = [line for line in dockerfile.splitlines() if line.startswith("FROM ")]
    assert len(stages) == 2 and "distroless" in stages[-1]
    assert "USER 65532:65532" in dockerfile
    assert "CGO_ENABLED=0" in dockerfile


def test_go_api_has_manifests_exactly_when_the_platform_names_kubernetes(
    projects: dict[str, Path],
) -> None:
    manifests = projects["go-api"] / "k8s"
    kustomization = yaml.safe_load((manifests / "kustomization.yaml").read_text())
    assert kustomization["namespace"] == "my-api"
    assert sorted(kustomization["resources"]) == ["api.yaml", "ingress.yaml", "namespace.yaml"]
    assert [image["name"] for image in kustomization["images"]] == ["my-api"]
    assert not (projects["go-api-plain"] / "k8s").exists()


def test_nextjs_go_namespace_has_one_owner(projects: dict[str, Path]) -> None:
    manifests = projects["nextjs-go"] / "infrastructure" / "k8s"
    kustomization = yaml.safe_load((manifests / "kustomization.yaml").read_text())
    # Terraform creates the namespace (and the Secret in it); kustomize only places objects.
    assert (
        "kubernetes_namespace_v1"
        in (projects["nextjs-go"] / "infrastructure" / "terraform" / "main.tf").read_text()
    )
    for file in kustomization["resources"]:
        for doc in yaml.safe_load_all((manifests / file).read_text()):
            assert doc["kind"] != "Namespace", file
    assert kustomization["namespace"] == "my-app"
    ingress = yaml.safe_load((manifests / "ingress.yaml").read_text())
    assert ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"]


@pytest.mark.parametrize(
    ("shared", "go_api", "nextjs_go"),
    [
        (
            "go/testdb/embedded.go",
            "internal/testdb/embedded.go",
            "backend/internal/testdb/embedded.go",
        ),
        (
            "go/tools/protoc/main.go",
            "internal/tools/protoc/main.go",
            "backend/internal/tools/protoc/main.go",
        ),
    ],
)
def test_shared_go_files_are_written_once_for_both_blueprints(
    projects: dict[str, Path], shared: str, go_api: str, nextjs_go: str
) -> None:
    """Kept in blueprints/_shared/ and written as they are by each blueprint's template."""
    source = (ROOT / "blueprints" / "_shared" / shared).read_bytes()
    assert (projects["go-api"] / go_api).read_bytes() == source
    assert (projects["nextjs-go"] / nextjs_go).read_bytes() == source
    for blueprint, path in (("go-api", go_api), ("nextjs-go", nextjs_go)):
        assert not (ROOT / "blueprints" / blueprint / "template" / path).exists()  # no copy
