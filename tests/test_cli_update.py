"""`stackprint update` for fleets: --check, --json and --branch on the command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from stackprint.cli import main
from stackprint.errors import ExitCode
from tests.conftest import MakeBlueprint


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def project(make_blueprint: MakeBlueprint, tmp_path: Path) -> tuple[Path, Path]:
    root = make_blueprint(files={"body.txt": "a\nb\nc\n"})
    dest = tmp_path / "proj"
    with pytest.raises(SystemExit):
        main(["new", str(dest), "-b", str(root), "--defaults", "--quiet"])
    return root, dest


def test_check_changes_nothing_and_says_whether_an_update_is_waiting(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, dest = project
    capsys.readouterr()
    code, out, _ = run_cli(["update", str(dest), "--check"], capsys)
    assert code == ExitCode.OK
    assert "up to date" in out

    (root / "template" / "body.txt").write_text("a\nb\nc\nd\n")
    head = git(dest, "rev-parse", "HEAD")
    objects = git(dest, "count-objects", "-v")
    code, out, err = run_cli(["update", str(dest), "--check", "--json"], capsys)
    assert code == ExitCode.OUTDATED
    report = json.loads(out)
    assert report["up_to_date"] is False
    assert report["files"]["changed"] == ["body.txt"]
    assert err.startswith("error: an update is available")
    assert git(dest, "rev-parse", "HEAD") == head
    assert git(dest, "count-objects", "-v") == objects  # not even a git object was written
    assert (dest / "body.txt").read_text() == "a\nb\nc\n"

    code, _, err = run_cli(["update", str(dest), "--check", "--branch", "x"], capsys)
    assert code == ExitCode.USAGE


def test_json_report_of_a_merge(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, dest = project
    (root / "template" / "new.txt").write_text("new\n")
    capsys.readouterr()
    code, out, _ = run_cli(["update", str(dest), "--json"], capsys)
    assert code == ExitCode.OK
    report = json.loads(out)  # stdout is the report alone; progress went to stderr
    assert report["command"] == "update"
    assert report["files"] == {"added": ["new.txt"], "changed": [], "removed": []}
    assert report["versions"]["from"] == report["versions"]["to"]
    assert report["conflicts"] == [] and report["branch"] is None
    assert report["commit"] is None  # merged into the current branch: see git log


def test_branch_with_conflicts_exits_1_listing_the_files(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, dest = project
    (dest / "body.txt").write_text("a\nmine\nc\n")
    git(dest, "-c", "user.name=u", "-c", "user.email=u@x", "commit", "-qam", "edit")
    head = git(dest, "rev-parse", "HEAD")
    (root / "template" / "body.txt").write_text("a\ntheirs\nc\n")
    capsys.readouterr()
    code, out, err = run_cli(["update", str(dest), "--branch", "sp-update", "--json"], capsys)
    assert code == ExitCode.FINDINGS
    report = json.loads(out)
    assert report["conflicts"] == ["body.txt"]
    assert report["branch"] == "sp-update"
    assert report["commit"] == git(dest, "rev-parse", "sp-update")
    assert err.splitlines()[:2] == [
        "error: update to blueprint tiny merged with conflicts on branch sp-update in 1 file",
        "  body.txt",
    ]
    assert git(dest, "rev-parse", "HEAD") == head
    assert git(dest, "status", "--porcelain") == ""


def test_new_json_report(
    make_blueprint: MakeBlueprint, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(
        ["new", str(tmp_path / "p"), "-b", str(make_blueprint()), "--defaults", "--json"], capsys
    )
    assert code == ExitCode.OK
    report = json.loads(out)
    assert report["command"] == "new"
    assert "p.txt" in report["files"]["added"]
    assert report["commit"] == git(tmp_path / "p", "rev-parse", "HEAD")
