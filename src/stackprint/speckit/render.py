"""Rendering the spec-kit documents: shared frames in `blueprints/_speckit/`, stack data
in `blueprints/<name>/speckit/`, facts read from the project on disk."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stackprint.speckit import entities, layout, scan, stack

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from jinja2.sandbox import SandboxedEnvironment

    from stackprint.blueprints import Blueprint

SHARED_DIR = "_speckit"
# Documents of a feature rendered at `new`; `stackprint feature` writes the first two only.
INITIAL_DOCS = {
    "spec.md": "feature/spec.md.jinja",
    "plan.md": "feature/plan.md.jinja",
    "research.md": "feature/research.md.jinja",
    "data-model.md": "feature/data-model.md.jinja",
    "quickstart.md": "feature/quickstart.md.jinja",
    "contracts/README.md": "feature/contracts/README.md.jinja",
    "tasks.md": "feature/tasks.md.jinja",
}
# `add resource` writes the feature of the new resource, as implemented by the generated code.
RESOURCE_FEATURE_DOCS = {
    "spec.md": "feature/spec.md.jinja",
    "plan.md": "feature/plan.md.jinja",
    "data-model.md": "feature/data-model.md.jinja",
    "tasks.md": "feature/tasks.md.jinja",
}
NEW_FEATURE_DOCS = {
    "spec.md": "new-feature/spec.md.jinja",
    "plan.md": "feature/plan.md.jinja",
}
_FENCE = re.compile(r"^\s*(```|~~~)")


def shared_dir() -> Path:
    from stackprint.blueprints import blueprints_root

    return blueprints_root() / SHARED_DIR


def environment(speckit_dir: Path, extensions: tuple[str, ...] = ()) -> SandboxedEnvironment:
    """Templates are looked up in the stack's directory first, then the shared one.

    So a blueprint may replace any shared document: it renders in the sandbox like every
    other template of the blueprint, and its output lands only in the project.
    """
    from jinja2 import FileSystemLoader, StrictUndefined

    from stackprint import sandbox
    from stackprint.jinja_cache import cached

    env = sandbox.environment(
        extensions,
        loader=FileSystemLoader([str(speckit_dir), str(shared_dir())]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    return cached(env, "speckit")


def tidy(text: str) -> str:
    """No trailing spaces, no runs of blank lines outside code blocks, one final newline."""
    out: list[str] = []
    in_code = False
    for line in text.splitlines():
        line = line.rstrip()
        if _FENCE.match(line):
            in_code = not in_code
        if not in_code and not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class FeatureInfo:
    number: str  # "001"
    branch: str  # "001-manage-products", also the spec directory name
    title: str
    description: str
    created: str  # ISO date

    @property
    def directory(self) -> str:
        return f"specs/{self.branch}"


# Words a title keeps in capitals: `products-api` -> `Products API`.
_ACRONYMS = frozenset(
    {"api", "ui", "http", "rest", "grpc", "id", "url", "sql", "json", "csv", "pdf"}
)


def title_of(name: str) -> str:
    """`manage-products` -> `Manage Products`."""
    words = [w for w in re.split(r"[-_\s]+", name) if w]
    return " ".join(w.upper() if w in _ACRONYMS else w.capitalize() for w in words)


def _next_steps(
    project: Path, blueprint: Blueprint, context: Mapping[str, Any], targets: set[str]
) -> list[str]:
    """The blueprint's next steps, minus any `make X` whose target the Makefile lacks and
    any `cp SRC DEST` whose source the project lacks: only commands that work."""
    steps = []
    for rendered in blueprint.render_next_steps(context):
        step = rendered.strip()
        command = step.split("#", 1)[0]
        try:
            words = shlex.split(command)
        except ValueError:
            words = command.split()
        goals = [w for w in words[1:] if "=" not in w and not w.startswith("-")]
        if words[:1] == ["make"] and any(goal not in targets for goal in goals):
            continue
        if words[:1] == ["cp"] and len(goals) == 2 and not (project / goals[0]).exists():
            continue
        steps.append(step)
    return steps


def _tasks(
    project: Path, phases: list[dict[str, Any]], focus: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Number the stack's tasks T001... over all phases; a task whose `glob` matches no file
    of the project is left out, and `{path}` in its text becomes the file it found (one
    named after a `focus` resource, when one is)."""
    number = 0
    out = []
    for phase in phases:
        items = []
        for task in phase.get("items", []):
            text = str(task["text"])
            if task.get("glob"):
                found = scan.matching(project, [str(task["glob"])])
                if not found:
                    continue
                named = [f for f in found if any(name in str(f) for name in focus)]
                text = text.replace("{path}", f"`{(named or found)[0]}`")
            number += 1
            items.append({**task, "id": f"T{number:03d}", "text": text})
        if items:
            out.append({**phase, "items": items})
    return out


