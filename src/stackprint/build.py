"""The pristine render of a project: code, generated code and spec documents.

`new` and `update` both build through here, so an update's pristine render is exactly what
`new` would write today.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from stackprint import generators
from stackprint.blueprints import Blueprint
from stackprint.errors import ToolchainError, UnsafeBlueprintError

Progress = Callable[[str], None]
# Directories that are produced by tools, not written by stackprint; left out of listings.
_NOT_LISTED = {".git", "node_modules", ".next", "bin"}


def build(
    work: Path,
    blueprint: Blueprint,
    answers: Mapping[str, Any],
    *,
    created: str,
    trust: bool = False,
    ask: bool = False,
    run_generators: bool = True,
    require_generators: bool = False,
    reuse: generators.Reuse | None = None,
    progress: Progress | None = None,
    output: Progress | None = None,
) -> generators.GeneratorReport:
    """Render the whole project into the new directory `work`: code, generated code, specs.

    `ask` lets Copier ask a template's unanswered questions itself (templates that are not
    stackprint's, whose questions stackprint does not evaluate). `output` gets each line
    the generator steps print.
    """
    from stackprint import render as rendering
    from stackprint import speckit

    note = progress or (lambda _msg: None)
    blueprint = blueprint.with_trust(trust)
    if run_generators and blueprint.generators and not blueprint.trusted:
        raise UnsafeBlueprintError(
            f"blueprint {blueprint.path} runs commands ({blueprint.generators[0].name}); "
            "refusing without --trust" + ("" if require_generators else " (or pass --no-generate)")
        )
    note(f"rendering {blueprint.name}")
    rendering.render(blueprint, work, answers, created=created, ask=ask)
    report = generators.GeneratorReport()
    if run_generators:
        report = generators.run(
            work,
            blueprint.generators,
            progress=lambda s: note(f"generating {s}"),
            reuse=reuse,
            output=output,
        )
    else:
        report.skipped = {step.name: [] for step in blueprint.generators}
    if require_generators and report.skipped:
        missing = sorted({tool for tools in report.skipped.values() for tool in tools})
        raise ToolchainError(f"missing {', '.join(missing)}: the generator steps need them")
    note("writing spec documents")
    speckit.render_initial(work, blueprint, blueprint.context(answers), created=created)
    return report


def listing(root: Path) -> list[str]:
    """Files under `root`, relative and sorted, without tool-made directories."""
    files = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part in _NOT_LISTED for part in rel.parts[:-1]) or rel.parts[0] in _NOT_LISTED:
            continue
        if path.is_file():
            files.append(rel.as_posix())
    return sorted(files)
