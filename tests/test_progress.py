"""Progress and colour: a live line with elapsed time on a terminal, nothing in a pipe,
no colour with NO_COLOR, and the tools' own output with --verbose."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from stackprint import console
from tests.conftest import SMALL_COPIER_YML, MakeBlueprint
from tests.test_wizard_pty import ANSI, Terminal

SGR = re.compile(r"\x1b\[[0-9;]*m")  # colour and style sequences only


def waiting_blueprint(make_blueprint: MakeBlueprint, release: Path) -> Path:
    """A generator step that says what it does, then runs until the test lets it finish."""
    script = (
        f"echo building widget v1: first run only; while [ ! -e {release} ]; do sleep 0.05; done"
    )
    step = f"  generators:\n    - name: widgets\n      run: [sh, -c, '{script}']\n"
    return make_blueprint(
        copier_yml=SMALL_COPIER_YML.replace("_stackprint:\n", "_stackprint:\n" + step)
    )


def command(blueprint: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "stackprint", "new", "shop", "-b", str(blueprint),
        "--defaults", "--trust", "--no-git", *extra,
    ]  # fmt: skip


def test_a_terminal_shows_the_running_step_with_elapsed_time_and_colour(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    release = tmp_path / "release"
    term = Terminal(command(waiting_blueprint(make_blueprint, release)), tmp_path)
    # While the step runs: its name, the seconds so far and the tool's latest line.
    term.expect("building widget v1: first run only")
    screen = ANSI.sub("", term.screen)
    assert re.search(r"generating widgets \d+s · building widget v1", screen), screen
    release.touch()
    assert term.wait() == 0
    screen = ANSI.sub("", term.screen)
    assert re.search(r"✓ generating widgets \(\d+\.\ds\)", screen)
    assert SGR.search(term.screen)  # the ✓ and the success line are coloured
    assert (tmp_path / "shop" / "shop.txt").is_file()


def test_no_color_keeps_progress_but_drops_colour(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    release = tmp_path / "release"
    blueprint = waiting_blueprint(make_blueprint, release)
    term = Terminal(
        command(blueprint, "--data", "flavour=mint"),
        tmp_path,
        env={"NO_COLOR": "1"},
    )
    assert term.wait() == 2
    assert "error: invalid value for 'flavour'" in term.screen
    assert not SGR.search(term.screen)  # not even the error is coloured

    term = Terminal(command(blueprint), tmp_path, env={"NO_COLOR": "1"})
    term.expect("building widget v1")
    release.touch()
    assert term.wait() == 0
    assert "generating widgets" in term.screen
    assert not SGR.search(term.screen)


def test_a_pipe_gets_no_progress_and_no_colour(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    release = tmp_path / "release"
    release.touch()
    blueprint = waiting_blueprint(make_blueprint, release)
    done = subprocess.run(
        command(blueprint), cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "generating" not in done.stderr and "building widget" not in done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "\r" not in done.stderr
    assert "Created" in done.stdout

    elsewhere = tmp_path / "again"
    elsewhere.mkdir()
    verbose = subprocess.run(
        command(blueprint, "--verbose"),
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert verbose.returncode == 0, verbose.stderr
    assert "generating widgets ..." in verbose.stderr
    assert "building widget v1: first run only" in verbose.stderr  # the tool's own output
    assert "\x1b" not in verbose.stderr


class FakeTerminal(io.TextIOWrapper):
    """A terminal-looking stream of the given encoding, kept in memory."""

    def __init__(self, encoding: str) -> None:
        super().__init__(io.BytesIO(), encoding=encoding, errors="strict")

    def isatty(self) -> bool:
        return True

    def text(self) -> str:
        self.flush()
        buffer = self.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue().decode(self.encoding)


def test_a_terminal_that_cannot_show_unicode_gets_ascii_progress(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    stream = FakeTerminal("latin-1")
    shown = console.Progress(stream, live=True, verbose=False)
    shown.step("rendering")
    shown.output("building widget v1")
    shown.close()
    text = stream.text()
    assert "rendering 0s - building widget v1" in text
    assert re.search(r"ok rendering \(\d+\.\ds\)\n", text)


def test_paint_follows_the_stream_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    tty = FakeTerminal("utf-8")
    assert console.paint("done", "success", tty) == "\x1b[32mdone\x1b[0m"
    assert console.paint("done", "success", io.StringIO()) == "done"  # not a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    assert console.paint("done", "success", tty) == "done"
