"""Options several commands share, declared once so their flags and help stay alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

Data = Annotated[
    list[str],
    typer.Option("--data", "-d", metavar="KEY=VALUE", help="Answer a question; repeatable."),
]
Resources = Annotated[
    list[str],
    typer.Option(
        "--resource",
        "-r",
        metavar="NAME[/PLURAL]=FIELD,...",
        help="A resource, fields as name:type or name:type? (optional); repeatable, in order. "
        "`update` replaces the resource of the same name. Grammar: `stackprint blueprints NAME`.",
    ),
]
Pretend = Annotated[
    bool,
    typer.Option(
        "--pretend", "--dry-run", help="Show what would be written or changed; write nothing."
    ),
]
Trust = Annotated[
    bool,
    typer.Option(
        "--trust",
        help="Allow a blueprint from a path to run code: Copier tasks, generator steps, "
        "Jinja extensions.",
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the essentials.")]


def progress_printer(quiet: bool) -> Callable[[str], None]:
    """Progress lines for long steps, on stderr so stdout stays scriptable."""

    def progress(message: str) -> None:
        if not quiet:
            typer.echo(f"  {message} ...", err=True)

    return progress
