"""`update`: a three-way merge of blueprint changes into an edited project, line by line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from stackprint import blueprints
from stackprint.create import create, prepare_answers
from stackprint.errors import NotAProjectError, RefusedError, UsageError
from stackprint.questions import Question
from stackprint.update import update
from tests.conftest import MakeBlueprint

V1_BODY = "".join(f"line {n}\n" for n in range(1, 21))


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def commit(cwd: Path, message: str = "user edit") -> None:
    git(cwd, "add", "--all")
    git(cwd, "-c", "user.name=u", "-c", "user.email=u@x", "commit", "-qm", message)


def edit_lines(path: Path, edits: dict[int, str]) -> None:
    lines = path.read_text().splitlines(keepends=True)
    for number, text in edits.items():
        lines[number - 1] = text + "\n"
    path.write_text("".join(lines))


@pytest.fixture
def setup(make_blueprint: MakeBlueprint, tmp_path: Path) -> tuple[Path, Path]:
    """A v1 blueprint (mutable afterwards, as 'the next version') and a project made from it."""
    root = make_blueprint(
        files={
            "body.txt": V1_BODY,
            "removed-later.txt": "the blueprint drops this\n",
            "edited-then-removed.txt": "the blueprint drops this too\n",
        }
    )
    blueprint = blueprints.load(str(root))
    dest = tmp_path / "proj"
    create(
        dest, blueprint, prepare_answers(blueprint, {}, dest=dest, use_defaults=True, asker=None)
    )
    return root, dest


def next_version(root: Path) -> None:
    template = root / "template"
    edit_lines(template / "body.txt", {3: "line 3 (blueprint)", 15: "line 15 (blueprint)"})
    (template / "added.txt").write_text("new in v2\n")
    (template / "removed-later.txt").unlink()
    (template / "edited-then-removed.txt").unlink()


def test_user_edits_and_blueprint_changes_meet_with_conflicts_only_where_they_overlap(
    setup: tuple[Path, Path],
) -> None:
    root, dest = setup
    edit_lines(dest / "body.txt", {8: "line 8 (user)", 15: "line 15 (user)"})
    (dest / "edited-then-removed.txt").write_text("the user keeps this\n")
    (dest / "mine.txt").write_text("user file\n")
    commit(dest)
    user_head = git(dest, "rev-parse", "HEAD").strip()
    next_version(root)

    result = update(dest)

    assert result.conflicts == ["body.txt"]
    body = (dest / "body.txt").read_text().splitlines()
    assert body[2] == "line 3 (blueprint)"  # blueprint-only change arrives
    assert body[7] == "line 8 (user)"  # user-only change stays
    conflict = body[body.index("<<<<<<< HEAD") : body.index(">>>>>>> " + result.commit) + 1]  # type: ignore[operator]
    assert conflict == [
        "<<<<<<< HEAD",
        "line 15 (user)",
        "=======",
        "line 15 (blueprint)",
        ">>>>>>> " + str(result.commit),
    ]
    assert body.count("<<<<<<< HEAD") == 1
    assert (dest / "added.txt").read_text() == "new in v2\n"
    assert not (dest / "removed-later.txt").exists()
    assert (dest / "edited-then-removed.txt").read_text() == "the user keeps this\n"
    assert (dest / "mine.txt").read_text() == "user file\n"
    assert sorted(f for s, f in result.changes) == [
        "added.txt",
        "body.txt",
        "edited-then-removed.txt",
        "removed-later.txt",
    ]
    # A plain git merge state that `git merge --abort` undoes completely.
    git(dest, "merge", "--abort")
    assert git(dest, "rev-parse", "HEAD").strip() == user_head
    assert git(dest, "status", "--porcelain") == ""


def test_update_without_overlap_merges_and_commits(setup: tuple[Path, Path]) -> None:
    root, dest = setup
    edit_lines(dest / "body.txt", {10: "line 10 (user)"})
    commit(dest)
    next_version(root)
    result = update(dest)
    assert result.conflicts == []
    assert git(dest, "status", "--porcelain") == ""
    parents = git(dest, "log", "-1", "--format=%P").split()
    assert len(parents) == 2 and parents[1] == result.commit
    body = (dest / "body.txt").read_text().splitlines()
    assert (body[2], body[9], body[14]) == (
        "line 3 (blueprint)",
        "line 10 (user)",
        "line 15 (blueprint)",
    )
    # History is intact: the user's commit and the first pristine commit are ancestors.
    assert "user edit" in git(dest, "log", "--format=%s")
    # The next update starts from the new baseline: nothing left to do.
    assert update(dest).up_to_date


def test_unchanged_blueprint_is_a_noop(setup: tuple[Path, Path]) -> None:
    _, dest = setup
    head = git(dest, "rev-parse", "HEAD")
    result = update(dest)
    assert result.up_to_date
    assert git(dest, "rev-parse", "HEAD") == head


def test_pretend_reports_changes_and_conflicts_and_writes_nothing(setup: tuple[Path, Path]) -> None:
    root, dest = setup
    edit_lines(dest / "body.txt", {15: "line 15 (user)"})
    commit(dest)
    next_version(root)
    objects_before = sorted(p.name for p in (dest / ".git" / "objects").rglob("*"))
    head = git(dest, "rev-parse", "HEAD")

    result = update(dest, pretend=True)

    assert result.conflicts == ["body.txt"]
    assert ("A", "added.txt") in result.changes
    assert git(dest, "rev-parse", "HEAD") == head
    assert git(dest, "status", "--porcelain") == ""
    assert sorted(p.name for p in (dest / ".git" / "objects").rglob("*")) == objects_before


def test_baseline_travels_with_a_clone(setup: tuple[Path, Path], tmp_path: Path) -> None:
    root, dest = setup
    edit_lines(dest / "body.txt", {10: "line 10 (user)"})
    commit(dest)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(dest), str(clone))
    next_version(root)
    result = update(clone)
    assert result.conflicts == []
    body = (clone / "body.txt").read_text().splitlines()
    assert (body[2], body[9]) == ("line 3 (blueprint)", "line 10 (user)")


def test_changing_an_answer_goes_through_the_same_merge(setup: tuple[Path, Path]) -> None:
    _, dest = setup
    result = update(dest, data={"flavour": "chocolate"})
    assert result.conflicts == []
    assert (dest / "proj.txt").read_text() == "hello proj (chocolate)\n"
    assert yaml.safe_load((dest / ".copier-answers.yml").read_text())["flavour"] == "chocolate"


def test_invalid_changed_answer_is_refused_before_anything_changes(
    setup: tuple[Path, Path],
) -> None:
    _, dest = setup
    head = git(dest, "rev-parse", "HEAD")
    with pytest.raises(UsageError, match="unknown question 'colour'"):
        update(dest, data={"colour": "red"})
    assert git(dest, "rev-parse", "HEAD") == head


def test_refuses_a_dirty_tree_listing_the_files(setup: tuple[Path, Path]) -> None:
    _, dest = setup
    (dest / "body.txt").write_text("changed\n")
    (dest / "new.txt").write_text("untracked\n")
    with pytest.raises(
        RefusedError, match=r"uncommitted changes .*: body.txt, new.txt; commit or stash"
    ):
        update(dest)
    assert (dest / "body.txt").read_text() == "changed\n"


def test_refuses_a_project_not_made_by_stackprint(tmp_path: Path) -> None:
    (tmp_path / "README").write_text("x")
    with pytest.raises(NotAProjectError, match="not generated by stackprint"):
        update(tmp_path)


def test_refuses_a_downgrade(setup: tuple[Path, Path]) -> None:
    _, dest = setup
    answers = dest / ".copier-answers.yml"
    answers.write_text(
        answers.read_text().replace("_stackprint_version: ", "_stackprint_version: 99.0.0 #")
    )
    commit(dest)
    with pytest.raises(
        RefusedError, match=r"generated by stackprint 99\.0\.0, newer than this one"
    ):
        update(dest)


def test_refuses_without_a_baseline(setup: tuple[Path, Path], tmp_path: Path) -> None:
    _, dest = setup
    squashed = tmp_path / "squashed"
    shutil.copytree(dest, squashed, ignore=shutil.ignore_patterns(".git"))
    git(squashed, "init", "-q")
    commit(squashed, "import")
    with pytest.raises(RefusedError, match="no baseline"):
        update(squashed)


def test_symlink_in_the_project_is_not_followed_outside(
    setup: tuple[Path, Path], tmp_path: Path
) -> None:
    root, dest = setup
    outside = tmp_path / "outside"
    outside.mkdir()
    (dest / "sub").symlink_to(outside, target_is_directory=True)
    commit(dest)
    (root / "template" / "sub").mkdir()
    (root / "template" / "sub" / "new.txt").write_text("from the blueprint\n")
    result = update(dest)
    assert list(outside.iterdir()) == []  # git never writes through the link
    assert result.conflicts  # the user's symlink and the blueprint's directory collide
    git(dest, "merge", "--abort")
    assert (dest / "sub").is_symlink()
    assert git(dest, "status", "--porcelain") == ""


def test_ask_offers_recorded_answers_as_defaults(setup: tuple[Path, Path]) -> None:
    _, dest = setup
    offered: dict[str, object] = {}

    def asker(question: Question, default: object, answers: object) -> object:
        offered[question.name] = default
        return "chocolate" if question.name == "flavour" else default

    result = update(dest, asker=asker)
    assert offered["project_name"] == "proj"  # the recorded answer, not the blueprint's "tiny"
    assert offered["flavour"] == "vanilla"
    assert result.conflicts == []
    assert (dest / "proj.txt").read_text() == "hello proj (chocolate)\n"
