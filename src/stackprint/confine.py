"""Symbolic links that would let a blueprint read or write outside its place.

A link inside a blueprint pointing elsewhere would let its templates include any file
of the user's (`{% include %}` and the spec-kit loader follow links), and a link Copier
writes into a project (`_preserve_symlinks`) would make stackprint's own later writes
(answers file, spec documents) land outside the destination. Both are refused.
"""

from __future__ import annotations

import os
from pathlib import Path

from stackprint.errors import UnsafeBlueprintError


def links_leaving(root: Path) -> list[Path]:
    """Symbolic links under `root` (not followed) whose target lies outside `root`."""
    top = root.resolve()
    leaving = []
    for directory, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in [*dirs, *files]:
            path = Path(directory, name)
            if path.is_symlink() and not path.resolve().is_relative_to(top):
                leaving.append(path)
    return sorted(leaving)


def refuse_links_leaving(root: Path, what: str) -> None:
    """Raise naming the first link under `root` that leaves it; `what` names `root`."""
    leaving = links_leaving(root)
    if leaving:
        link = leaving[0]
        raise UnsafeBlueprintError(
            f"{link}: a symbolic link in {what} points outside it (to {link.readlink()}); "
            "refusing to follow it"
        )
