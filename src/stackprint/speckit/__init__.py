"""The spec-kit layer: the constitution, the stack's plan template and the feature
documents of a generated project; `feature` to start the next one; `check` for CI.

Shared document frames live in `blueprints/_speckit/`, each stack's data in
`blueprints/<name>/speckit/` (`stack.yml`, `plan-template.md.jinja`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stackprint.speckit.check import Finding, check, summary
from stackprint.speckit.feature import Feature, add_feature

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from stackprint.blueprints import Blueprint

__all__ = ["Feature", "Finding", "add_feature", "check", "render_initial", "summary"]


def render_initial(
    project: Path, blueprint: Blueprint, context: Mapping[str, Any], *, created: str
) -> list[Path]:
    """Write .specify/ and specs/001-<feature_name>/ into a freshly rendered project.

    `context` is the answers plus computed values; `created` the ISO date the documents
    print (recorded by `new`, so re-rendering gives the same bytes). A blueprint without
    spec-kit data (no `speckit/stack.yml`) gets no documents. Returns the written paths.
    """
    from stackprint.speckit import layout, numbering, slug, stack
    from stackprint.speckit.render import (
        INITIAL_DOCS,
        FeatureInfo,
        initial_extra,
        render_docs,
        title_of,
        write,
    )

    if not stack.has_stack(blueprint.speckit_dir):
        return []
    name = slug.clean_name(str(context.get("feature_name") or "")) or "first-feature"
    number = numbering.format_number(1)
    info = FeatureInfo(
        number=number,
        branch=slug.branch_name(number, name),
        title=title_of(name),
        description=" ".join(str(context.get("feature_description") or title_of(name)).split()),
        created=created,
    )
    documents = render_docs(
        project, blueprint, context, info, INITIAL_DOCS, initial=True, extra=initial_extra()
    )
    written = write(project, documents)
    written.append(layout.write_feature_pointer(project, info.directory))
    return written
