"""A blueprint's spec-kit data (`speckit/stack.yml`) and the Technical Context it implies.

The Technical Context rows are computed here, once, for the documents that print them
and for `check`, which compares a plan against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stackprint.errors import StackprintError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

    from stackprint.questions import Templates

STACK_FILE = "stack.yml"
OPEN = "NEEDS CLARIFICATION"


@dataclass(frozen=True)
class ContextRow:
    """One `**Label**: value` line of a plan's Technical Context."""

    label: str
    value: str
    answer: str | None = None  # the question it comes from, if any
    from_answers: bool = False  # True when the value follows from the recorded answers

    @property
    def open(self) -> bool:
        return self.value == OPEN


def is_open(value: Any) -> bool:
    """An answer the user left open: empty, or `NEEDS CLARIFICATION` (any case, bracketed)."""
    if value is None:
        return True
    text = str(value).strip().strip("[]").strip()
    return not text or text.upper().startswith(OPEN)


def stack_file(speckit_dir: Path) -> Path:
    return speckit_dir / STACK_FILE


def has_stack(speckit_dir: Path) -> bool:
    return stack_file(speckit_dir).is_file()


def load(
    speckit_dir: Path, context: Mapping[str, Any], templates: Templates | None = None
) -> dict[str, Any]:
    """The stack data with every Jinja string rendered against `context`, by the
    blueprint's `templates` (sandboxed, with its trusted extensions)."""
    import yaml

    from stackprint import yamlio

    path = stack_file(speckit_dir)
    try:
        data = yamlio.load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StackprintError(
            f"cannot read the spec-kit data of the blueprint: {path}: {exc}"
        ) from exc
    if not isinstance(data, dict):
        raise StackprintError(f"{path} must be a mapping")
    rendered = _render_all(data, _renderer(path, context, templates))
    assert isinstance(rendered, dict)
    return rendered


def _renderer(
    path: Path, context: Mapping[str, Any], templates: Templates | None
) -> Callable[[str], str]:
    from stackprint.questions import PLAIN

    chosen = templates or PLAIN

    def render(text: str) -> str:
        return chosen.render(text, context, where=str(path))

    return render


def _render_all(value: Any, render: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return render(value).strip() if ("{{" in value or "{%" in value) else value.strip()
    if isinstance(value, list):
        return [_render_all(v, render) for v in value]
    if isinstance(value, dict):
        return {k: _render_all(v, render) for k, v in value.items()}
    return value


def technical_context(
    speckit_dir: Path, context: Mapping[str, Any], templates: Templates | None = None
) -> list[ContextRow]:
    """The rows of the stack's Technical Context, filled from the answers."""

    from stackprint import yamlio

    path = stack_file(speckit_dir)
    raw = yamlio.load(path.read_text(encoding="utf-8")) or {}
    render = _renderer(path, context, templates)
    rows = []
    for entry in raw.get("technical_context", []):
        label = str(entry["label"])
        answer = entry.get("answer")
        if answer:
            value = OPEN if is_open(context.get(answer)) else " ".join(str(context[answer]).split())
            rows.append(ContextRow(label, value, answer=str(answer), from_answers=True))
        else:
            template = str(entry["value"])
            templated = "{{" in template or "{%" in template
            value = _render_all(template, render) if templated else template.strip()
            rows.append(ContextRow(label, " ".join(value.split()), from_answers=templated))
    return rows
