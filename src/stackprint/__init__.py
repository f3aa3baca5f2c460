"""stackprint: scaffold spec-driven, multi-stack projects from blueprints and keep them in step.

The library API (`stackprint.new`, `update`, `add_resource`, `add_field`,
`remove_resource`, `feature`, `check`, `doctor`, see
`stackprint.api`) is what the command line calls; scripts may call it directly. The
functions are loaded on first use, and heavy modules (copier, gitpython, questionary) only
when a command needs them, so `import stackprint` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = (
    "new",
    "update",
    "add_resource",
    "add_field",
    "remove_resource",
    "feature",
    "check",
    "doctor",
)

__all__ = [
    "__version__",
    "add_field",
    "add_resource",
    "check",
    "doctor",
    "feature",
    "new",
    "remove_resource",
    "update",
]

if TYPE_CHECKING:
    from stackprint.api import (
        add_field,
        add_resource,
        check,
        doctor,
        feature,
        new,
        remove_resource,
        update,
    )


def __getattr__(name: str) -> Any:
    if name in _API:
        from stackprint import api

        return getattr(api, name)
    raise AttributeError(f"module 'stackprint' has no attribute {name!r}")
