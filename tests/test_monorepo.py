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


WORKFLOW = """\
name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: cat body.txt
"""


def test_another_teams_uncommitted_work_neither_blocks_an_update_nor_goes_into_it(
    make_blueprint: MakeBlueprint, monorepo: Path
) -> None:
    tiny = make_blueprint(files={"body.txt": V1_BODY, ".github/workflows/ci.yml": WORKFLOW})
    other = make_blueprint(
        files={"other.txt": "v1\n", ".github/workflows/ci.yml": WORKFLOW}, name="o"
    )
    new_in(tiny, monorepo / "billing")
    new_in(other, monorepo / "web")
    # Another team's work in progress: an edit, a new file, an edit of their workflow.
    (monorepo / "docs" / "handbook.md").write_text("# Handbook\n\ndraft\n")
    (monorepo / "docs" / "draft.md").write_text("wip\n")
    (monorepo / "web" / "other.txt").write_text("v1 (wip)\n")
    (monorepo / ".github" / "workflows" / "web-ci.yml").write_text(WORKFLOW)
    status = git(monorepo, "status", "--porcelain")
    edit_lines(tiny / "template" / "body.txt", {3: "line 3 (v2)"})
    (tiny / "template" / ".github" / "workflows" / "ci.yml").write_text(
        WORKFLOW.replace("cat body.txt", "wc -l body.txt")
    )
    head = git(monorepo, "rev-parse", "HEAD").strip()

    # A dry run names the workflow where it is, at the top, as the real run changes it.
    preview = update(monorepo / "billing", pretend=True)
    assert preview.changes == [("M", ".github/workflows/billing-ci.yml"), ("M", "billing/body.txt")]
    result = update(monorepo / "billing")

    assert result.changes == preview.changes and result.conflicts == []
    merged = git(monorepo, "diff", "--name-only", head, "HEAD").split()
    assert merged == [".github/workflows/billing-ci.yml", "billing/body.txt"]
    assert git(monorepo, "status", "--porcelain") == status  # still theirs, still uncommitted
    assert (monorepo / "docs" / "handbook.md").read_text() == "# Handbook\n\ndraft\n"
    assert (monorepo / "web" / "other.txt").read_text() == "v1 (wip)\n"
    assert "wc -l body.txt" in (monorepo / ".github/workflows/billing-ci.yml").read_text()


def test_uncommitted_changes_to_the_projects_own_files_still_block(
    make_blueprint: MakeBlueprint, monorepo: Path
) -> None:
    tiny = make_blueprint(files={"body.txt": V1_BODY, ".github/workflows/ci.yml": WORKFLOW})
    new_in(tiny, monorepo / "billing")
    edit_lines(tiny / "template" / "body.txt", {3: "line 3 (v2)"})
    head = git(monorepo, "rev-parse", "HEAD")

    (monorepo / "billing" / "notes.md").write_text("untracked, in the project\n")
    with pytest.raises(RefusedError, match=r"uncommitted changes in .*billing: billing/notes.md"):
        update(monorepo / "billing")
    (monorepo / "billing" / "notes.md").unlink()

    flow = monorepo / ".github" / "workflows" / "billing-ci.yml"
    flow.write_text(flow.read_text() + "# local tweak\n")
    with pytest.raises(RefusedError, match=r"outside its directory: \.github/workflows/billing-ci"):
        update(monorepo / "billing")
    assert git(monorepo, "rev-parse", "HEAD") == head
    assert flow.read_text().endswith("# local tweak\n")


def test_changes_staged_elsewhere_stay_staged_and_need_a_branch(tiny: Path, monorepo: Path) -> None:
    new_in(tiny, monorepo / "billing")
    (monorepo / "Makefile").write_text("all:\n\t@echo staged\n")
    git(monorepo, "add", "Makefile")
    edit_lines(tiny / "template" / "body.txt", {3: "line 3 (v2)"})
    head = git(monorepo, "rev-parse", "HEAD").strip()

    with pytest.raises(RefusedError, match="changes staged outside the project: Makefile;"):
        update(monorepo / "billing")
    assert update(monorepo / "billing", pretend=True).changes == [("M", "billing/body.txt")]
    result = update(monorepo / "billing", branch="up")

    assert git(monorepo, "rev-parse", "HEAD").strip() == head
    assert git(monorepo, "diff", "--name-only", head, "up").split() == ["billing/body.txt"]
    assert result.merge_commit == git(monorepo, "rev-parse", "up").strip()
    assert git(monorepo, "diff", "--cached", "--name-only").split() == ["Makefile"]


