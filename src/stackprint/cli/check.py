"""`stackprint check`: lint a project's spec documents (for CI)."""

from __future__ import annotations

from pathlib import Path

import typer

from stackprint.cli.options import Json, Trust, print_json


def check(
    path: Path = typer.Argument(
        Path(),
        metavar="PATH",
        show_default=False,
        help="The project (default: the one around here).",
    ),
    json_output: Json = False,
    trust: Trust = False,
) -> None:
    """Check the spec documents: template placeholders, open NEEDS CLARIFICATION markers,
    missing files of a feature, plans whose Technical Context disagrees with the answers.

    Exit code 0 when clean, 1 with findings, 2 on usage errors.
    """
    from stackprint import api
    from stackprint.errors import FindingsError

    result = api.check(path, trust=trust)
    findings = result.findings
    if json_output:
        print_json(result.as_json())
    else:
        for finding in findings:
            typer.echo(str(finding))
        if result.clean:
            typer.echo("The spec documents are clean.")
    if findings:
        parts = ", ".join(f"{n} {kind}" for kind, n in result.counts.items() if n)
        raise FindingsError(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}: {parts}")
