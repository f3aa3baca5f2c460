"""Feature numbers: the next free `NNN` after the spec directories and the git branches."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

SPECS_DIR = "specs"
# spec-kit's sequential prefix: three or more digits, then '-'.
_NUMBERED = re.compile(r"^(\d{3,})-")
# spec-kit's --timestamp prefix (YYYYMMDD-HHMMSS-), which is not a feature number.
_TIMESTAMP = re.compile(r"^\d{8}-\d{6}-")


def number_of(name: str) -> int | None:
    """The feature number a spec directory or branch name starts with, if any."""
    if _TIMESTAMP.match(name):
        return None
    match = _NUMBERED.match(name)
    return int(match.group(1)) if match else None


def format_number(number: int) -> str:
    """Zero padded to three digits, as spec-kit writes it: 7 -> '007', 1234 -> '1234'."""
    return f"{number:03d}"


def feature_dirs(project: Path) -> list[Path]:
    """Spec directories of numbered (or timestamped) features, sorted by name."""
    specs = project / SPECS_DIR
    if not specs.is_dir():
        return []
    return sorted(
        p
        for p in specs.iterdir()
        if p.is_dir() and (_NUMBERED.match(p.name) or _TIMESTAMP.match(p.name))
    )


def highest(names: Iterable[str]) -> int:
    """The highest feature number among names; 0 when none is numbered."""
    return max((n for n in map(number_of, names) if n is not None), default=0)


def next_number(project: Path, branches: Iterable[str] = ()) -> int:
    """One more than the highest number used by a spec directory or a branch.

    Branches count too, so a feature started on another branch (whose spec directory is
    not checked out here) does not get its number taken.
    """
    used = [p.name for p in feature_dirs(project)]
    return max(highest(used), highest(branches)) + 1


def dirs_with_number(project: Path, number: int) -> list[Path]:
    """Spec directories that already use `number`."""
    return [p for p in feature_dirs(project) if number_of(p.name) == number]
