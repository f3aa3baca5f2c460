"""Shell completion: blueprint names for --blueprint, question keys for --data."""

from __future__ import annotations

from pathlib import Path

import typer


def complete_blueprint(incomplete: str) -> list[str]:
    from stackprint import blueprints

    return [name for name in blueprints.available() if name.startswith(incomplete)]


def complete_data(ctx: typer.Context, incomplete: str) -> list[str]:
    """`KEY=` for each question of the chosen blueprint (`--blueprint`, or the project's
    for `update`), else of every bundled blueprint; after `KEY=`, the question's choices."""
    from stackprint import blueprints
    from stackprint.errors import StackprintError

    chosen: list[blueprints.Blueprint] = []
    try:
        if ctx.params.get("blueprint"):
            chosen = [blueprints.load(str(ctx.params["blueprint"]))]
        elif isinstance(ctx.params.get("path"), Path):
            from stackprint import project

            chosen = [project.read(project.find_root(ctx.params["path"])).blueprint]
    except StackprintError:
        chosen = []
    if not chosen:
        chosen = [blueprints.load(name) for name in blueprints.available()]
    key, sep, value = incomplete.partition("=")
    out: list[str] = []
    for blueprint in chosen:
        for question in blueprint.questions:
            if question.computed:
                continue
            if not sep and question.name.startswith(key):
                out.append(f"{question.name}=")
            elif sep and question.name == key:
                try:
                    values = [str(c.value) for c in question.choice_list({})]
                except Exception:  # choices templated over other answers: offer none
                    values = []
                if question.type == "bool":
                    values = ["true", "false"]
                out += [f"{key}={v}" for v in values if v.startswith(value)]
    return sorted(dict.fromkeys(out))
