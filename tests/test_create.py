"""`create` writes a whole project or nothing, records its answers, and commits it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from stackprint import __version__, blueprints
from stackprint.create import create, prepare_answers
from stackprint.errors import (
    DestinationError,
    GeneratorError,
    StackprintError,
    UnsafeBlueprintError,
)
from tests.conftest import SMALL_COPIER_YML, MakeBlueprint


def _make(make_blueprint: MakeBlueprint, tmp_path: Path, extra_yml: str = "", **answers: str):
    root = make_blueprint(
        copier_yml=SMALL_COPIER_YML.replace("_stackprint:\n", "_stackprint:\n" + extra_yml)
    )
    blueprint = blueprints.load(str(root))
    dest = tmp_path / "out" / "demo"
    return (
        blueprint,
        dest,
        prepare_answers(blueprint, answers, dest=dest, use_defaults=True, asker=None),
    )


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir()) if parent.exists() else []


def test_new_project_is_rendered_recorded_and_committed(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    blueprint, dest, answers = _make(make_blueprint, tmp_path, flavour="chocolate")
    result = create(dest, blueprint, answers)

    assert (dest / "demo.txt").read_text() == "hello demo (chocolate)\n"
    recorded = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert recorded["_src_path"] == str(blueprint.path)
    assert recorded["_stackprint_version"] == __version__
    assert recorded["flavour"] == "chocolate"
    assert "loud_greeting" not in recorded
    assert result.files == [".copier-answers.yml", "demo.txt"]
    assert result.next_steps == ["cat demo.txt"]
    log = subprocess.run(
        ["git", "log", "--format=%s"], cwd=dest, capture_output=True, text=True, check=True
    )
    assert log.stdout.strip() == f"Generate demo from stackprint blueprint {blueprint.name}"
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=dest, capture_output=True, text=True, check=True
    )
    assert status.stdout == ""
    assert result.commit is not None
    assert _leftovers(dest.parent) == ["demo"]  # no staging directory left


def test_no_git_leaves_a_plain_directory(make_blueprint: MakeBlueprint, tmp_path: Path) -> None:
    blueprint, dest, answers = _make(make_blueprint, tmp_path)
    result = create(dest, blueprint, answers, git=False)
    assert not (dest / ".git").exists()
    assert result.commit is None


def test_pretend_lists_files_and_writes_nothing(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    blueprint, dest, answers = _make(make_blueprint, tmp_path)
    result = create(dest, blueprint, answers, pretend=True)
    assert result.files == [".copier-answers.yml", "demo.txt"]
    assert not dest.parent.exists()  # not even the missing parent is created


def test_empty_destination_is_used_and_non_empty_refused(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    blueprint, dest, answers = _make(make_blueprint, tmp_path)
    dest.mkdir(parents=True)
    create(dest, blueprint, answers)
    assert (dest / "demo.txt").is_file()
    before = sorted(p.name for p in dest.iterdir())
    with pytest.raises(DestinationError, match="exists and is not empty"):
        create(dest, blueprint, answers)
    assert sorted(p.name for p in dest.iterdir()) == before


def test_symlink_destination_is_refused(make_blueprint: MakeBlueprint, tmp_path: Path) -> None:
    blueprint, dest, answers = _make(make_blueprint, tmp_path)
    real = tmp_path / "real"
    real.mkdir()
    dest.parent.mkdir(parents=True)
    dest.symlink_to(real)
    with pytest.raises(DestinationError, match="symbolic link"):
        create(dest, blueprint, answers)
    assert list(real.iterdir()) == []


def test_failing_generator_leaves_nothing_behind(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    step = "  generators:\n    - name: always fails\n      run: [sh, -c, 'echo boom >&2; exit 7']\n"
    blueprint, dest, answers = _make(make_blueprint, tmp_path, step)
    with pytest.raises(GeneratorError, match="exit code 7") as info:
        create(dest, blueprint, answers, trust=True)
    assert info.value.hint == "boom"
    assert not (tmp_path / "out").exists()  # the parent it created is gone too


def test_generator_runs_in_the_project_on_the_users_own_path(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    # A project must generate with what its own `make generate` finds, so stackprint
    # puts nothing of its own (such as a private protoc) in front of the user's PATH.
    step = "  generators:\n    - name: record PATH\n      run: [sh, -c, 'printf %s \"$PATH\" > path.txt']\n"
    blueprint, dest, answers = _make(make_blueprint, tmp_path, step)
    result = create(dest, blueprint, answers, trust=True)
    assert result.generators.ran == ["record PATH"]
    assert (dest / "path.txt").read_text() == os.environ["PATH"]


def test_generator_with_a_missing_tool_is_skipped_and_reported(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    step = "  generators:\n    - name: needs a tool\n      requires: [no-such-tool-xyz]\n      run: [no-such-tool-xyz]\n"
    blueprint, dest, answers = _make(make_blueprint, tmp_path, step)
    result = create(dest, blueprint, answers, trust=True)
    assert result.generators.skipped == {"needs a tool": ["no-such-tool-xyz"]}
    assert (dest / "demo.txt").is_file()


def test_interrupt_while_rendering_leaves_nothing(
    make_blueprint: MakeBlueprint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stackprint import render

    blueprint, dest, answers = _make(make_blueprint, tmp_path)
    real_render = render.render

    def render_then_interrupt(*args: object, **kwargs: object) -> None:
        real_render(*args, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "render", render_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        create(dest, blueprint, answers)
    assert not (tmp_path / "out").exists()


def test_project_name_defaults_to_the_destination_name(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    _, dest, answers = _make(make_blueprint, tmp_path)
    assert answers["project_name"] == "demo"
    assert os.fspath(dest).endswith("demo")


def test_untrusted_blueprint_with_generator_steps_is_refused(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    step = "  generators:\n    - name: writes a file\n      run: [touch, pwned]\n"
    blueprint, dest, answers = _make(make_blueprint, tmp_path, step)
    with pytest.raises(
        UnsafeBlueprintError, match=r"runs commands \(writes a file\); refusing without --trust"
    ):
        create(dest, blueprint, answers)
    assert not (tmp_path / "out").exists()
    result = create(dest, blueprint, answers, run_generators=False)  # rendering alone is safe
    assert not (dest / "pwned").exists()
    assert result.generators.skipped == {"writes a file": []}


def test_untrusted_blueprint_with_copier_tasks_is_refused(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    root = make_blueprint(copier_yml=SMALL_COPIER_YML + "_tasks:\n  - touch pwned\n")
    blueprint = blueprints.load(str(root))
    dest = tmp_path / "out" / "demo"
    answers = prepare_answers(blueprint, {}, dest=dest, use_defaults=True, asker=None)
    with pytest.raises(StackprintError, match=r"runs code .*refusing without --trust"):
        create(dest, blueprint, answers)
    assert not (tmp_path / "out").exists()
    create(dest, blueprint, answers, trust=True)
    assert (dest / "pwned").exists()


def test_answers_cannot_write_outside_the_destination(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    root = make_blueprint(files={"{{ greeting }}.txt.jinja": "x\n"})
    blueprint = blueprints.load(str(root))
    dest = tmp_path / "out" / "demo"
    for evil in ("../escape", "../../escape", "/tmp/escape-abs"):
        answers = prepare_answers(
            blueprint, {"greeting": evil}, dest=dest, use_defaults=True, asker=None
        )
        with pytest.raises(StackprintError):
            create(dest, blueprint, answers)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blueprints"]
    assert not Path("/tmp/escape-abs.txt").exists()
