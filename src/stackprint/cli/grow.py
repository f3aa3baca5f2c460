"""`stackprint add resource`, `add field` and `remove resource`: grow a project.

Each is one call into `stackprint.api` (see `stackprint.grow`) plus printing; errors and
their exit codes are `cli/__init__.py`'s.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stackprint.cli.options import Json, Pretend, Quiet, Trust, Verbose, print_json

if TYPE_CHECKING:
    from collections.abc import Callable

    from stackprint.grow import GrowResult

Project = Annotated[
    Path,
    typer.Option(
        "--project",
        "-C",
        metavar="DIR",
        help="The project (or any folder inside it); default: the current directory.",
    ),
]

add_app = typer.Typer(
    help="Add a resource, or fields of one, to a generated project (keeping your edits).",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
remove_app = typer.Typer(
    help="Remove a resource from a generated project (keeping the files you changed).",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@add_app.command("resource")
def add_resource(
    spec: str = typer.Argument(
        ..., metavar="SPEC", help="NAME[/PLURAL]=FIELD,FIELD,... with fields as name:type[?]."
    ),
    project: Project = Path(),
    pretend: Pretend = False,
    no_spec: bool = typer.Option(
        False, "--no-spec", help="Do not write the spec-kit feature specs/NNN-manage-<plural>/."
    ),
    no_branch: bool = typer.Option(
        False,
        "--no-branch",
        help="Commit on the current branch instead of a new branch NNN-manage-<plural>.",
    ),
    trust: Trust = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    json_output: Json = False,
) -> None:
    """Add a resource to every layer of the project, through the same three-way merge as
    `update`: your edits stay; edits that overlap the change get conflict markers (exit 1).

    The migration history gains the resource's table (existing migrations never change).
    With spec-kit, the feature specs/NNN-manage-<plural>/ (spec, plan, data model, tasks)
    is committed with it, on the new branch NNN-manage-<plural> unless --no-branch.

    \b
    Examples:
      stackprint add resource 'invoice=number:string,total:float,customer:ref(customer)'
      stackprint add resource 'person/people=name:string,born_on:date?' --pretend
    """
    from stackprint import api

    _run(
        lambda step, out: api.add_resource(
            project,
            spec=spec,
            pretend=pretend,
            branch=not no_branch,
            spec_kit=not no_spec,
            trust=trust,
            progress=step,
            output=out,
        ),
        quiet=quiet,
        verbose=verbose,
        json_output=json_output,
    )


@add_app.command("field")
def add_field(
    resource: str = typer.Argument(..., metavar="RESOURCE", help="The resource to extend."),
    fields: list[str] = typer.Argument(
        ..., metavar="FIELD...", help="Fields as name:type, or name:type? when optional."
    ),
    project: Project = Path(),
    pretend: Pretend = False,
    trust: Trust = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    json_output: Json = False,
) -> None:
    """Add fields to a resource in every layer, through update's three-way merge.

    A new migration adds the columns; the rows already stored get NULL for an optional
    field and the zero value of its type for a required one (the migration says which).
    A required reference cannot be added to an existing table: add it optional.

    \b
    Examples:
      stackprint add field invoice due_on:date notes:text?
      stackprint add field customer phone:string? tier:enum(free|pro)
    """
    from stackprint import api

    _run(
        lambda step, out: api.add_field(
            project,
            resource=resource,
            fields=fields,
            pretend=pretend,
            trust=trust,
            progress=step,
            output=out,
        ),
        quiet=quiet,
        verbose=verbose,
        json_output=json_output,
    )


@remove_app.command("resource")
def remove_resource(
    name: str = typer.Argument(..., metavar="NAME", help="The resource to remove."),
    project: Project = Path(),
    drop_table: bool = typer.Option(
        False,
        "--drop-table",
        help="Also add a migration that drops its table and rows (default: the table stays).",
    ),
    pretend: Pretend = False,
    trust: Trust = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    json_output: Json = False,
) -> None:
    """Remove a resource from every layer: the files you did not change go, the ones you
    changed stay and are listed. Refused while another resource references it.

    \b
    Examples:
      stackprint remove resource invoice
      stackprint remove resource invoice --drop-table --pretend
    """
    from stackprint import api

    _run(
        lambda step, out: api.remove_resource(
            project,
            name=name,
            drop_table=drop_table,
            pretend=pretend,
            trust=trust,
            progress=step,
            output=out,
        ),
        quiet=quiet,
        verbose=verbose,
        json_output=json_output,
    )


def _run(
    call: Callable[[Callable[[str], None], Callable[[str], None]], GrowResult],
    *,
    quiet: bool,
    verbose: bool,
    json_output: bool,
) -> None:
    from stackprint import console
    from stackprint.errors import ConflictError
    from stackprint.grow import GrowResult

    try:
        with console.progress(quiet=quiet or json_output, verbose=verbose) as shown:
            result = call(shown.step, shown.output)
    except ConflictError as exc:
        if isinstance(exc.result, GrowResult):
            _report(exc.result, quiet=quiet, json_output=json_output)
        raise
    _report(result, quiet=quiet, json_output=json_output)


def _report(result: GrowResult, *, quiet: bool, json_output: bool) -> None:
    from stackprint.updater import STATUS_NAMES

    if json_output:
        print_json(result.as_json())
        return
    update = result.update
    subject = f"{result.command} {result.resource}"
    if update.up_to_date:
        typer.echo(f"Nothing to do: the project already has {result.resource} as asked.")
        return
    if not quiet:
        verb = "Would change" if result.pretend else "Changed"
        typer.echo(f"{verb} by {subject}:")
        for status, file in update.changes:
            typer.echo(f"  {STATUS_NAMES.get(status, status):8} {file}")
    if result.migrations_added and not quiet:
        typer.echo("New migrations (the existing ones are unchanged):")
        for name in result.migrations_added:
            typer.echo(f"  {name}")
    if result.kept:
        verb = "would stay" if result.pretend else "kept"
        typer.echo(f"Files you changed, {verb} (the blueprint no longer has them):")
        for file in result.kept:
            typer.echo(f"  {file}")
    if result.table_kept:
        typer.echo(
            f"The {result.table_kept} table and its rows stay in the database "
            "(--drop-table drops them)."
        )
    if result.conflicts:
        return  # the error that follows lists them
    if result.pretend:
        plan = result.planned_feature
        if plan is not None and not quiet:
            where = f" on new branch {plan.name}" if plan.on_branch else ""
            typer.echo(f"Would commit{where}, with the feature {plan.directory}/:")
            for status, file in plan.changes:
                typer.echo(f"  {STATUS_NAMES.get(status, status):8} {file}")
        typer.echo("Nothing was written (--pretend).")
        return
    if result.feature is not None:
        where = f" on new branch {result.feature_branch}" if result.feature_branch else ""
        typer.echo(f"Committed{where}, with the feature specs/{result.feature.branch_name}/.")
    elif not quiet:
        typer.echo("Merged; see `git show --stat HEAD`.")
    if not quiet:
        for step in result.next_steps:
            typer.echo(f"Next: {step}")
