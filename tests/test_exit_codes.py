"""The README's exit-code table is the one the command line uses."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from stackprint.cli import main
from stackprint.errors import ExitCode
from tests.conftest import MakeBlueprint

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_codes() -> dict[int, str]:
    section = README.read_text().split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    return {
        int(m.group(1)): m.group(2).strip()
        for m in re.finditer(r"^\| (\d+) \| (.+) \|$", section, re.M)
    }


def exit_code(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as info:
        main(argv)
    return int(info.value.code or 0)


def test_readme_lists_exactly_the_exit_codes_stackprint_has() -> None:
    assert set(readme_codes()) == {int(code) for code in ExitCode}


def test_each_documented_code_is_what_the_cli_returns(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    root = make_blueprint(files={"body.txt": "a\nb\nc\n"})
    project = tmp_path / "proj"
    assert exit_code(["new", str(project), "-b", str(root), "--defaults"]) == ExitCode.OK
    assert (
        exit_code(["new", str(tmp_path / "x"), "-b", str(root), "--data", "flavour=mint"])
        == ExitCode.USAGE
    )

    (project / "body.txt").write_text("a\nmine\nc\n")
    assert exit_code(["update", str(project)]) == ExitCode.REFUSED  # uncommitted changes
    subprocess.run(
        ["git", "-c", "user.name=u", "-c", "user.email=u@x", "commit", "-qam", "edit"],
        cwd=project,
        check=True,
    )
    (root / "template" / "body.txt").write_text("a\ntheirs\nc\n")
    assert exit_code(["update", str(project), "--check"]) == ExitCode.OUTDATED
    assert exit_code(["update", str(project)]) == ExitCode.FINDINGS  # conflict

    assert "interrupted" in readme_codes()[ExitCode.INTERRUPTED]
    assert "missing" in readme_codes()[ExitCode.TOOLCHAIN]
    assert "update --check" in readme_codes()[ExitCode.OUTDATED]


def test_ctrl_c_while_the_command_line_is_still_loading_is_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Ctrl-C can land while typer and the commands are imported, before any command's
    # own handling: it must still be the documented code, not death by SIGINT.
    import stackprint.cli as cli

    def interrupted(args: list[str]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run", interrupted)
    assert exit_code(["doctor"]) == ExitCode.INTERRUPTED
    assert capsys.readouterr().err == "interrupted\n"
