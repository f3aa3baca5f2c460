"""The baseline travels: updates merged on a forge by squash, rebase or cherry-pick, and the
next change made from a fresh clone of main, find the pristine render they start from.

The forge is a bare repository; merging a pull request is done the way forges do it, in a
clone of their own, and the branch is deleted afterwards.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from stackprint import baseline, blueprints, vcs
from stackprint.create import create, prepare_answers
from stackprint.updater import update
from tests.conftest import MakeBlueprint
from tests.test_update import V1_BODY, commit, edit_lines, git

IDENTITY = ("-c", "user.name=forge", "-c", "user.email=forge@x")


@pytest.fixture
def forge(make_blueprint: MakeBlueprint, tmp_path: Path) -> tuple[Path, Path]:
    """(the v1 blueprint, a bare forge whose main holds a project made from it with the
    team's edit: line 10 of body.txt)."""
    root = make_blueprint(files={"body.txt": V1_BODY})
    blueprint = blueprints.load(str(root))
    made = tmp_path / "proj"
    create(
        made, blueprint, prepare_answers(blueprint, {}, dest=made, use_defaults=True, asker=None)
    )
    edit_lines(made / "body.txt", {10: "line 10 (team)"})
    commit(made, "team edit")
    bare = tmp_path / "forge.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(bare))
    git(made, "push", "-q", "--follow-tags", str(bare), "main")
    return root, bare


def clone(bare: Path, dest: Path) -> Path:
    git(bare.parent, "clone", "-q", str(bare), str(dest))
    return dest


def blueprint_copy(
    root: Path, dest: Path, edits: dict[int, str], inserted: str | None = None
) -> blueprints.Blueprint:
    """A changed copy of the blueprint at `dest`: body.txt lines replaced, one inserted."""
    shutil.copytree(root, dest)
    body = dest / "template" / "body.txt"
    edit_lines(body, edits)
    if inserted is not None:
        lines = body.read_text().splitlines(keepends=True)
        lines.insert(5, inserted + "\n")
        body.write_text("".join(lines))
    return blueprints.load(str(dest))


def merge_pull_request(bare: Path, work: Path, branch: str, how: str) -> None:
    """Merge `branch` into main on the forge by `how`, then delete the branch."""
    maintainer = clone(bare, work)
    if how == "squash":
        # As forges write it: the branch's commit messages, trailers and all.
        message = git(maintainer, "log", "--format=* %B", f"main..origin/{branch}")
        git(maintainer, "merge", "-q", "--squash", f"origin/{branch}")
        git(maintainer, *IDENTITY, "commit", "-qm", f"Update (#1)\n\n{message}")
    elif how == "rebase":
        # Rebase and merge: the branch's commits replayed on main, its merge commit dropped.
        git(maintainer, "switch", "-q", "-c", "rebased", f"origin/{branch}")
        git(maintainer, *IDENTITY, "rebase", "-q", "main")
        git(maintainer, "switch", "-q", "main")
        git(maintainer, "merge", "-q", "--ff-only", "rebased")
    elif how == "cherry-pick":
        git(maintainer, *IDENTITY, "cherry-pick", "-m", "1", f"origin/{branch}")
    else:
        raise AssertionError(how)
    git(maintainer, "push", "-q", "origin", "main")
    git(maintainer, "push", "-q", "origin", "--delete", branch)
    # The forge forgets what no ref reaches any more, as a clone would never see it.
    git(bare, "reflog", "expire", "--expire=now", "--all")
    git(bare, "gc", "-q", "--prune=now")


def change_on_a_branch(bare: Path, work: Path, branch: str, **changes: Any) -> str:
    """A team member's `update --branch`, pushed as the next steps say; the pristine commit."""
    member = clone(bare, work)
    result = update(member, branch=branch, **changes)
    assert result.conflicts == []
    assert result.next_steps[0] == f"git push --follow-tags -u origin {branch}"
    git(member, "push", "-q", "--follow-tags", "-u", "origin", branch)
    assert result.commit is not None
    return result.commit


def body(project: Path) -> list[str]:
    return (project / "body.txt").read_text().splitlines()


def recorded_source(project: Path) -> str:
    return str(yaml.safe_load((project / ".copier-answers.yml").read_text())["_src_path"])


HOWS = ["squash", "rebase", "cherry-pick"]


@pytest.mark.parametrize("how", HOWS)
def test_two_updates_in_a_row_the_second_from_a_fresh_clone(
    forge: tuple[Path, Path], tmp_path: Path, how: str
) -> None:
    root, bare = forge
    v2 = blueprint_copy(root, tmp_path / "v2", {3: "line 3 (v2)"}, "inserted by v2")
    pristine = change_on_a_branch(bare, tmp_path / "member", "up", blueprint=v2)
    merge_pull_request(bare, tmp_path / "maintainer", "up", how)
    v3 = blueprint_copy(tmp_path / "v2", tmp_path / "v3", {3: "line 3 (v3)", 19: "line 18 (v3)"})

    fresh = clone(bare, tmp_path / "fresh")
    assert (
        git(fresh, "tag", "--list", f"{baseline.TAG_NAMESPACE}*")
        .split()
        .count(baseline.TAG_NAMESPACE + pristine[:12])
        == 1
    )
    result = update(fresh, blueprint=v3)  # a conflict would raise

    assert result.conflicts == []
    # Only v2 -> v3 arrives: the answers file and body.txt, nothing v2 already brought.
    assert result.changes == [("M", ".copier-answers.yml"), ("M", "body.txt")]
    lines = body(fresh)
    assert lines[2] == "line 3 (v3)"
    assert lines.count("inserted by v2") == 1
    assert lines.count("line 10 (team)") == 1
    assert "line 18 (v3)" in lines
    assert recorded_source(fresh) == str(tmp_path / "v3")
    assert git(fresh, "status", "--porcelain") == ""
    assert update(fresh, blueprint=v3).up_to_date


@pytest.mark.parametrize("how", HOWS)
def test_an_update_then_a_changed_answer_from_a_fresh_clone(
    forge: tuple[Path, Path], tmp_path: Path, how: str
) -> None:
    """`add resource` is `update` with a changed answer: the same path, on a small blueprint."""
    root, bare = forge
    v2 = blueprint_copy(root, tmp_path / "v2", {3: "line 3 (v2)"}, "inserted by v2")
    change_on_a_branch(bare, tmp_path / "member", "up", blueprint=v2)
    merge_pull_request(bare, tmp_path / "maintainer", "up", how)

    fresh = clone(bare, tmp_path / "fresh")
    result = update(fresh, data={"flavour": "chocolate"})

    assert result.conflicts == []
    assert sorted(path for _, path in result.changes) == [".copier-answers.yml", "proj.txt"]
    assert (fresh / "proj.txt").read_text() == "hello proj (chocolate)\n"
    lines = body(fresh)
    assert (lines[2], lines.count("inserted by v2"), lines.count("line 10 (team)")) == (
        "line 3 (v2)",
        1,
        1,
    )
    assert recorded_source(fresh) == str(tmp_path / "v2")


def test_an_update_merged_by_squash_and_then_another_change_squashed_again(
    forge: tuple[Path, Path], tmp_path: Path
) -> None:
    """Each squash leaves its baseline tagged; the third change starts from the second."""
    root, bare = forge
    v2 = blueprint_copy(root, tmp_path / "v2", {3: "line 3 (v2)"}, "inserted by v2")
    change_on_a_branch(bare, tmp_path / "member", "up", blueprint=v2)
    merge_pull_request(bare, tmp_path / "maintainer", "up", "squash")
    change_on_a_branch(bare, tmp_path / "member2", "flavour", data={"flavour": "chocolate"})
    merge_pull_request(bare, tmp_path / "maintainer2", "flavour", "squash")

    fresh = clone(bare, tmp_path / "fresh")
    result = update(fresh, data={"flavour": "vanilla"})  # back: from the second baseline only

    assert result.changes == [("M", ".copier-answers.yml"), ("M", "proj.txt")]
    assert (fresh / "proj.txt").read_text() == "hello proj (vanilla)\n"
    assert body(fresh).count("inserted by v2") == 1


def test_an_abandoned_update_branch_is_not_taken_for_the_baseline(
    forge: tuple[Path, Path], tmp_path: Path
) -> None:
    """The blueprint changed in place (same path, same version: the same answers file).
    An update pushed with its tag and never merged leaves a pristine commit that records
    the project's answers; the project was not made from it, and the next update does not
    start from it."""
    root, bare = forge
    edit_lines(root / "template" / "body.txt", {3: "line 3 (v2)"})
    abandoned = change_on_a_branch(bare, tmp_path / "member", "up")
    git(clone(bare, tmp_path / "closer"), "push", "-q", "origin", "--delete", "up")
    edit_lines(root / "template" / "body.txt", {3: "line 3 (v3)"})

    fresh = clone(bare, tmp_path / "fresh")
    assert baseline.TAG_NAMESPACE + abandoned[:12] in git(fresh, "tag", "--list")
    result = update(fresh)

    assert result.conflicts == []
    assert (body(fresh)[2], body(fresh)[9]) == ("line 3 (v3)", "line 10 (team)")


def test_a_rebased_replay_of_a_pristine_commit_is_no_baseline(
    forge: tuple[Path, Path], tmp_path: Path
) -> None:
    """After a rebase merge, main holds a copy of the pristine commit (its message and
    trailer included) on top of the team's commit. Without the tag, the next update must
    not take it for a render of the blueprint: it falls back to the first render."""
    root, bare = forge
    v2 = blueprint_copy(root, tmp_path / "v2", {3: "line 3 (v2)"}, "inserted by v2")
    pristine = change_on_a_branch(bare, tmp_path / "member", "up", blueprint=v2)
    merge_pull_request(bare, tmp_path / "maintainer", "up", "rebase")
    fresh = clone(bare, tmp_path / "fresh")
    replay = git(fresh, "log", "-1", "--format=%H %B").split()[0]
    assert "Stackprint-Pristine: " in git(fresh, "log", "-1", "--format=%B")

    assert replay != pristine
    assert baseline.find(fresh) == pristine

    tag = baseline.TAG_NAMESPACE + pristine[:12]
    git(fresh, "push", "-q", "origin", "--delete", tag)  # (else find fetches it again)
    git(fresh, "tag", "-d", tag)
    assert baseline.find(fresh) is None  # no render of these answers is left
    first = git(fresh, "rev-list", "--max-parents=0", "HEAD").strip()
    assert vcs.find_commit_with_trailer(fresh, baseline.TRAILER) == first


def squashed_without_tags(bare: Path, tmp_path: Path) -> Path:
    """A changed answer made on a branch pushed without its tag, squash-merged, the branch
    deleted (as multi-gitter or an old habit leaves it); a fresh clone of main."""
    member = clone(bare, tmp_path / "member")
    update(member, branch="up", data={"flavour": "chocolate"})
    git(member, "push", "-q", "-u", "origin", "up")
    merge_pull_request(bare, tmp_path / "maintainer", "up", "squash")
    fresh = clone(bare, tmp_path / "fresh")
    assert git(fresh, "tag", "--list", f"{baseline.TAG_NAMESPACE}*").split() == [
        baseline.TAG_NAMESPACE + git(fresh, "rev-list", "--max-parents=0", "HEAD")[:12]
    ]
    return fresh


def test_without_tag_or_commit_the_baseline_is_rendered_again(
    forge: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a bundled blueprint of the recorded stackprint version allows (forced here for
    the small blueprint): the render of the recorded answers is the baseline."""
    _, bare = forge
    fresh = squashed_without_tags(bare, tmp_path)
    monkeypatch.setattr("stackprint.updater._can_rerender", lambda recorded: True)

    result = update(fresh, data={"flavour": "vanilla"})

    assert result.changes == [("M", ".copier-answers.yml"), ("M", "proj.txt")]
    assert (fresh / "proj.txt").read_text() == "hello proj (vanilla)\n"
    assert body(fresh)[9] == "line 10 (team)"
    assert "again from the recorded answers" in git(fresh, "log", "--format=%s", "--all")


def test_a_render_that_differs_from_the_recorded_answers_falls_back(
    forge: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answers edited by hand match no render, not even a new one: the newest pristine
    commit of the history is the base, as before tags."""
    root, bare = forge
    fresh = squashed_without_tags(bare, tmp_path)
    answers = fresh / ".copier-answers.yml"
    answers.write_text(answers.read_text() + "# edited by hand\n")
    commit(fresh, "a note in the answers")
    monkeypatch.setattr("stackprint.updater._can_rerender", lambda recorded: True)
    edit_lines(root / "template" / "body.txt", {3: "line 3 (v2)"})

    result = update(fresh)

    first = git(fresh, "rev-list", "--max-parents=0", "HEAD").strip()
    assert git(fresh, "rev-parse", f"{result.commit}^").strip() == first
    assert (body(fresh)[2], body(fresh)[9]) == ("line 3 (v2)", "line 10 (team)")
    assert (fresh / "proj.txt").read_text() == "hello proj (chocolate)\n"


def test_an_older_clone_fetches_the_baseline_tag_it_lacks(
    forge: tuple[Path, Path], tmp_path: Path
) -> None:
    """A clone made before the update pulls the rebased main; `git pull` brings no tag on
    a commit that no branch reaches, so the update asks the forge for the baseline tags."""
    root, bare = forge
    older = clone(bare, tmp_path / "older")
    v2 = blueprint_copy(root, tmp_path / "v2", {3: "line 3 (v2)"}, "inserted by v2")
    pristine = change_on_a_branch(bare, tmp_path / "member", "up", blueprint=v2)
    merge_pull_request(bare, tmp_path / "maintainer", "up", "rebase")
    git(older, "pull", "-q", "--ff-only")
    tag = baseline.TAG_NAMESPACE + pristine[:12]
    assert tag not in git(older, "tag", "--list")
    v3 = blueprint_copy(tmp_path / "v2", tmp_path / "v3", {3: "line 3 (v3)"})

    result = update(older, blueprint=v3)

    assert tag in git(older, "tag", "--list")
    assert result.changes == [("M", ".copier-answers.yml"), ("M", "body.txt")]
    assert (body(older)[2], body(older).count("inserted by v2")) == ("line 3 (v3)", 1)


def test_blob_ids_of_a_file_across_commits_come_from_one_lookup(tmp_path: Path) -> None:
    """The file's id in each commit, None where it is absent or the commit is unknown (a
    fresh clone lacks commits that only trailers name)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "--initial-branch=main")

    def committed(message: str) -> str:
        commit(repo, message)
        return git(repo, "rev-parse", "HEAD").strip()

    (repo / "other.txt").write_text("no answers yet\n")
    without = committed("first")
    (repo / "answers name.yml").write_text("a: 1\n")
    first = committed("answers")
    (repo / "answers name.yml").write_text("a: 2\n")
    second = committed("changed")
    unknown = "0123456789abcdef0123456789abcdef01234567"

    found = vcs.blobs_at(repo, [second, without, unknown, first, second], "answers name.yml")

    assert list(found) == [second, without, unknown, first]
    assert found[first] == vcs.blob_at(repo, first, "answers name.yml") != found[second]
    assert found[second] == git(repo, "rev-parse", f"{second}:answers name.yml").strip()
    assert found[without] is None and found[unknown] is None
    assert vcs.blobs_at(repo, [], "answers name.yml") == {}
