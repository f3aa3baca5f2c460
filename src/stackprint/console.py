"""What the commands print on stderr: coloured errors, warnings and success, and progress.

On a terminal, long steps show a spinner line with the step, its elapsed time and the
latest line the tool printed; finished steps stay as one line each. In a pipe there is no
progress at all (logs stay clean), and there is no colour in a pipe or with `NO_COLOR`
(https://no-color.org). `--verbose` prints the tools' own output as it arrives.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

_SGR = {"error": "1;31", "warning": "33", "success": "32", "dim": "2"}
_FRAME_SECONDS = 0.1
# (spinner frames, done, failed, separator, cut) for terminals that can show them, and
# for those whose encoding cannot (e.g. Latin-1), where the fancy ones would not encode.
_UNICODE = ("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏", "✓", "✗", "·", "…")
_ASCII = ("|/-\\", "ok", "x", "-", "...")


def _glyphs(stream: TextIO) -> tuple[str, str, str, str, str]:
    try:
        "".join(_UNICODE).encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return _ASCII
    return _UNICODE


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal that can show it, and never when NO_COLOR is set."""
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def paint(text: str, kind: str, stream: TextIO | None = None) -> str:
    """`text` in the colour for `kind` (error, warning, success, dim) when `stream` shows colour."""
    if not use_colour(stream or sys.stderr):
        return text
    return f"\x1b[{_SGR[kind]}m{text}\x1b[0m"


def error_line(message: str) -> str:
    return f"{paint('error:', 'error')} {message}"


def warning_line(message: str) -> str:
    return f"{paint('warning:', 'warning')} {message}"


def _width(stream: TextIO) -> int:
    return shutil.get_terminal_size((80, 24)).columns if is_terminal(stream) else 80


class Progress:
    """Receives step names (`step`) and tool output lines (`output`) from the library."""

    def __init__(self, stream: TextIO, *, live: bool, verbose: bool) -> None:
        self._stream = stream
        self._live = live
        self._verbose = verbose
        self._lock = threading.Lock()
        self._step: str | None = None
        self._started = 0.0
        self._latest = ""
        self._frame = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._spinner, self._done, self._failed, self._sep, self._cut = _glyphs(stream)

    def step(self, message: str) -> None:
        with self._lock:
            self._finish_step()
            self._step, self._started, self._latest = message, time.monotonic(), ""
            if not self._live and self._verbose:
                self._write(f"{message} ...\n")
            self._draw()
        if self._live and self._thread is None:
            self._thread = threading.Thread(target=self._animate, daemon=True)
            self._thread.start()

    def output(self, line: str) -> None:
        with self._lock:
            self._latest = line.strip()
            if self._verbose:
                self._clear()
                self._write(f"{paint('  │', 'dim', self._stream)} {line}\n")
            self._draw()

    def close(self, *, failed: bool = False) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._finish_step(failed=failed)

    def _animate(self) -> None:
        while not self._stop.wait(_FRAME_SECONDS):
            with self._lock:
                self._frame += 1
                self._draw()

    def _finish_step(self, *, failed: bool = False) -> None:
        if self._step is None or not self._live:
            return
        elapsed = time.monotonic() - self._started
        mark = (
            paint(self._failed, "error", self._stream)
            if failed
            else paint(self._done, "success", self._stream)
        )
        self._clear()
        self._write(f"{mark} {self._step} ({elapsed:.1f}s)\n")
        self._step = None

    def _draw(self) -> None:
        if not self._live or self._step is None:
            return
        elapsed = time.monotonic() - self._started
        spinner = self._spinner[self._frame % len(self._spinner)]
        line = f"{spinner} {self._step} {elapsed:.0f}s"
        if self._latest and not self._verbose:
            line += f" {self._sep} {self._latest}"
        limit = _width(self._stream) - 1
        if len(line) > limit:
            line = line[: max(limit - len(self._cut), 0)] + self._cut
        self._write(f"\r\x1b[K{line}")

    def _clear(self) -> None:
        if self._live:
            self._write("\r\x1b[K")

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()


@contextmanager
def progress(*, quiet: bool = False, verbose: bool = False) -> Iterator[Progress]:
    """Progress on stderr: live on a terminal, silent in a pipe unless `verbose`."""
    stream = sys.stderr
    shown = Progress(stream, live=is_terminal(stream) and not quiet, verbose=verbose)
    try:
        yield shown
    except BaseException:
        shown.close(failed=True)
        raise
    shown.close()
