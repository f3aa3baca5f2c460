"""Projects inside a larger repository: `new` adds them to it, `update` touches only theirs."""

from __future__ import annotations

from pathlib import Path

import pytest

import stackprint
from stackprint import baseline, blueprints
from stackprint.create import create, prepare_answers
from stackprint.errors import RefusedError, UsageError
from stackprint.updater import update
from tests.conftest import MakeBlueprint
from tests.speckit_support import make_project
from tests.test_baseline import clone, merge_pull_request
from tests.test_update import V1_BODY, commit, edit_lines, git


@pytest.fixture
def tiny(make_blueprint: MakeBlueprint) -> Path:
    return make_blueprint(files={"body.txt": V1_BODY})


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    """A repository with history and files of its own."""
    repo = tmp_path / "platform"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "handbook.md").write_text("# Handbook\n")
    (repo / "Makefile").write_text("all:\n\t@echo platform\n")
    git(tmp_path, "init", "-q", "--initial-branch=main", str(repo))
    commit(repo, "platform start")
    return repo


def new_in(root: Path, dest: Path, **options: bool) -> str | None:
    blueprint = blueprints.load(str(root))
    answers = prepare_answers(blueprint, {}, dest=dest, use_defaults=True, asker=None)
    return create(dest, blueprint, answers, **options).commit


def tracked(repo: Path) -> list[str]:
    return git(repo, "ls-files").split()


def test_new_inside_a_repository_commits_there_without_a_nested_repository(
    tiny: Path, monorepo: Path
) -> None:
    before = git(monorepo, "rev-parse", "HEAD").strip()
    made = new_in(tiny, monorepo / "services" / "billing")

    assert not (monorepo / "services" / "billing" / ".git").exists()
    assert git(monorepo, "rev-parse", "HEAD").strip() == made
    assert git(monorepo, "status", "--porcelain") == ""
    assert "services/billing/body.txt" in tracked(monorepo)
    assert "docs/handbook.md" in tracked(monorepo)
    first, pristine = git(monorepo, "log", "-1", "--format=%P").split()
    assert first == before  # on the current branch, a merge of the project's baseline
    assert git(monorepo, "ls-tree", "--name-only", pristine).split() == ["services"]
    assert git(monorepo, "tag", "--list").split() == [
        f"{baseline.TAG_NAMESPACE}services/billing/{pristine[:12]}"
    ]


def test_no_commit_only_stages_and_leaves_other_staged_changes_out(
    tiny: Path, monorepo: Path
) -> None:
    (monorepo / "Makefile").write_text("all:\n\t@echo staged\n")
    git(monorepo, "add", "Makefile")
    head = git(monorepo, "rev-parse", "HEAD")

    assert new_in(tiny, monorepo / "billing", commit=False) is None

    assert git(monorepo, "rev-parse", "HEAD") == head
    staged = git(monorepo, "diff", "--cached", "--name-only").split()
    assert "Makefile" in staged and "billing/body.txt" in staged
    lines = git(monorepo, "status", "--porcelain", "--untracked-files=all", "--", "billing")
    assert lines and all(line.startswith("A  ") for line in lines.splitlines())


def test_a_commit_leaves_what_the_user_had_staged_elsewhere_staged(
    tiny: Path, monorepo: Path
) -> None:
    (monorepo / "Makefile").write_text("all:\n\t@echo staged\n")
    git(monorepo, "add", "Makefile")
    new_in(tiny, monorepo / "billing")
    assert git(monorepo, "show", "--name-only", "--format=", "HEAD").split().count("Makefile") == 0
    assert git(monorepo, "diff", "--cached", "--name-only").split() == ["Makefile"]


def test_refuses_uncommitted_changes_under_the_destination(tiny: Path, monorepo: Path) -> None:
    (monorepo / "docs" / "handbook.md").unlink()  # a tracked file deleted: docs/ is empty
    (monorepo / "docs").rmdir()
    with pytest.raises(RefusedError, match=r"uncommitted changes in .* under docs: docs/handbook"):
        new_in(tiny, monorepo / "docs")
    assert not (monorepo / "docs").exists()


