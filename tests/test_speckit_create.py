"""Spec documents of projects rendered from the real blueprints by `create` (no generators)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stackprint import blueprints
from stackprint.create import create, prepare_answers
from stackprint.speckit import check, layout, scan
from stackprint.speckit.placeholders import placeholders

_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.fixture(scope="module", params=["go-api", "nextjs-go"])
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = blueprints.load(request.param)
    answers = prepare_answers(chosen, {}, dest=None, use_defaults=True, asker=None)
    dest = tmp_path_factory.mktemp(request.param) / "demo"
    create(dest, chosen, answers, git=False, run_generators=False)
    return dest


def _docs(project: Path) -> list[Path]:
    return [project / layout.CONSTITUTION, *sorted((project / "specs").rglob("*.md"))]


def test_fresh_project_checks_clean(project: Path) -> None:
    assert check(project) == []


def test_documents_have_no_placeholder_and_carry_the_answers(project: Path) -> None:
    answers = (project / ".copier-answers.yml").read_text()
    plan = next((project / "specs").glob("001-*/plan.md")).read_text()
    for doc in _docs(project):
        assert placeholders(doc.read_text()) == [], doc
    for key in ("performance_goals", "constraints", "scale_scope", "target_platform"):
        value = next(line for line in answers.splitlines() if line.startswith(f"{key}:")).split(
            ": ", 1
        )[1]
        assert value.strip("'\"") in plan, key


def test_every_relative_link_resolves(project: Path) -> None:
    for doc in _docs(project):
        for target in _LINK.findall(doc.read_text()):
            if "://" in target or target.startswith("#"):
                continue
            assert (doc.parent / target.split("#")[0]).exists(), f"{doc}: {target}"


def test_quickstart_make_commands_exist_in_the_makefile(project: Path) -> None:
    targets = {t.name for t in scan.make_targets(project)}
    quickstart = next((project / "specs").glob("001-*/quickstart.md")).read_text()
    for goal in re.findall(r"^make ([\w-]+)", quickstart, flags=re.MULTILINE):
        assert goal in targets


def test_plan_tree_lists_the_rendered_files(project: Path) -> None:
    plan = next((project / "specs").glob("001-*/plan.md")).read_text()
    for path in scan.files(project):
        assert path.name in plan, path
