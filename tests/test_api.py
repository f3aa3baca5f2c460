"""The library API on its own: results back, typed errors raised, nothing printed."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

import stackprint
from stackprint import toolcheck
from stackprint.blueprints import Blueprint
from stackprint.errors import (
    AnswersFileError,
    BlueprintNotFoundError,
    CancelledError,
    ConflictError,
    DestinationError,
    InvalidAnswerError,
    MissingAnswerError,
    NotAProjectError,
    RefusedError,
    UsageError,
)
from stackprint.speckit.check import CLARIFICATION
from stackprint.updater import UpdateResult
from tests.conftest import MakeBlueprint
from tests.speckit_support import feature_dir, make_project


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


def commit(cwd: Path) -> None:
    git(cwd, "add", "--all")
    git(cwd, "-c", "user.name=u", "-c", "user.email=u@x", "commit", "-qm", "user edit")


class ScriptedPrompter:
    """A prompter that answers from a dict and records what it was asked."""

    def __init__(self, answers: Mapping[str, Any], *, go_ahead: bool = True) -> None:
        self.blueprint: Blueprint | None = None
        self.answers = dict(answers)
        self.go_ahead = go_ahead
        self.asked: list[str] = []
        self.summary: list[tuple[str, Any]] = []

    def __call__(self, question: Any, default: Any, answers: Mapping[str, Any]) -> Any:
        self.asked.append(question.name)
        return self.answers.get(question.name, default)

    def choose_blueprint(self, options: Sequence[tuple[str, str]]) -> str:
        raise AssertionError("the blueprint was given")

    def confirm(self, summary: Sequence[tuple[str, Any]]) -> bool:
        self.summary = list(summary)
        return self.go_ahead


def test_new_returns_the_result_and_prints_nothing(
    make_blueprint: MakeBlueprint, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    root = make_blueprint()
    result = stackprint.new(
        tmp_path / "proj", blueprint=root, data={"flavour": "chocolate"}, defaults=True
    )
    assert result.path == tmp_path / "proj"
    assert result.answers["flavour"] == "chocolate"
    assert result.answers["project_name"] == "proj"  # from the destination's name
    assert "proj.txt" in result.files
    assert result.commit == git(result.path, "rev-parse", "HEAD")
    report = result.as_json()
    assert report["files"]["added"] == result.files
    assert report["next_steps"][0] == f"cd {result.path}"
    assert capfd.readouterr() == ("", "")


def test_new_pretend_and_no_git(make_blueprint: MakeBlueprint, tmp_path: Path) -> None:
    root = make_blueprint()
    dry = stackprint.new(tmp_path / "dry", blueprint=root, defaults=True, pretend=True)
    assert dry.pretend and "dry.txt" in dry.files
    assert not (tmp_path / "dry").exists()
    plain = stackprint.new(tmp_path / "plain", blueprint=root, defaults=True, git=False)
    assert plain.commit is None and not (plain.path / ".git").exists()


def test_new_reads_an_answers_file_which_data_overrides(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("flavour: chocolate\ngreeting: hi\n")
    result = stackprint.new(
        tmp_path / "proj",
        blueprint=make_blueprint(),
        answers_file=answers,
        data={"greeting": "hey"},
        defaults=True,
    )
    assert (result.answers["flavour"], result.answers["greeting"]) == ("chocolate", "hey")


def test_new_asks_the_prompter_and_stops_when_it_declines(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    root = make_blueprint()
    prompter = ScriptedPrompter({"greeting": "asked"}, go_ahead=False)
    with pytest.raises(CancelledError):
        stackprint.new(tmp_path / "proj", blueprint=root, prompter=prompter)
    assert prompter.blueprint is not None and prompter.blueprint.path == root
    assert prompter.asked == ["project_name", "greeting", "flavour", "shout"]
    assert ("greeting", "asked") in prompter.summary
    assert not (tmp_path / "proj").exists()

    accepted = ScriptedPrompter({"greeting": "asked"})
    result = stackprint.new(tmp_path / "proj", blueprint=root, prompter=accepted)
    assert result.answers["greeting"] == "asked"
    skipped = ScriptedPrompter({})
    stackprint.new(tmp_path / "other", blueprint=root, prompter=skipped, confirm=False)
    assert skipped.summary == []


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({}, UsageError),  # no blueprint, no defaults, nobody to ask
        ({"blueprint": "no-such-blueprint"}, BlueprintNotFoundError),
        ({"blueprint": "ROOT"}, MissingAnswerError),  # no defaults and no prompter
        ({"blueprint": "ROOT", "defaults": True, "data": {"flavour": "mint"}}, InvalidAnswerError),
        ({"blueprint": "ROOT", "defaults": True, "data": {"colour": "red"}}, UsageError),
        ({"blueprint": "ROOT", "answers_file": "missing.yml"}, AnswersFileError),
    ],
)
def test_new_raises_typed_errors_and_writes_nothing(
    make_blueprint: MakeBlueprint,
    tmp_path: Path,
    kwargs: dict[str, Any],
    error: type[Exception],
) -> None:
    root = make_blueprint()
    if kwargs.get("blueprint") == "ROOT":
        kwargs["blueprint"] = root
    if "answers_file" in kwargs:
        kwargs["answers_file"] = tmp_path / kwargs["answers_file"]
    with pytest.raises(error):
        stackprint.new(tmp_path / "proj", **kwargs)
    assert not (tmp_path / "proj").exists()


def test_new_refuses_a_destination_that_is_not_empty(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file").write_text("mine\n")
    with pytest.raises(DestinationError):
        stackprint.new(tmp_path / "taken", blueprint=make_blueprint(), defaults=True)


def _project(make_blueprint: MakeBlueprint, tmp_path: Path) -> tuple[Path, Path]:
    root = make_blueprint(files={"body.txt": "a\nb\nc\n"})
    project = stackprint.new(tmp_path / "proj", blueprint=root, defaults=True).path
    return root, project


def test_update_merges_and_reports(make_blueprint: MakeBlueprint, tmp_path: Path) -> None:
    root, project = _project(make_blueprint, tmp_path)
    assert stackprint.update(project).up_to_date
    (root / "template" / "body.txt").write_text("a\nb\nc\nd\n")
    (root / "template" / "new.txt").write_text("new\n")
    preview = stackprint.update(project, pretend=True)
    assert preview.pretend and preview.files("changed") == ["body.txt"]
    assert (project / "body.txt").read_text() == "a\nb\nc\n"
    result = stackprint.update(project)
    assert result.files("added") == ["new.txt"]
    assert (project / "body.txt").read_text() == "a\nb\nc\nd\n"
    report = result.as_json()
    assert report["files"] == {"added": ["new.txt"], "changed": ["body.txt"], "removed": []}
    assert report["conflicts"] == [] and report["up_to_date"] is False


def test_update_conflict_raises_with_the_paths_and_the_result(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    root, project = _project(make_blueprint, tmp_path)
    (project / "body.txt").write_text("a\nmine\nc\n")
    commit(project)
    (root / "template" / "body.txt").write_text("a\ntheirs\nc\n")
    preview = stackprint.update(project, pretend=True)  # a dry run only lists them
    assert preview.conflicts == ["body.txt"]
    with pytest.raises(ConflictError) as raised:
        stackprint.update(project)
    assert raised.value.paths == ["body.txt"]
    assert isinstance(raised.value.result, UpdateResult)
    assert raised.value.result.as_json()["conflicts"] == ["body.txt"]


def test_update_on_a_branch_leaves_the_current_branch_and_tree_alone(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    root, project = _project(make_blueprint, tmp_path)
    (project / "body.txt").write_text("a\nmine\nc\n")
    commit(project)
    head = git(project, "rev-parse", "HEAD")
    (root / "template" / "body.txt").write_text("a\ntheirs\nc\n")
    (root / "template" / "new.txt").write_text("new\n")

    with pytest.raises(ConflictError) as raised:
        stackprint.update(project, branch="stackprint/update")
    result = raised.value.result
    assert isinstance(result, UpdateResult) and result.branch == "stackprint/update"
    assert (git(project, "rev-parse", "HEAD"), git(project, "branch", "--show-current")) == (
        head,
        "main",
    )
    assert git(project, "status", "--porcelain") == ""
    assert not (project / "new.txt").exists()
    # The branch holds the merge, the conflict committed with its markers.
    assert git(project, "rev-parse", "stackprint/update") == result.merge_commit
    assert git(project, "rev-parse", "stackprint/update^1") == head
    body = git(project, "show", "stackprint/update:body.txt")
    assert "<<<<<<< " in body and "mine" in body and "theirs" in body
    assert git(project, "show", "stackprint/update:new.txt") == "new"
    assert "body.txt" in git(project, "log", "-1", "--format=%B", "stackprint/update")

    with pytest.raises(RefusedError, match="already exists"):
        stackprint.update(project, branch="stackprint/update")
    with pytest.raises(UsageError, match="not a valid"):
        stackprint.update(project, branch="bad..name")
    with pytest.raises(UsageError):
        stackprint.update(project, branch="x", pretend=True)


def test_update_on_a_branch_without_conflicts_is_a_merge_commit(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    root, project = _project(make_blueprint, tmp_path)
    (project / "mine.txt").write_text("user file\n")
    commit(project)
    (root / "template" / "body.txt").write_text("a\nb\nc\nd\n")
    result = stackprint.update(project, branch="up")
    assert result.conflicts == [] and result.branch == "up"
    assert git(project, "show", "up:body.txt") == "a\nb\nc\nd"
    assert git(project, "show", "up:mine.txt") == "user file"
    assert (project / "body.txt").read_text() == "a\nb\nc\n"  # the work tree is untouched
    assert result.as_json()["next_steps"][0] == "git push --follow-tags -u origin up"


def test_update_from_another_copy_of_the_blueprint_records_it(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    root, project = _project(make_blueprint, tmp_path)
    newer = make_blueprint(files={"body.txt": "a\nb\nc\nnewer\n"}, name="tiny-newer")
    result = stackprint.update(project, blueprint=newer)
    assert result.as_json()["versions"]["to_source"] == str(newer)
    assert result.from_source == str(root)
    assert (project / "body.txt").read_text() == "a\nb\nc\nnewer\n"
    assert f"_src_path: {newer}" in (project / ".copier-answers.yml").read_text()
    assert stackprint.update(project).up_to_date  # the recorded source is the newer copy


def test_update_refusals_are_typed(make_blueprint: MakeBlueprint, tmp_path: Path) -> None:
    _, project = _project(make_blueprint, tmp_path)
    (project / "body.txt").write_text("dirty\n")
    with pytest.raises(RefusedError, match="uncommitted"):
        stackprint.update(project)
    (tmp_path / "plain").mkdir()
    with pytest.raises(NotAProjectError, match="not inside a project generated by stackprint"):
        stackprint.update(tmp_path / "plain")
    with pytest.raises(BlueprintNotFoundError):
        stackprint.update(project, blueprint=tmp_path / "nowhere")


def test_feature_and_check(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    assert stackprint.check(project).clean
    added = stackprint.feature("Export invoices as CSV", project=project / "specs")
    assert added.branch_name == "002-export-invoices-csv"
    assert git(project, "branch", "--show-current") == added.branch_name
    spec = feature_dir(project, "001") / "spec.md"
    spec.write_text(spec.read_text() + "\n- [NEEDS CLARIFICATION: who?]\n")
    result = stackprint.check(project / "specs")  # found from a subdirectory
    assert result.project == project
    mine = [f for f in result.findings if f.path == "specs/001-products-api/spec.md"]
    assert [f.kind for f in mine] == [CLARIFICATION]
    assert result.as_json()["counts"][CLARIFICATION] == len(result.findings)


def test_feature_and_check_raise_typed_errors(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "stray.txt").write_text("uncommitted\n")
    with pytest.raises(RefusedError, match="uncommitted"):
        stackprint.feature("Anything", project=project)
    with pytest.raises(UsageError, match="empty"):
        stackprint.feature("   ", project=project, branch=False)
    with pytest.raises(UsageError, match="does not exist"):
        stackprint.check(tmp_path / "nope")


def test_doctor_reports_found_and_missing_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    found = stackprint.doctor()
    assert {"git", "go"} <= {tool.name for tool in found.tools}
    monkeypatch.setattr(toolcheck.shutil, "which", lambda name, path=None: None)
    missing = stackprint.doctor()
    assert not missing.ok
    assert {tool.name for tool in missing.missing} == {tool.name for tool in missing.tools}
    assert missing.as_json()["ok"] is False