def test_no_commit_outside_a_repository_is_a_usage_error(tiny: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--no-commit is for a project inside"):
        new_in(tiny, tmp_path / "alone", commit=False)
    assert not (tmp_path / "alone").exists()


def test_an_ignored_directory_is_not_part_of_the_repository(tiny: Path, monorepo: Path) -> None:
    (monorepo / ".gitignore").write_text("scratch/\n")
    commit(monorepo, "ignore scratch")
    new_in(tiny, monorepo / "scratch" / "p")
    assert (monorepo / "scratch" / "p" / ".git").is_dir()  # a repository of its own
    assert git(monorepo, "status", "--porcelain") == ""


def test_each_project_updates_alone_keeping_edits_and_the_rest_untouched(
    tiny: Path, monorepo: Path, make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    other = make_blueprint(files={"other.txt": "other v1\n"}, name="other")
    new_in(tiny, monorepo / "services" / "billing")
    new_in(other, monorepo / "web")
    billing = monorepo / "services" / "billing"
    edit_lines(billing / "body.txt", {10: "line 10 (team)"})
    (monorepo / "web" / "other.txt").write_text("other v1 (team)\n")
    (monorepo / "docs" / "handbook.md").write_text("# Handbook\n\nteam\n")
    (billing / "notes").mkdir()
    (billing / "notes" / "ops.md").write_text("on call: team\n")
    commit(monorepo, "team edits")
    web_before = git(monorepo, "rev-parse", "HEAD:web")
    docs_before = git(monorepo, "rev-parse", "HEAD:docs")
    edit_lines(tiny / "template" / "body.txt", {3: "line 3 (v2)"})
    (tiny / "template" / "added.txt").write_text("new in v2\n")

    head = git(monorepo, "rev-parse", "HEAD")
    preview = stackprint.update(billing / "notes", pretend=True)  # from a folder inside it
    assert git(monorepo, "rev-parse", "HEAD") == head
    result = stackprint.update(billing / "notes")

    assert preview.changes == result.changes
    assert result.conflicts == []
    assert sorted(path for _, path in result.changes) == [
        "services/billing/added.txt",
        "services/billing/body.txt",
    ]
    lines = (billing / "body.txt").read_text().splitlines()
    assert (lines[2], lines[9]) == ("line 3 (v2)", "line 10 (team)")
    assert git(monorepo, "rev-parse", "HEAD:web") == web_before
    assert git(monorepo, "rev-parse", "HEAD:docs") == docs_before
    assert not (monorepo / "added.txt").exists()
    assert git(monorepo, "status", "--porcelain") == ""
    assert update(monorepo / "web").up_to_date  # its own baseline, not billing's
    assert update(billing).up_to_date

    # A fresh clone holds everything and updates again.
    fresh = clone(monorepo, tmp_path / "fresh")
    edit_lines(tiny / "template" / "body.txt", {18: "line 18 (v3)"})
    assert update(fresh / "services" / "billing").conflicts == []
    assert (fresh / "services" / "billing" / "body.txt").read_text().splitlines()[17] == (
        "line 18 (v3)"
    )
    assert (fresh / "web" / "other.txt").read_text() == "other v1 (team)\n"


def test_a_squash_merged_update_of_one_project_from_a_fresh_clone(
    tiny: Path, monorepo: Path, tmp_path: Path
) -> None:
    new_in(tiny, monorepo / "billing")
    edit_lines(monorepo / "billing" / "body.txt", {10: "line 10 (team)"})
    commit(monorepo, "team edit")
    bare = tmp_path / "forge.git"
    git(tmp_path, "clone", "-q", "--bare", str(monorepo), str(bare))
    member = clone(bare, tmp_path / "member")
    edit_lines(tiny / "template" / "body.txt", {3: "line 3 (v2)"})
    result = update(member / "billing", branch="up")
    git(member, "push", "-q", "--follow-tags", "-u", "origin", "up")
    assert result.commit is not None
    merge_pull_request(bare, tmp_path / "maintainer", "up", "squash")
    edit_lines(tiny / "template" / "body.txt", {3: "line 3 (v3)"})

    fresh = clone(bare, tmp_path / "fresh")
    again = update(fresh / "billing")

    assert again.conflicts == []
    assert again.changes == [("M", "billing/body.txt")]
    lines = (fresh / "billing" / "body.txt").read_text().splitlines()
    assert (lines[2], lines[9]) == ("line 3 (v3)", "line 10 (team)")


def test_feature_in_a_project_of_the_monorepo_writes_its_own_specs(monorepo: Path) -> None:
    """spec-kit's monorepo layout: each project has its own `specs/` and `.specify/`; the
    feature branch is the repository's."""
    project = make_project(monorepo / "services", git=False)
    commit(monorepo, "a spec-kit project in services/")

    stackprint.feature("Add invoice export", project=project / "specs")  # from a folder in it

    assert git(monorepo, "branch", "--show-current").strip() == "002-invoice-export"
    assert (project / "specs" / "002-invoice-export" / "spec.md").is_file()
    assert (project / ".specify" / "feature.json").is_file()
    assert not (monorepo / "specs").exists() and not (monorepo / ".specify").exists()
