"""Options several commands share, declared once so their flags and help stay alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

Data = Annotated[
    list[str],
    typer.Option("--data", "-d", metavar="KEY=VALUE", help="Answer a question; repeatable."),
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
        "--trust", help="Allow a blueprint from a path to run commands (Copier tasks, generators)."
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the essentials.")]
Json = Annotated[
    bool, typer.Option("--json", help="Print a machine-readable report (JSON) on stdout.")
]


def print_json(report: object) -> None:
    """One JSON document on stdout; progress and errors stay on stderr."""
    import json

    typer.echo(json.dumps(report, indent=2, default=str))


def progress_printer(quiet: bool) -> Callable[[str], None]:
    """Progress lines for long steps, on stderr so stdout stays scriptable."""

    def progress(message: str) -> None:
        if not quiet:
            typer.echo(f"  {message} ...", err=True)

    return progress
