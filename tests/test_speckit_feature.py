"""`stackprint feature`: numbering, names, branches, refusals and the pre-filled documents."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from stackprint import vcs
from stackprint.cli import main
from stackprint.errors import NotAProjectError, RefusedError, UsageError
from stackprint.speckit import add_feature, check, layout, summary
from stackprint.speckit.placeholders import placeholders
from tests.speckit_support import make_project

TODAY = dt.date(2025, 5, 6)


def _git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=project, capture_output=True, text=True, check=True
    ).stdout


def _commit(project: Path) -> None:
    vcs.commit_all(project, "wip")


def test_numbers_follow_002_003(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    first = add_feature(project, "Add invoice export", today=TODAY)
    assert (first.branch_name, first.feature_num) == ("002-invoice-export", "002")
    assert vcs.current_branch(project) == "002-invoice-export"
    _commit(project)
    second = add_feature(project, "Add UI for PDF export", today=TODAY)
    assert second.branch_name == "003-ui-pdf-export"
    assert sorted(p.name for p in (project / "specs").iterdir()) == [
        "001-products-api",
        "002-invoice-export",
        "003-ui-pdf-export",
    ]


def test_numbering_skips_past_gaps(tmp_path: Path) -> None:
    project = make_project(tmp_path, extra={"specs/007-old/spec.md": "# Old\n"})
    assert (
        add_feature(project, "Customer portal", branch=False, today=TODAY).branch_name
        == "008-customer-portal"
    )


def test_numbering_counts_existing_branches(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    _git(project, "branch", "004-someone-elses-work")
    assert add_feature(project, "Customer portal", today=TODAY).branch_name == "005-customer-portal"


def test_short_name_and_forced_number(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = add_feature(
        project, "Add invoice export", short_name="Invoices CSV", number=12, branch=False
    )
    assert result.branch_name == "012-invoices-csv"
    assert layout.read_feature_pointer(project) == "specs/012-invoices-csv"


def test_forced_number_already_used_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    with pytest.raises(RefusedError, match="already used by specs/001-products-api"):
        add_feature(project, "Other", number=1, branch=False)


def test_existing_branch_of_the_same_name_is_refused_before_writing(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    _git(project, "branch", "002-invoice-export")
    with pytest.raises(RefusedError, match="already exists"):
        add_feature(project, "Add invoice export", number=2)
    assert not (project / "specs" / "002-invoice-export").exists()


def test_dirty_tree_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "notes.txt").write_text("uncommitted\n")
    with pytest.raises(RefusedError, match=r"uncommitted changes .*notes\.txt") as info:
        add_feature(project, "Add invoice export")
    assert info.value.hint and "--no-branch" in info.value.hint
    assert not (project / "specs" / "002-invoice-export").exists()
    assert vcs.current_branch(project) == "main"


def test_no_branch_works_on_a_dirty_tree_and_without_git(tmp_path: Path) -> None:
    project = make_project(tmp_path / "a")
    (project / "notes.txt").write_text("uncommitted\n")
    result = add_feature(project, "Add invoice export", branch=False)
    assert not result.branch_created and vcs.current_branch(project) == "main"
    plain = make_project(tmp_path / "b", git=False)
    assert add_feature(plain, "Add invoice export", branch=False).spec_file.is_file()
    with pytest.raises(RefusedError, match="not a git repository"):
        add_feature(plain, "Another one")


def test_description_that_gives_no_name_needs_a_short_name(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    with pytest.raises(UsageError, match="empty feature name"):
        add_feature(project, "!!!", branch=False)
    with pytest.raises(UsageError):
        add_feature(project, "   ", branch=False)


def test_documents_are_pre_filled_from_the_answers(tmp_path: Path) -> None:
    project = make_project(tmp_path, data={"performance_goals": "200 req/s"})
    result = add_feature(project, "Add invoice export", today=TODAY)
    spec = result.spec_file.read_text()
    plan = result.plan_file.read_text()
    assert "# Feature Specification: Add invoice export" in spec
    assert "**Feature Branch**: `002-invoice-export`" in spec and "**Created**: 2025-05-06" in spec
    assert 'User description: "Add invoice export"' in spec
    assert (
        "**Branch**: `002-invoice-export` | **Date**: 2025-05-06 | **Spec**: [spec.md](./spec.md)"
        in plan
    )
    assert "**Performance Goals**: 200 req/s" in plan
    assert "Principle VIII (Public Services Package)" in plan
    assert "specs/002-invoice-export/" in plan and "services/" in plan
    assert placeholders(spec) == [] and placeholders(plan) == []
    # The open questions of a new spec are NEEDS CLARIFICATION markers, which check counts;
    # nothing else is wrong with the new feature.
    findings = check(project)
    assert summary(findings)["clarification"] > 0
    assert {f.kind for f in findings} == {"clarification"}
    assert {f.path for f in findings} == {"specs/002-invoice-export/spec.md"}


def test_feature_cli_json_like_spec_kit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["feature", "Add", "invoice", "export", "--json", "-C", str(project)])
    assert exit_info.value.code == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "BRANCH_NAME": "002-invoice-export",
        "SPEC_FILE": str(project / "specs" / "002-invoice-export" / "spec.md"),
        "FEATURE_NUM": "002",
    }


def test_feature_cli_refusal_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    (project / "notes.txt").write_text("x\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["feature", "Add invoice export", "-C", str(project)])
    assert exit_info.value.code == 4
    assert "uncommitted changes" in capsys.readouterr().err


def test_feature_outside_a_project_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAProjectError, match="not generated by stackprint"):
        add_feature(tmp_path, "Add invoice export", branch=False)
