"""One real pseudo-terminal run of `stackprint new`: wizard, summary, confirmation, project."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.conftest import MakeBlueprint

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    def __init__(
        self,
        argv: list[str],
        cwd: Path,
        columns: int = 120,
        env: dict[str, str] | None = None,
    ) -> None:
        self.master, slave = os.openpty()
        # The size prompt_toolkit and shutil read from the terminal itself.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
        env = {
            **os.environ,
            "TERM": "xterm",
            "COLUMNS": str(columns),
            "LINES": "40",
            "PROMPT_TOOLKIT_NO_CPR": "1",
            **(env or {}),
        }
        env.pop("CI", None)
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, close_fds=True
        )
        os.close(slave)
        self.screen = ""

    def expect(self, text: str, timeout: float = 20, after: str | None = None) -> None:
        """Wait until `text` is on screen (after the last `after`, when given)."""
        deadline = time.monotonic() + timeout

        def seen() -> bool:
            screen = ANSI.sub("", self.screen)
            if after is not None:
                if after not in screen:
                    return False
                screen = screen[screen.rindex(after) :]
            return text in screen

        while not seen():
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

    def answer(self, *steps: tuple[str, str]) -> None:
        """For each (prompt, keys): wait for the prompt, then type the keys."""
        for prompt, keys in steps:
            self.expect(prompt)
            self.send(keys)

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
    term.answer(
        ("Name of the project", "\r"),  # keep the default taken from the directory name
        ("What to say", "\x15hi there\r"),
        ("Which flavour", "\x1b[B\r"),
        ("Say it loudly", "n"),
        ("Generate the project?", "y"),
    )
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


def stackprint(*args: str) -> list[str]:
    return [sys.executable, "-m", "stackprint", *args]


def test_a_bad_data_value_is_reported_before_any_question(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    blueprint = make_blueprint()
    term = Terminal(
        stackprint("new", "shop", "-b", str(blueprint), "--data", "flavour=mint"), tmp_path
    )
    assert term.wait() == 2
    screen = ANSI.sub("", term.screen)
    assert "error: invalid value for 'flavour': 'mint' is not one of" in screen
    assert "Name of the project" not in screen  # nothing was asked, so nothing typed is lost
    assert not (tmp_path / "shop").exists()


def test_a_bad_answers_file_is_reported_before_any_question(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    (tmp_path / "answers.yml").write_text("shout: maybe\n")
    term = Terminal(
        stackprint("new", "shop", "-b", str(make_blueprint()), "-a", "answers.yml"), tmp_path
    )
    assert term.wait() == 2
    screen = ANSI.sub("", term.screen)
    assert "'maybe' is not a yes/no value" in screen and "Name of the project" not in screen


def test_a_long_validation_message_is_wrapped_at_80_columns(tmp_path: Path) -> None:
    given = {
        "project_name": "shop",
        "project_description": "A shop",
        "module_path": "example.com/shop",
    }
    data = [arg for key, value in given.items() for arg in ("--data", f"{key}={value}")]
    term = Terminal(stackprint("new", "shop", "-b", "go-api", *data), tmp_path, columns=80)
    term.expect("Resource 1")
    term.send("\x15item=name:strin\r")
    term.expect("ref(...))")  # the end of the list of types, which a cut line never showed
    screen = ANSI.sub("", term.screen)
    message = screen[screen.rindex("field 'name:strin'") :].split("?", 1)[0]
    lines = [line for line in re.split(r"\r?\n|\r", message) if line.strip()]
    assert len(lines) >= 2, message
    assert all(len(line) <= 80 for line in lines), lines
    flat = " ".join(line.strip() for line in lines)
    assert "unknown type 'strin' (use string, text, int, bigint, float" in flat
    # Asked again with what was typed: mend it, and the wizard goes on.
    term.expect("Resource 1", after="ref(...))")
    term.send("\x15item=name:string\r")
    term.expect("Add another resource?")
    term.send("\x03")
    assert term.wait() == 130
    assert not (tmp_path / "shop").exists()


def test_ctrl_d_at_a_question_exits_130(make_blueprint: MakeBlueprint, tmp_path: Path) -> None:
    term = Terminal(stackprint("new", "shop", "-b", str(make_blueprint())), tmp_path)
    term.expect("Name of the project")
    term.send("\r")
    term.expect("What to say")
    term.send("\x15\x04")  # Ctrl-D on an empty line, as a shell reads it: end of input
    assert term.wait() == 130
    screen = ANSI.sub("", term.screen)
    assert "interrupted" in screen and "Aborted" not in screen and "Traceback" not in screen
    assert not (tmp_path / "shop").exists()


def test_update_ask_has_groups_summary_and_confirmation(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    blueprint = make_blueprint()
    made = subprocess.run(
        stackprint("new", "shop", "-b", str(blueprint), "--defaults", "-q"),
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    project = tmp_path / "shop"
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project, capture_output=True).stdout
    (project / "sub").mkdir()  # empty, so git sees no change
    term = Terminal(stackprint("update", "--ask"), project / "sub")  # from a subfolder
    term.answer(
        ("Name of the project", "\r"),
        ("What to say", "\r"),
        ("Which flavour", "\x1b[B\r"),
        ("Say it loudly", "y"),
        ("Update the project with these answers?", "n"),
    )
    assert term.wait() == 1
    screen = ANSI.sub("", term.screen)
    assert "Project\r" in screen  # the group header, as in `new`
    assert re.search(r"destination +\S+/shop\r", screen)
    assert re.search(r"flavour +chocolate\r", screen) and re.search(r"shout +yes\r", screen)
    assert "cancelled: nothing was changed" in screen
    assert (
        subprocess.run(["git", "rev-parse", "HEAD"], cwd=project, capture_output=True).stdout
        == head
    )
