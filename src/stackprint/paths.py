"""Where stackprint's files are: the bundled blueprints and the user's cache.

Kept apart from the modules that use them so that low-level ones (the template cache,
generators) never have to import the blueprint loader to find a directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from stackprint.errors import StackprintError


def blueprints_root() -> Path:
    """Where the bundled blueprints are: inside the wheel, or at the root of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "blueprints", here.parents[1] / "blueprints"):
        if candidate.is_dir():
            return candidate
    raise StackprintError("the bundled blueprints are missing: reinstall stackprint")


def cache_dir() -> Path:
    """`$XDG_CACHE_HOME/stackprint`, else `~/.cache/stackprint`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stackprint"
