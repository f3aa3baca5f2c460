"""`stackprint update`: merge the installed blueprint version into a project."""

from __future__ import annotations

from pathlib import Path

import typer

from stackprint.cli.options import Data, Pretend, Quiet, Resources, Trust, Verbose


def update(
    path: Path = typer.Argument(
        Path(), metavar="PATH", help="The project to update (default: the one around here)."
    ),
    data: Data = [],  # noqa: B006 (typer copies the default)
    resource: Resources = [],  # noqa: B006 (typer copies the default)
    ask: bool = typer.Option(
        False, "--ask", help="Ask every question again in the wizard, recorded answers as defaults."
    ),
    pretend: Pretend = False,
    trust: Trust = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    yes: bool = typer.Option(False, "--yes", "-y", help="With --ask, skip the confirmation."),
) -> None:
    """Bring a project to this stackprint's blueprint version, keeping your edits.

    A three-way merge against the pristine render kept in the project's history: your
    changes stay, the blueprint's changes arrive, and where both changed the same lines
    the file gets git conflict markers (exit code 1). Refuses, changing nothing, when the
    tree has uncommitted changes.
    """
    from stackprint import console
    from stackprint.answers import parse_data
    from stackprint.project import find_root
    from stackprint.project import read as read_project
    from stackprint.resources import question as resource_flags
    from stackprint.update import update as run_update

    root = find_root(path)
    given = parse_data(data)
    given.update(resource_flags.added_to(root, resource, given))
    asker = confirm = None
    if ask:
        from stackprint.wizard import Wizard, summary_rows

        recorded = read_project(root)
        wizard = Wizard(recorded.blueprint)  # grouped as in `new`
        asker = wizard

        def confirm(answers: dict[str, object]) -> bool:
            rows = summary_rows(
                str(root), recorded.blueprint.name, answers, recorded.blueprint.groups
            )
            return yes or wizard.confirm(rows, "Update the project with these answers?")

    with console.progress(quiet=quiet, verbose=verbose) as shown:
        result = run_update(
            root,
            data=given,
            asker=asker,
            pretend=pretend,
            trust=trust,
            progress=shown.step,
            output=shown.output,
            confirm=confirm,
        )
    name = f"{result.blueprint.name} {result.to_version}"
    if result.generators.reused and not quiet:
        steps = ", ".join(result.generators.reused)
        typer.echo(f"Generated code kept from the last render (inputs unchanged): {steps}")
    if result.up_to_date:
        typer.echo(f"Already up to date with blueprint {name}: nothing to do.")
        return
    verb = "Would change" if result.pretend else "Changed"
    if not quiet:
        typer.echo(f"{verb} by blueprint {name} (from {result.from_version}):")
        labels = {"A": "added", "M": "changed", "D": "removed"}
        for status, file in result.changes:
            typer.echo(f"  {labels.get(status, status):8} {file}")
    if result.conflicts:
        typer.echo(
            f"{'Would conflict' if result.pretend else 'Conflicts'} in {len(result.conflicts)} file(s):",
            err=True,
        )
        for file in result.conflicts:
            typer.echo(f"  {file}", err=True)
        if not result.pretend:
            typer.echo(
                "Resolve the <<<<<<< markers, `git add` the files and `git commit`; "
                "or undo the whole update with `git merge --abort`.",
                err=True,
            )
        raise typer.Exit(1)
    if result.pretend:
        typer.echo("Nothing was written (--pretend).")
    elif not quiet:
        typer.echo("Merged; see `git log -1` and `git show --stat HEAD`.")
