"""`stackprint new`: start a repository from a blueprint."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from stackprint.cli.completion import complete_blueprint
from stackprint.cli.options import (
    Data,
    Json,
    ListFiles,
    Pretend,
    Quiet,
    Resources,
    Trust,
    Verbose,
    print_json,
)
from stackprint.errors import MissingAnswerError

if TYPE_CHECKING:
    from stackprint.create import CreateResult


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def new(
    dest: str = typer.Argument(
        None,
        metavar="DEST",
        help="Directory to create (must not exist, or be empty; `.` fills the current one). "
        "Default: ./PROJECT_NAME.",
    ),
    blueprint: str = typer.Option(
        None,
        "--blueprint",
        "-b",
        metavar="NAME|PATH",
        autocompletion=complete_blueprint,
        help="Blueprint name (see `stackprint blueprints`) or a path.",
    ),
    data: Data = [],  # noqa: B006 (typer copies the default)
    resource: Resources = [],  # noqa: B006 (typer copies the default)
    answers_file: Path = typer.Option(
        None,
        "--answers-file",
        "-a",
        exists=False,
        metavar="FILE",
        help="YAML file of answers (e.g. another project's .copier-answers.yml).",
    ),
    defaults: bool = typer.Option(
        False, "--defaults", help="Take the default for every unanswered question; never prompt."
    ),
    pretend: Pretend = False,
    no_git: bool = typer.Option(
        False, "--no-git", help="Do not create a git repository and first commit."
    ),
    no_commit: bool = typer.Option(
        False,
        "--no-commit",
        help="Inside an existing git repository: stage the project there, do not commit it.",
    ),
    no_generate: bool = typer.Option(
        False, "--no-generate", help="Skip the generator steps (protoc, oapi-codegen, ...)."
    ),
    trust: Trust = False,
    yes: bool = typer.Option(
        False, "--yes", "-y", help="In the wizard, skip the final confirmation."
    ),
    quiet: Quiet = False,
    verbose: Verbose = False,
    list_files: ListFiles = False,
    json_output: Json = False,
) -> None:
    """Generate a new project from a blueprint.

    Answers come from --data, --answers-file, the blueprint's defaults (--defaults) or,
    when a terminal is attached, the wizard. Without a terminal a missing answer is an
    error that names the flag to pass. The project is written atomically: interrupted or
    failed, nothing is left behind.
    """
    from stackprint import api, console
    from stackprint.answers import command_line, parse_data
    from stackprint.create import destination_name

    wizard = None
    if _interactive() and not defaults:
        from stackprint.wizard import Wizard

        wizard = Wizard()
    with console.progress(quiet=quiet or json_output, verbose=verbose) as shown:
        try:
            result = api.new(
                dest,
                blueprint=blueprint,
                data=parse_data(data),
                resources=resource,
                answers_file=answers_file,
                defaults=defaults,
                git=not no_git,
                commit=not no_commit,
                generate=not no_generate,
                pretend=pretend,
                trust=trust,
                prompter=wizard,
                confirm=not yes,
                progress=shown.step,
                output=shown.output,
            )
        except MissingAnswerError as exc:
            if not _interactive():
                exc.message += " (no terminal for the wizard)"
            raise
    if wizard is not None and result.blueprint.native:  # Copier asked the others' questions
        implied = {"project_name": destination_name(Path(dest))} if dest else {}
        same = command_line(
            blueprint or result.blueprint.name,
            dest or result.path.name,
            result.answers,
            result.blueprint.questions,
            implied,
        )
        typer.echo(f"\nThe same without the wizard:\n  {same}\n", err=True)
    if json_output:
        print_json(result.as_json())
    else:
        _summary(result, quiet=quiet, list_files=list_files, no_git=no_git)


def _summary(result: CreateResult, *, quiet: bool, list_files: bool, no_git: bool) -> None:
    from stackprint import console
    from stackprint.create import file_overview

    if quiet:
        typer.echo(str(result.path))
        return
    if result.pretend:
        where = result.path if result.repository is None else result.repository
        typer.echo(f"Would write {len(result.files)} files to {where}:")
        for line in result.files if list_files else file_overview(result.files, result.subdir):
            typer.echo(f"  {line}")
        for step in result.generators.skipped:
            typer.echo(f"Would run generator: {step}")
        typer.echo(
            "Nothing was written (--pretend)." + ("" if list_files else " --list shows every file.")
        )
        return
    commit = f", commit {result.commit[:7]}" if result.commit else ""
    created = f"Created {result.path} from blueprint {result.blueprint.name}: {len(result.files)} files{commit}."
    typer.echo(console.paint(created, "success", sys.stdout))
    if list_files:
        for name in result.files:
            typer.echo(f"  {name}")
    for step, missing in result.generators.skipped.items():
        if missing:  # a step skipped by --no-generate is what the user asked for
            typer.echo(
                console.warning_line(
                    f"skipped generator '{step}' (missing {', '.join(missing)}); "
                    "run `make generate` in the project later"
                ),
                err=True,
            )
    if no_git:
        typer.echo(
            console.warning_line(
                "--no-git: `stackprint update` merges through the first commit's history, "
                "so this project cannot be updated later"
            ),
            err=True,
        )
    typer.echo("Next:")
    typer.echo(f"  cd {result.path}")
    for step in result.next_steps:
        typer.echo(f"  {step}")
