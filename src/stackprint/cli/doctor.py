"""`stackprint doctor`: the tools the blueprints (or this project) need, found or missing."""

from __future__ import annotations

import sys
from pathlib import Path

import typer


def doctor(
    project: Path = typer.Option(
        None,
        "--project",
        "-C",
        metavar="PATH",
        help="Check this project's needs (default: the project around here, if any).",
    ),
) -> None:
    """Report git, Go, Node/npm, protoc and make, as found on your PATH, against what the
    blueprints need; inside a project, against what that project needs, and whether its
    test database answers.

    Exit code 3 when a needed tool is missing or older than required, or a configured test
    service does not answer. `new` still renders without them; it skips the generator
    steps and says what to run later.
    """
    from stackprint import console
    from stackprint.doctor import diagnose
    from stackprint.errors import NotAProjectError
    from stackprint.project import find_root

    root = None
    try:
        root = find_root(project or Path())
    except NotAProjectError:
        if project is not None:
            raise
    report = diagnose(root)
    if root is not None:
        typer.echo(f"Project {root}:")
    width = max(
        len(n) for n in [*(t.name for t in report.tools), *(s.name for s in report.services)]
    )
    for tool in report.tools:
        mark = "ok" if tool.ok else ("missing" if tool.path is None else "too old")
        version = tool.version or "-"
        need = f">= {tool.minimum}" if tool.minimum else ""
        source = f" ({tool.source})" if tool.source else ""
        line = f"{mark:8} {tool.name.ljust(width)}  {version:10} {need:9} for {', '.join(tool.needed_by)}{source}"
        typer.echo(line if tool.ok else console.paint(line, "error", sys.stdout))
    for service in report.services:
        mark = "ok" if service.answered else ("-" if service.url is None else "down")
        line = f"{mark:8} {service.name.ljust(width)}  {service.detail}"
        typer.echo(line if service.ok else console.paint(line, "error", sys.stdout))
    if any(t.name == "protoc" and t.path is None for t in report.tools):
        typer.echo(
            "note: `stackprint new` generates with its own protoc; running `make generate` "
            "in a project later needs protoc on your PATH"
        )
    if not report.ok:
        raise typer.Exit(3)
