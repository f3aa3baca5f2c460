"""One real pseudo-terminal run of `stackprint new`: wizard, summary, confirmation, project."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import MakeBlueprint

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    def __init__(self, argv: list[str], cwd: Path) -> None:
        self.master, slave = os.openpty()
        env = {
            **os.environ,
            "TERM": "xterm",
            "COLUMNS": "120",
            "LINES": "40",
            "PROMPT_TOOLKIT_NO_CPR": "1",
        }
        env.pop("CI", None)
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, close_fds=True
        )
        os.close(slave)
        self.screen = ""

    def expect(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text not in ANSI.sub("", self.screen):
            remaining = deadline - time.monotonic()
            assert remaining > 0, (
                f"timed out waiting for {text!r}; screen:\n{ANSI.sub('', self.screen)[-2000:]}"
            )
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    self.screen += os.read(self.master, 65536).decode(errors="replace")
                except OSError:  # the child closed the terminal
                    break

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait(self) -> int:
        """Wait for the exit, reading the rest of what the program printed."""
        while True:
            ready, _, _ = select.select([self.master], [], [], 60)
            try:
                chunk = os.read(self.master, 65536) if ready else b""
            except OSError:  # EIO: the child is gone and the terminal drained
                chunk = b""
            if not chunk:
                break
            self.screen += chunk.decode(errors="replace")
        return self.proc.wait(timeout=60)


def test_wizard_in_a_real_terminal(make_blueprint: MakeBlueprint, tmp_path: Path) -> None:
    blueprint = make_blueprint()
    term = Terminal(
        [
            sys.executable,
            "-m",
            "stackprint",
            "new",
            "shop",
            "--blueprint",
            str(blueprint),
            "--no-git",
        ],
        tmp_path,
    )
    term.expect("Name of the project")
    term.send("\r")  # keep the default taken from the directory name
    term.expect("What to say")
    term.send("\x15hi there\r")
    term.expect("Which flavour")
    term.send("\x1b[B\r")
    term.expect("Say it loudly")
    term.send("n")
    term.expect("Generate the project?")
    term.send("y")
    assert term.wait() == 0
    screen = ANSI.sub("", term.screen)
    assert "Project" in screen  # the group header
    # Only the answers that differ from the defaults; project_name is implied by DEST.
    assert f"new shop --blueprint {blueprint} --defaults" in screen
    assert "--defaults --data 'greeting=hi there' --data flavour=chocolate\r" in screen
    assert "project_name=" not in screen and "shout=" not in screen
    assert re.search(r"destination +\S+/shop\r", screen)
    assert re.search(r"blueprint +tiny\r", screen)
    assert re.search(r"shout +no\r", screen)  # yes/no, not Python's False
    assert (tmp_path / "shop" / "shop.txt").read_text() == "hi there (chocolate)\n"
