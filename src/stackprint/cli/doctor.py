"""`stackprint doctor`: the tools the blueprints (or this project) need, found or missing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from stackprint.cli.options import Json, print_json

if TYPE_CHECKING:
    from stackprint.toolcheck import Diagnosis


def doctor(
    project: Path = typer.Option(
        None,
        "--project",
        "-C",
        metavar="PATH",
        help="Check this project's needs (default: the project around here, if any).",
    ),
    json_output: Json = False,
) -> None:
    """Report git, Go, Node/npm and make, as found on your PATH, against what the
    blueprints need; inside a project, against what that project needs, and whether its
    test database answers.

    Exit code 3 when a needed tool is missing or older than required, or a configured test
    service does not answer. `new` still renders without them; it skips the generator
    steps and says what to run later.
    """
    from stackprint import api
    from stackprint.errors import ToolchainError

    report = api.doctor(project)
    if json_output:
        print_json(report.as_json())
    else:
        _print(report)
    if not report.ok:
        problems = []
        if report.missing:
            problems.append(f"missing or too old: {', '.join(t.name for t in report.missing)}")
        down = [service.name for service in report.services if not service.ok]
        if down:
            problems.append(f"not answering: {', '.join(down)}")
        raise ToolchainError("; ".join(problems))


def _print(report: Diagnosis) -> None:
    from stackprint import console

    if report.project is not None:
        typer.echo(f"Project {report.project}:")
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
