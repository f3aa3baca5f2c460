"""`stackprint blueprints`: list the blueprints, or show one's questions."""

from __future__ import annotations

import typer


def blueprints(
    name: str = typer.Argument(None, help="Show this blueprint's questions."),
) -> None:
    """List the bundled blueprints, one line each; with NAME, its questions and defaults."""
    from stackprint import blueprints as bp
    from stackprint.answers import context_of

    if name is None:
        names = bp.available()
        width = max(map(len, names), default=0)
        for each in names:
            typer.echo(f"{each.ljust(width)}  {bp.load(each).title}")
        return
    chosen = bp.load(name)
    typer.echo(f"{chosen.name}: {chosen.title}")
    if not chosen.native:
        typer.echo("A plain Copier template: Copier asks its questions (pass them as --data).")
        return
    context = context_of(chosen.questions, {})
    by_name = {q.name: q for q in chosen.questions}
    for group, names in chosen.groups.items():
        typer.echo(f"\n{group}")
        for key in names:
            question = by_name[key]
            choices = question.choice_list(context)
            kind = "|".join(str(c.value) for c in choices) if choices else question.type
            typer.echo(f"  --data {key}=<{kind}>  (default: {context.get(key)})")
            if question.help:
                typer.echo(f"      {question.help.splitlines()[0]}")
