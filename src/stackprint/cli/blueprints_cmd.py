"""`stackprint blueprints`: list the blueprints, or show one's questions."""

from __future__ import annotations

import typer

from stackprint.cli.completion import complete_blueprint
from stackprint.cli.options import Trust


def blueprints(
    name: str = typer.Argument(
        None,
        metavar="NAME",
        autocompletion=complete_blueprint,
        help="Show this blueprint's questions.",
    ),
    trust: Trust = False,
) -> None:
    """List the bundled blueprints, one line each; with NAME, its questions and defaults."""
    from stackprint import blueprints as bp
    from stackprint.answers import context_of
    from stackprint.resources import question as resource_question

    if name is None:
        names = bp.available()
        width = max(map(len, names), default=0)
        for each in names:
            typer.echo(f"{each.ljust(width)}  {bp.load(each).title}")
        return
    chosen = bp.load(name, trust=trust)
    typer.echo(f"{chosen.name}: {chosen.title}")
    context = context_of(chosen.questions, {})
    by_name = {q.name: q for q in chosen.questions}
    for group, names in chosen.groups.items():
        typer.echo(f"\n{group}")
        for key in names:
            question = by_name[key]
            if resource_question.is_resources(question):
                for line in resource_question.help_lines(context.get(key), question.help):
                    typer.echo(line)
                continue
            choices = question.choice_list(context)
            kind = "|".join(str(c.value) for c in choices) if choices else question.type
            typer.echo(f"  --data {key}=<{kind}>  (default: {context.get(key)})")
            if question.help:
                typer.echo(f"      {question.help.splitlines()[0]}")
