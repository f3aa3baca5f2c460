"""Where spec-kit keeps things in a project, as its own scripts expect them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

SPECIFY = ".specify"
CONSTITUTION = ".specify/memory/constitution.md"
# spec-kit's template resolution looks here first (project overrides win over presets,
# extensions and the core templates), so every /speckit.plan starts from this stack's plan.
PLAN_OVERRIDE = ".specify/templates/overrides/plan-template.md"
FEATURE_JSON = ".specify/feature.json"
FEATURE_CORE = ("spec.md", "plan.md")
FEATURE_DESIGN = ("research.md", "data-model.md", "quickstart.md", "contracts")


def write_feature_pointer(project: Path, feature_dir: str) -> Path:
    """Record the current feature the way spec-kit's scripts do (relative to the root)."""
    path = project / FEATURE_JSON
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"feature_directory": feature_dir}, indent=2) + "\n", encoding="utf-8"
    )
    return path


def read_feature_pointer(project: Path) -> str | None:
    path = project / FEATURE_JSON
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("feature_directory") if isinstance(data, dict) else None
    return str(value) if value else None
