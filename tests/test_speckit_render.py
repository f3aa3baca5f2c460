"""The documents `new` writes: constitution, plan override and specs/001-*."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackprint import blueprints, speckit
from stackprint.answers import context_of
from stackprint.speckit import layout
from stackprint.speckit.placeholders import placeholders
from tests.speckit_support import CREATED, answers_for, feature_dir, make_project

BLUEPRINTS = ["go-api", "nextjs-go"]
FEATURE_FILES = [
    "spec.md",
    "plan.md",
    "research.md",
    "data-model.md",
    "quickstart.md",
    "contracts/README.md",
    "tasks.md",
]


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_every_document_is_written_without_placeholders(tmp_path: Path, blueprint: str) -> None:
    project = make_project(tmp_path, blueprint, git=False)
    feature = feature_dir(project)
    assert feature.name == f"001-{answers_for(blueprint)['feature_name']}"
    for rel in FEATURE_FILES:
        text = (feature / rel).read_text()
        assert placeholders(text) == [], rel
        assert "NEEDS CLARIFICATION" not in text, rel
        assert not any(line != line.rstrip() for line in text.splitlines()), (
            f"trailing space in {rel}"
        )
        assert "\n\n\n" not in text, rel
    constitution = (project / layout.CONSTITUTION).read_text()
    assert placeholders(constitution) == []
    assert f"**Ratified**: {CREATED}" in constitution
    assert "**Version**: 1.0.0" in constitution
    assert (
        (project / layout.FEATURE_JSON).read_text().strip().endswith(f'"specs/{feature.name}"\n}}')
    )


@pytest.mark.parametrize(
    ("blueprint", "principles"),
    [
        (
            "nextjs-go",
            [
                "### I. Next.js App Router Discipline",
                "### II. Go Backend Reliability",
                "### III. Shared Contracts & Type Safety",
                "### IV. Observability & Security Assurance",
                "### V. Continuous Delivery Excellence",
            ],
        ),
        (
            "go-api",
            ["### VIII. Public Services Package", "### IX. Every Error Is Tested (NON-NEGOTIABLE)"],
        ),
    ],
)
def test_constitution_names_the_seeds_principles(
    tmp_path: Path, blueprint: str, principles: list[str]
) -> None:
    constitution = (make_project(tmp_path, blueprint, git=False) / layout.CONSTITUTION).read_text()
    for heading in principles:
        assert heading in constitution


def test_go_api_constitution_makes_the_mandatory_choices_principles(tmp_path: Path) -> None:
    text = (make_project(tmp_path, "go-api", git=False) / layout.CONSTITUTION).read_text()
    for choice in [
        "http.ServeMux",
        "GORM",
        "OpenTracing",
        "protoc-gen-go",
        "testcontainers-go",
        "protocmp",
        "%w",
        "context.Context",
        "`services/`",
    ]:
        assert choice in text, choice


def test_plan_carries_the_answers(tmp_path: Path) -> None:
    data = {
        "resources": [{"name": "invoice", "fields": ["code:string", "total:float", "paid:bool"]}],
        "performance_goals": "50 req/s",
    }
    project = make_project(tmp_path, "go-api", data, git=False)
    feature = feature_dir(project)
    assert feature.name == "001-invoices-api"
    plan = (feature / "plan.md").read_text()
    assert (
        "**Branch**: `001-invoices-api` | **Date**: 2025-03-04 | **Spec**: [spec.md](./spec.md)"
        in plan
    )
    assert "**Performance Goals**: 50 req/s" in plan
    assert "**Target Platform**: Linux server, containerized deployment, Kubernetes" in plan
    assert "Principle IX (Every Error Is Tested): PASS." in plan
    model = (feature / "data-model.md").read_text()
    for field in (
        "`code`",
        "`total`",
        "`paid`",
        "`id`",
        "`created_at`",
        "`updated_at`",
        "double precision",
    ):
        assert field in model
    assert (
        "Create, read, update, delete and list invoices over HTTP"
        in (feature / "spec.md").read_text()
    )


def test_project_structure_is_the_real_tree(tmp_path: Path) -> None:
    plan = (feature_dir(make_project(tmp_path, "go-api", git=False)) / "plan.md").read_text()
    tree = plan.split("### Source Code (repository root)")[1].split("```text\n")[1].split("```")[0]
    assert tree.startswith("my-api/\n")
    assert "product_handler.go" in tree and "main.go" in tree
    assert "services/" in tree and "# PUBLIC - reusable business logic" in tree
    for skipped in ("node_modules", "bin/", ".git/", "specs/", ".specify/"):
        assert skipped not in tree


def test_open_answers_are_the_only_clarifications(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, "go-api", {"scale_scope": "NEEDS CLARIFICATION", "constraints": ""}, git=False
    )
    plan = (feature_dir(project) / "plan.md").read_text()
    assert "**Scale/Scope**: NEEDS CLARIFICATION" in plan
    assert "**Constraints**: NEEDS CLARIFICATION" in plan
    assert plan.count("NEEDS CLARIFICATION") == 2
    assert "**Performance Goals**: 1000 req/s, p99 < 200ms" in plan


def test_quickstart_lists_only_real_make_targets(tmp_path: Path) -> None:
    quickstart = (
        feature_dir(make_project(tmp_path, "go-api", git=False)) / "quickstart.md"
    ).read_text()
    assert "| `make generate` | Generate code from the contracts |" in quickstart
    assert "| `make test` | Run the tests |" in quickstart
    assert "make test" in quickstart.split("## Run it")[1]
    assert "[Makefile](../../Makefile)" in quickstart


def test_nextjs_quickstart_drops_a_step_whose_target_is_missing(tmp_path: Path) -> None:
    quickstart = (
        feature_dir(make_project(tmp_path, "nextjs-go", git=False)) / "quickstart.md"
    ).read_text()
    run = quickstart.split("## Run it")[1].split("##")[0]
    assert "make test" in run
    assert "make dev" not in run  # the stand-in Makefile has no dev target


def test_contracts_link_the_generated_files_and_routes(tmp_path: Path) -> None:
    go = (
        feature_dir(make_project(tmp_path / "a", "go-api", git=False)) / "contracts/README.md"
    ).read_text()
    assert "[api/v1/product.proto](../../../api/v1/product.proto)" in go
    assert "| GET | `/v1/products/{id}` |" in go
    web = (
        feature_dir(make_project(tmp_path / "b", "nextjs-go", git=False)) / "contracts/README.md"
    ).read_text()
    assert "[contracts/openapi/openapi.yaml](../../../contracts/openapi/openapi.yaml)" in web
    assert "| POST | `/products` | Create a product |" in web


def test_tasks_use_spec_kit_form_with_real_paths(tmp_path: Path) -> None:
    tasks = (feature_dir(make_project(tmp_path, "go-api", git=False)) / "tasks.md").read_text()
    assert "- [X] T001 Go module with pinned dependencies in `go.mod`" in tasks
    assert "[P]" in tasks and "[US1]" in tasks
    assert "`handlers/product_handler.go`" in tasks


def test_nextjs_styling_answer_reaches_the_technical_context(tmp_path: Path) -> None:
    project = make_project(tmp_path, "nextjs-go", {"styling": "css-modules"}, git=False)
    plan = (feature_dir(project) / "plan.md").read_text()
    assert "CSS Modules" in plan and "Tailwind" not in plan


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_plan_override_is_the_seed_with_its_context_filled(tmp_path: Path, blueprint: str) -> None:
    override = (make_project(tmp_path, blueprint, git=False) / layout.PLAN_OVERRIDE).read_text()
    assert override.startswith(
        "# Implementation Plan: [FEATURE]"
    )  # spec-kit fills these per feature
    assert "**Target Platform**: " in override
    assert "[e.g., Linux server" not in override
    assert "## Constitution Check" in override and "Principle I (" in override


def test_rendering_again_gives_the_same_bytes(tmp_path: Path) -> None:
    project = make_project(tmp_path, "go-api", git=False)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    chosen = blueprints.load("go-api")
    context = context_of(chosen.questions, answers_for("go-api"))
    speckit.render_initial(project, chosen, context, created=CREATED)
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_blueprint_without_speckit_data_gets_no_documents(tmp_path: Path) -> None:
    root = tmp_path / "bp"
    (root / "template").mkdir(parents=True)
    (root / "copier.yml").write_text("project_name: demo\n")
    chosen = blueprints.load(str(root))
    assert (
        speckit.render_initial(tmp_path / "out", chosen, {"project_name": "demo"}, created=CREATED)
        == []
    )
