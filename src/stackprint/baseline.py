"""The baseline of a project: the pristine render of its blueprint, kept in its own history.

`new` commits the pristine render as the project's first commit; each `update` commits the
next pristine render with the previous one as its parent and merges it into the user's
branch. Every clone therefore carries the base of the next three-way merge, and no copy of
an old blueprint is ever needed. Pristine commits are found by their trailer.
"""

from __future__ import annotations

from stackprint import __version__
from stackprint.blueprints import Blueprint

TRAILER = "Stackprint-Pristine"
# On an update's merge commit: the pristine commit it merged. A squash merge drops that
# commit from the history but keeps the message, so the next update can find it again.
MERGED_TRAILER = "Stackprint-Baseline"


def message(title: str, blueprint: Blueprint, version: str = __version__) -> str:
    """A commit message that marks its commit as the pristine render of `blueprint`."""
    return f"{title}\n\n{TRAILER}: {blueprint.source} {version}\n"


def merge_message(title: str, pristine: str) -> str:
    """The message of an update's merge commit, naming the pristine commit it merges."""
    return f"{title}\n\n{MERGED_TRAILER}: {pristine}\n"


def version_key(version: str) -> tuple[int, ...]:
    """`0.10.1` -> (0, 10, 1); pre-release suffixes are ignored."""
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit()) or "0"
        parts.append(int(digits))
    return tuple(parts)
