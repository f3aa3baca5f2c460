"""Missing tools: `doctor` reports them (exit 3) and `new` still renders, skipping generators."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from stackprint.cli import main
from stackprint.errors import ExitCode


@pytest.fixture
def only_git_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PATH with git (and a shell) but no go, node, npm or make."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for tool in ("git", "sh"):
        found = shutil.which(tool)
        assert found is not None
        (bindir / tool).symlink_to(found)
    monkeypatch.setenv("PATH", str(bindir))


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.mark.usefixtures("only_git_on_path")
def test_doctor_reports_missing_tools_with_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["doctor"], capsys)
    assert code == ExitCode.TOOLCHAIN
    status = {line.split()[1]: line.split()[0] for line in out.splitlines() if "  " in line}
    assert status["go"] == "missing"
    assert status["git"] == "ok"
    # The projects fetch their pinned protoc themselves: none is needed on PATH, and
    # nothing suggests that stackprint's would do.
    assert "protoc" not in status
    assert "protoc" not in out


@pytest.mark.usefixtures("only_git_on_path")
def test_doctor_json_lists_each_tool(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["doctor", "--json"], capsys)
    assert code == ExitCode.TOOLCHAIN
    report = json.loads(out)
    tools = {tool["name"]: tool for tool in report["tools"]}
    assert report["ok"] is False
    assert (tools["go"]["ok"], tools["go"]["path"]) == (False, None)
    assert tools["git"]["ok"] is True
    assert err.startswith("error: missing or too old: ") and "go" in err


@pytest.mark.usefixtures("only_git_on_path")
def test_new_without_go_renders_and_says_what_to_run_later(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "svc"
    code, out, err = _run(["new", str(dest), "-b", "go-api", "--defaults"], capsys)
    assert code == 0, err
    assert "warning: skipped generator" in err
    assert "missing go" in err and "make generate" in err
    assert (dest / "go.mod").is_file()
    assert (dest / ".git").is_dir()
    assert f"Created {dest}" in out
