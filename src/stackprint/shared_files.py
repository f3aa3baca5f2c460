"""Files that several bundled blueprints write alike, kept once in `blueprints/_shared/`.

A blueprint's template writes one with `{{ 'go/testdb/embedded.go' | shared_file }}`: the
file's text as it is, not rendered, so one edit reaches every blueprint.
"""

from __future__ import annotations

from functools import lru_cache

SHARED_DIR = "_shared"


@lru_cache(maxsize=32)
def shared_file(name: str) -> str:
    """The text of `blueprints/_shared/<name>`."""
    from jinja2 import TemplateRuntimeError

    from stackprint.paths import blueprints_root

    root = (blueprints_root() / SHARED_DIR).resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise TemplateRuntimeError(f"stackprint has no shared file {name!r} in blueprints/_shared")
    return path.read_text(encoding="utf-8")
