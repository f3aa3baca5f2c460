"""Options several commands share, declared once so their flags and help stay alike."""

from __future__ import annotations

from typing import Annotated

import typer

from stackprint.cli.completion import complete_data

Data = Annotated[
    list[str],
    typer.Option(
        "--data",
        "-d",
        metavar="KEY=VALUE",
        autocompletion=complete_data,
        help="Answer a question; repeatable.",
    ),
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
Verbose = Annotated[
    bool,
    typer.Option(
        "--verbose", "-v", help="Show the output of the tools (generators, git) as they run."
    ),
]
ListFiles = Annotated[
    bool,
    typer.Option("--list", help="List every file written (or, with --pretend, to be written)."),
]
