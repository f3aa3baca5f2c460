"""`stackprint update`: merge the installed blueprint version into a project."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from stackprint.cli.options import Data, Json, Pretend, Quiet, Resources, Trust, Verbose, print_json

if TYPE_CHECKING:
    from stackprint.updater import UpdateResult


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
    check: bool = typer.Option(
        False,
        "--check",
        help="Change nothing; exit 0 when up to date, 6 when the blueprint has changes to merge.",
    ),
    branch: str = typer.Option(
        None,
        "--branch",
        metavar="NAME",
        help="Commit the update on new branch NAME (for a pull request); the current branch "
        "and the work tree stay as they are. Conflicts are committed with their markers.",
    ),
    blueprint: str = typer.Option(
        None,
        "--blueprint",
        "-b",
        metavar="PATH",
        help="Update from this blueprint (e.g. a newer copy) instead of the recorded one.",
    ),
    trust: Trust = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    json_output: Json = False,
    yes: bool = typer.Option(False, "--yes", "-y", help="With --ask, skip the confirmation."),
) -> None:
    """Bring a project to this stackprint's blueprint version, keeping your edits.

    A three-way merge against the pristine render kept in the project's history: your
    changes stay, the blueprint's changes arrive, and where both changed the same lines
    the file gets git conflict markers (exit code 1). Refuses, changing nothing, when the
    tree has uncommitted changes.
    """
    from stackprint import api, console
    from stackprint.answers import parse_data
    from stackprint.errors import ConflictError, OutdatedError, UsageError
    from stackprint.updater import UpdateResult, conflict_error

    if check and branch is not None:
        raise UsageError("--check and --branch do not go together: --check changes nothing")
    prompter = None
    if ask:
        from stackprint.wizard import Wizard

        prompter = Wizard()
    try:
        with console.progress(quiet=quiet or json_output, verbose=verbose) as shown:
            result = api.update(
                path,
                data=parse_data(data),
                resources=resource,
                prompter=prompter,
                confirm=not yes,
                pretend=pretend or check,
                branch=branch,
                blueprint=blueprint,
                trust=trust,
                progress=shown.step,
                output=shown.output,
            )
    except ConflictError as exc:
        if isinstance(exc.result, UpdateResult):
            _report(exc.result, quiet=quiet, json_output=json_output)
        raise
    _report(result, quiet=quiet, json_output=json_output)
    if check and not result.up_to_date:
        raise OutdatedError(
            f"an update is available: blueprint {result.blueprint.name} changes "
            f"{len(result.changes)} file(s)",
            hint="run `stackprint update` (or `--branch NAME`) to merge it",
        )
    if result.conflicts:  # only a dry run returns conflicts; a real merge raised them
        raise conflict_error(result)


def _report(result: UpdateResult, *, quiet: bool, json_output: bool) -> None:
    from stackprint.updater import STATUS_NAMES

    if json_output:
        print_json(result.as_json())
        return
    name = f"{result.blueprint.name} {result.to_version}"
    if result.generators.reused and not quiet:
        steps = ", ".join(result.generators.reused)
        typer.echo(f"Generated code kept from the last render (inputs unchanged): {steps}")
    if result.up_to_date:
        typer.echo(f"Already up to date with blueprint {name}: nothing to do.")
        return
    if not quiet:
        verb = "Would change" if result.pretend else "Changed"
        typer.echo(f"{verb} by blueprint {name} (from {result.from_version}):")
        for status, file in result.changes:
            typer.echo(f"  {STATUS_NAMES.get(status, status):8} {file}")
    if result.conflicts:
        return  # the error that follows lists them
    if result.pretend:
        typer.echo("Nothing was written (--pretend).")
    elif result.branch is not None:
        typer.echo(f"Committed on branch {result.branch}; your branch is as it was.")
    elif not quiet:
        typer.echo("Merged; see `git log -1` and `git show --stat HEAD`.")
