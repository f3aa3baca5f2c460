"""The bundled blueprints: every question grouped, every rendered file committed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from stackprint import blueprints
from stackprint.create import create, prepare_answers

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ["go-api", "nextjs-go"]


def test_both_blueprints_are_bundled() -> None:
    assert blueprints.available() == BUNDLED


@pytest.mark.parametrize("name", BUNDLED)
def test_every_asked_question_is_in_exactly_one_group(name: str) -> None:
    blueprint = blueprints.load(name)
    asked = [q.name for q in blueprint.questions if not q.computed]
    grouped = [n for names in blueprint.groups.values() for n in names]
    assert sorted(grouped) == sorted(asked)
    assert list(blueprint.groups)[:3] == ["Project", "Technical Context", "First feature"]


def test_no_blueprint_file_is_hidden_from_git() -> None:
    # A template's own .gitignore must never hide template files from this repository.
    out = subprocess.run(
        ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--", "blueprints"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    leftovers = [
        line for line in out.splitlines() if "/node_modules/" not in line and "/.next/" not in line
    ]
    assert leftovers == []


@pytest.mark.parametrize("name", BUNDLED)
def test_every_rendered_file_is_in_the_first_commit(name: str, tmp_path: Path) -> None:
    blueprint = blueprints.load(name)
    dest = tmp_path / "proj"
    answers = prepare_answers(blueprint, {}, dest=dest, use_defaults=True, asker=None)
    create(dest, blueprint, answers, run_generators=False)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--ignored"],
        cwd=dest,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status == ""
    assert (dest / ".env.example").is_file()


@pytest.mark.parametrize("name", BUNDLED)
def test_every_next_step_renders_with_its_hint(name: str) -> None:
    # An unquoted ` #` in copier.yml starts a YAML comment, which silently drops the hint.
    blueprint = blueprints.load(name)
    answers = prepare_answers(blueprint, {}, dest=None, use_defaults=True, asker=None)
    steps = blueprint.render_next_steps(blueprint.context(answers))
    assert steps
    for step in steps:
        command, sep, hint = step.partition("  # ")
        assert sep and command.strip() and hint.strip(), (
            f"{name}: next step without a hint: {step!r}"
        )