def document_context(
    project: Path,
    blueprint: Blueprint,
    context: Mapping[str, Any],
    feature: FeatureInfo,
    *,
    initial: bool,
    focus: Sequence[str] = (),
) -> dict[str, Any]:
    """Everything the templates see; with `focus`, the documents describe only those
    resources (`add resource` writes the feature of the one it adds)."""
    speckit_dir = blueprint.speckit_dir
    data = stack.load(speckit_dir, context, blueprint.templates)
    rows = stack.technical_context(speckit_dir, context, blueprint.templates)
    targets = scan.make_targets(project)
    described = entities.entities(context, blueprint.name)
    if focus:
        described = [e for e in described if e.name in focus]
    depth = feature.directory.count("/") + 1
    return {
        "a": dict(context),
        "stack": data,
        "tc": rows,
        "open_rows": [row for row in rows if row.open],
        "feature": feature,
        "initial": initial,
        "tree": scan.tree(
            project,
            root_name=str(context.get("project_name") or project.name),
            notes=data.get("structure_notes", {}),
        ),
        "make_targets": targets,
        "next_steps": _next_steps(project, blueprint, context, {t.name for t in targets}),
        "endpoints": scan.endpoints(project),
        "contracts": scan.matching(project, list(data.get("contracts", []))),
        "entities": described,
        # Prose for one or several entities: `a customer or invoice`, `customers and invoices`.
        "words": {
            "either": entities.either(described),
            "one": entities.one_of(described),
            "all": entities.all_of(described),
            "fields": entities.field_names(described),
        },
        "tasks": _tasks(project, data.get("tasks", []), focus) if initial else [],
        "root": "../" * depth,  # from specs/NNN-x/ back to the project root
        # Files the documents link to only when the project has them.
        "present": {name: (project / name).is_file() for name in ("Makefile", "README.md")},
        "first_feature": _first_feature(project, feature),
    }


def _first_feature(project: Path, feature: FeatureInfo) -> str:
    from stackprint.speckit import numbering

    dirs = numbering.feature_dirs(project)
    return f"specs/{dirs[0].name}" if dirs else feature.directory


def render_docs(
    project: Path,
    blueprint: Blueprint,
    context: Mapping[str, Any],
    feature: FeatureInfo,
    docs: Mapping[str, str],
    *,
    initial: bool,
    extra: Mapping[str, str] | None = None,
    focus: Sequence[str] = (),
) -> dict[str, str]:
    """`relative path -> text` of every document, rendered before anything is written
    (so the project tree they print is the tree as it was)."""
    env = environment(blueprint.speckit_dir, blueprint.templates.environment_extensions())
    values = document_context(project, blueprint, context, feature, initial=initial, focus=focus)
    out = {}
    for rel, template in {**(extra or {})}.items():
        out[rel] = _render(env, template, values)
    for rel, template in docs.items():
        out[f"{feature.directory}/{rel}"] = _render(env, template, values)
    return out


def _render(env: SandboxedEnvironment, name: str, values: Mapping[str, Any]) -> str:
    from stackprint import sandbox

    with sandbox.naming(f"spec-kit template {name}"):
        return tidy(env.get_template(name).render(values))


def write(project: Path, documents: Mapping[str, str]) -> list[Path]:
    written = []
    for rel, text in documents.items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def initial_extra() -> dict[str, str]:
    return {
        layout.CONSTITUTION: "constitution.md.jinja",
        layout.PLAN_OVERRIDE: "plan-template.md.jinja",
    }
