"""`stackprint feature`: start the next spec-kit feature of a project."""

from __future__ import annotations

from pathlib import Path

import typer

from stackprint.cli.options import Trust


def feature(
    description: list[str] = typer.Argument(
        ..., metavar="DESCRIPTION", help="One line saying what the feature does."
    ),
    short_name: str = typer.Option(
        None,
        "--short-name",
        "-s",
        metavar="NAME",
        help="Name after the number (default: from the description).",
    ),
    number: int = typer.Option(
        None,
        "--number",
        "-n",
        min=1,
        metavar="N",
        help="Use this feature number instead of the next free one.",
    ),
    no_branch: bool = typer.Option(
        False, "--no-branch", help="Only write the spec files; do not create a git branch."
    ),
    json_output: bool = typer.Option(
        False, "--json", help="Print BRANCH_NAME, SPEC_FILE and FEATURE_NUM as JSON, like spec-kit."
    ),
    project: Path = typer.Option(
        Path(),
        "--project",
        "-C",
        metavar="PATH",
        help="The project (default: the one around this directory).",
    ),
    trust: Trust = False,
) -> None:
    """Add the next feature: specs/NNN-name/ with spec.md and plan.md, and branch NNN-name.

    The number is one more than the highest used by a spec directory or a branch; the
    name is derived from the description the way spec-kit does it. Refuses to switch
    branches while the tree has uncommitted changes (use --no-branch to stay).
    """
    import json

    from stackprint.project import find_root
    from stackprint.speckit import add_feature

    root = find_root(project)
    result = add_feature(
        root,
        " ".join(description),
        short_name=short_name,
        number=number,
        branch=not no_branch,
        trust=trust,
    )
    if json_output:
        typer.echo(json.dumps(result.as_json()))
        return
    typer.echo(f"Feature {result.feature_num}: {result.directory.relative_to(root)}/")
    for path in result.files:
        typer.echo(f"  wrote {path.relative_to(root)}")
    if result.branch_created:
        typer.echo(f"  switched to new branch {result.branch_name}")
    typer.echo("Next: fill in the NEEDS CLARIFICATION markers of spec.md, then plan.md.")
