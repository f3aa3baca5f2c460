"""`stackprint new` on bad input: one line on stderr, exit code 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackprint.cli import main
from stackprint.errors import ExitCode


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "project_name=Not Valid"], "invalid value for 'project_name'"),
        (["--data", "module_path=Foo Bar/x"], "invalid value for 'module_path'"),
        (["--data", "module_path=github.com//x"], "invalid value for 'module_path'"),
        (["--data", "resources=[{name: type, fields: [a:string]}]"], "reserved word in Go"),
        (
            ["--data", "resources=[{name: 2fast, fields: [a:string]}]"],
            "invalid value for 'resources'",
        ),
        (["--data", "resources=[{name: product, fields: [func:string]}]"], "field 'func'"),
        (["--data", "resources=[{name: product, fields: [my-field:string]}]"], "field 'my-field"),
        (["--data", "resources=[{name: product, fields: [price:money]}]"], "unknown type 'money'"),
        (["--data", "colour=red"], "unknown question 'colour'"),
        (["--data", "resource"], "--data expects KEY=VALUE"),
        (["--blueprint", "no-such-blueprint"], "unknown blueprint 'no-such-blueprint'"),
    ],
)
def test_invalid_input_is_one_line_exit_2_and_writes_nothing(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "proj"
    argv = ["new", str(dest), "--defaults", "--no-git", "--no-generate"]
    if "--blueprint" not in args:
        argv += ["--blueprint", "go-api"]
    code, _, err = run_cli(argv + args, capsys)
    assert code == ExitCode.USAGE
    assert message in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ")
    assert list(tmp_path.iterdir()) == []


def test_invalid_project_name_from_the_directory_says_how_to_fix_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(
        ["new", str(tmp_path / "My Project"), "-b", "go-api", "--defaults"], capsys
    )
    assert code == ExitCode.USAGE
    assert "taken from the destination's name; pass --data project_name=NAME" in err
    assert list(tmp_path.iterdir()) == []


def test_existing_non_empty_destination_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "proj"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    code, _, err = run_cli(["new", str(dest), "-b", "go-api", "--defaults"], capsys)
    assert code == ExitCode.USAGE
    assert err.strip() == f"error: destination {dest} exists and is not empty"
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("resource: [unclosed\n", "is not valid YAML"),
        ("project_name: shop\ncolour: red\n", "unknown question 'colour'"),
        ("just a string\n", "must be a mapping"),
    ],
)
def test_bad_answers_file_is_refused(
    text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(text)
    dest = tmp_path / "proj"
    code, _, err = run_cli(
        ["new", str(dest), "-b", "go-api", "--defaults", "-a", str(answers)], capsys
    )
    assert code == ExitCode.USAGE
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not dest.exists()


def test_missing_answer_without_terminal_names_key_and_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(["new", str(tmp_path / "proj"), "-b", "go-api"], capsys)
    assert code == ExitCode.USAGE
    assert "no answer for 'project_description'" in err
    assert "--data project_description=VALUE" in err
    assert "no terminal" in err


def test_no_blueprint_and_no_terminal_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(["new", str(tmp_path / "proj")], capsys)
    assert code == ExitCode.USAGE
    assert "pass --blueprint NAME" in err


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    from stackprint import __version__

    code, out, _ = run_cli(["--version"], capsys)
    assert (code, out) == (0, f"stackprint {__version__}\n")
    code, out, _ = run_cli(["new", "--help"], capsys)
    assert code == 0
    for flag in (
        "--blueprint",
        "--data",
        "--answers-file",
        "--defaults",
        "--pretend",
        "--no-git",
        "--quiet",
    ):
        assert flag in out


def test_version_alone_answers_without_importing_typer_or_copier() -> None:
    import subprocess
    import sys

    probe = (
        "import atexit, sys; from stackprint.cli import main\n"
        "atexit.register(lambda: print(sorted("
        "m for m in ('typer', 'copier', 'git', 'questionary') if m in sys.modules)))\n"
        "main(['--version'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "[]"
    # With other arguments typer parses as usual: the eager option still wins.
    code_and_out = subprocess.run(
        [sys.executable, "-m", "stackprint", "-V", "blueprints"], capture_output=True, text=True
    )
    assert (code_and_out.returncode, code_and_out.stdout.startswith("stackprint ")) == (0, True)


def test_blueprints_lists_each_with_a_title_and_shows_questions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_cli(["blueprints"], capsys)
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert "go-api" in names
    code, out, _ = run_cli(["blueprints", "go-api"], capsys)
    assert code == 0
    assert "Technical Context" in out
    assert "--resource NAME[/PLURAL]=FIELD,FIELD,..." in out
    assert "default: --resource 'product=name:string," in out