def test_a_feature_branch_carries_another_teams_work_along_untouched(monorepo: Path) -> None:
    project = make_project(monorepo / "services", git=False)
    commit(monorepo, "a spec-kit project in services/")
    (monorepo / "docs" / "handbook.md").write_text("# Handbook\n\ndraft\n")

    stackprint.feature("Add invoice export", project=project)

    assert git(monorepo, "branch", "--show-current").strip() == "002-invoice-export"
    assert git(monorepo, "status", "--porcelain", "--", "docs") == " M docs/handbook.md\n"
    git(monorepo, "add", "--", str(project))
    git(monorepo, "-c", "user.name=u", "-c", "user.email=u@x", "commit", "-qm", "the spec")
    (project / "specs" / "draft.md").write_text("in the project\n")
    where = project.relative_to(monorepo).as_posix()
    with pytest.raises(RefusedError, match=f"carried over to the new branch: {where}/specs/draft"):
        stackprint.feature("Add refunds", project=project)


def test_add_resource_and_its_roll_back_leave_another_teams_work_as_it_was(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stackprint.speckit import feature

    api = monorepo / "services" / "api"
    stackprint.new(api, blueprint="go-api", defaults=True, resources=["customer=name:string"])
    head = git(monorepo, "rev-parse", "HEAD")
    (monorepo / "docs" / "handbook.md").write_text("# Handbook\n\ndraft\n")
    (monorepo / "docs" / "draft.md").write_text("wip\n")
    (monorepo / "Makefile").write_text("all:\n\t@echo staged\n")
    git(monorepo, "add", "Makefile")
    status = git(monorepo, "status", "--porcelain")
    real = feature.write_resource_feature

    def interrupted(root: Path, **kwargs: object) -> object:
        real(root, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt  # after the merge and the documents, before their commit

    with monkeypatch.context() as patch:
        patch.setattr(feature, "write_resource_feature", interrupted)
        with pytest.raises(KeyboardInterrupt):
            stackprint.add_resource(api, spec="invoice=number:string")
    assert git(monorepo, "branch", "--show-current").strip() == "main"
    assert git(monorepo, "rev-parse", "HEAD") == head
    assert git(monorepo, "status", "--porcelain") == status
    assert (monorepo / "docs" / "handbook.md").read_text() == "# Handbook\n\ndraft\n"
    assert git(monorepo, "branch", "--list", "002-*") == ""

    result = stackprint.add_resource(api, spec="invoice=number:string")
    assert result.feature_branch == "002-manage-invoices"
    committed = git(monorepo, "diff", "--name-only", head.strip(), "HEAD").split()
    assert committed and all(path.startswith("services/api/") for path in committed)
    assert git(monorepo, "status", "--porcelain") == status


def test_new_lists_the_workflows_where_they_are_written(
    make_blueprint: MakeBlueprint, monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from tests.test_grow import run_cli

    tiny = make_blueprint(files={"body.txt": V1_BODY, ".github/workflows/ci.yml": WORKFLOW})
    dest = monorepo / "services" / "billing"
    base = ["new", str(dest), "-b", str(tiny), "--defaults"]
    head = git(monorepo, "rev-parse", "HEAD")

    code, out, _ = run_cli([*base, "--pretend"], capsys)
    assert code == 0
    assert f"Would write 4 files to {monorepo}:\n" in out
    assert "  .github/workflows/services-billing-ci.yml\n" in out
    assert "  services/billing/body.txt\n" in out
    code, out, _ = run_cli([*base, "--pretend", "--json"], capsys)
    planned = json.loads(out)["files"]["added"]
    assert planned == [
        ".github/workflows/services-billing-ci.yml",
        "services/billing/.copier-answers.yml",
        "services/billing/billing.txt",
        "services/billing/body.txt",
    ]
    assert not dest.exists() and git(monorepo, "rev-parse", "HEAD") == head

    code, out, _ = run_cli([*base, "--json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["repository"] == str(monorepo)
    assert report["files"]["added"] == planned
    assert all((monorepo / path).is_file() for path in planned)
    assert not (dest / ".github").exists()


def test_pretend_refuses_what_new_would_refuse(
    make_blueprint: MakeBlueprint, monorepo: Path
) -> None:
    tiny = make_blueprint(files={"body.txt": V1_BODY, ".github/workflows/ci.yml": WORKFLOW})
    taken = monorepo / ".github" / "workflows" / "billing-ci.yml"
    taken.parent.mkdir(parents=True)
    taken.write_text(WORKFLOW)
    commit(monorepo, "a workflow of that name")
    with pytest.raises(RefusedError, match=r"billing-ci\.yml exists already"):
        new_in(tiny, monorepo / "billing", pretend=True)
    with pytest.raises(RefusedError, match=r"billing-ci\.yml exists already"):
        new_in(tiny, monorepo / "billing")
    assert not (monorepo / "billing").exists()
    assert git(monorepo, "status", "--porcelain") == ""
