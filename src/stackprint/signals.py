"""Holding Ctrl-C and SIGTERM while a step must not be cut short."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

_HELD = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends; they are delivered right after.

    The programs started inside (git, and git's hooks) inherit the mask, so a Ctrl-C sent
    to the whole terminal group does not cut them short either: a git command finishes
    and leaves its repository in a state git knows, instead of half a work tree.
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
