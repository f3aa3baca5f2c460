"""`stackprint check`: lint a project's spec documents (for CI)."""

from __future__ import annotations

from pathlib import Path

import typer

from stackprint.cli.options import Trust


def check(
    path: Path = typer.Argument(
        Path(),
        metavar="PATH",
        show_default=False,
        help="The project (default: the one around here).",
    ),
    json_output: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    trust: Trust = False,
) -> None:
    """Check the spec documents: template placeholders, open NEEDS CLARIFICATION markers,
    missing files of a feature, plans whose Technical Context disagrees with the answers.

    Exit code 0 when clean, 1 with findings, 2 on usage errors.
    """
    import json

    from stackprint.errors import ExitCode
    from stackprint.project import find_root
    from stackprint.speckit import check as run_check
    from stackprint.speckit import summary

    root = find_root(path)
    findings = run_check(root, trust=trust)
    counts = summary(findings)
    if json_output:
        report = {
            "project": str(root),
            "clean": not findings,
            "counts": counts,
            "findings": [f.as_dict() for f in findings],
        }
        typer.echo(json.dumps(report, indent=2))
    else:
        for finding in findings:
            typer.echo(str(finding))
        if findings:
            parts = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
            typer.echo(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}: {parts}")
        else:
            typer.echo("The spec documents are clean.")
    if findings:
        raise typer.Exit(int(ExitCode.FINDINGS))
