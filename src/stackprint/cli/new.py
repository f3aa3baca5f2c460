"""`stackprint new`: start a repository from a blueprint."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from stackprint.cli.options import Data, Json, Pretend, Quiet, Trust, print_json, progress_printer

if TYPE_CHECKING:
    from stackprint.create import CreateResult


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def new(
    dest: str = typer.Argument(
        None, help="Directory to create (must not exist, or be empty). Default: ./PROJECT_NAME."
    ),
    blueprint: str = typer.Option(
        None, "--blueprint", "-b", help="Blueprint name (see `stackprint blueprints`) or a path."
    ),
    data: Data = [],  # noqa: B006 (typer copies the default)
    answers_file: Path = typer.Option(
        None,
        "--answers-file",
        "-a",
        exists=False,
        help="YAML file of answers (e.g. another project's .copier-answers.yml).",
    ),
    defaults: bool = typer.Option(
        False, "--defaults", help="Take the default for every unanswered question; never prompt."
    ),
    pretend: Pretend = False,
    no_git: bool = typer.Option(
        False, "--no-git", help="Do not create a git repository and first commit."
    ),
    no_generate: bool = typer.Option(
        False, "--no-generate", help="Skip the generator steps (protoc, oapi-codegen, ...)."
    ),
    trust: Trust = False,
    yes: bool = typer.Option(
        False, "--yes", "-y", help="In the wizard, skip the final confirmation."
    ),
    quiet: Quiet = False,
    json_output: Json = False,
) -> None:
    """Generate a new project from a blueprint.

    Answers come from --data, --answers-file, the blueprint's defaults (--defaults) or,
    when a terminal is attached, the wizard. Without a terminal a missing answer is an
    error that names the flag to pass. The project is written atomically: interrupted or
    failed, nothing is left behind.
    """
    from stackprint import api
    from stackprint.answers import command_line, parse_data

    wizard = None
    if _interactive() and not defaults:
        from stackprint.wizard import Wizard

        wizard = Wizard()
    result = api.new(
        dest,
        blueprint=blueprint,
        data=parse_data(data),
        answers_file=answers_file,
        defaults=defaults,
        git=not no_git,
        generate=not no_generate,
        pretend=pretend,
        trust=trust,
        prompter=wizard,
        confirm=not yes,
        progress=progress_printer(quiet or json_output),
    )
    if wizard is not None and result.blueprint.native:  # Copier asked the others' questions
        line = command_line(result.blueprint.name, dest or result.path.name, result.answers)
        typer.echo(f"\nThe same without the wizard:\n  {line}\n", err=True)
    if json_output:
        print_json(result.as_json())
    else:
        _summary(result, quiet=quiet)


def _summary(result: CreateResult, *, quiet: bool) -> None:
    if quiet:
        typer.echo(str(result.path))
        return
    if result.pretend:
        typer.echo(f"Would write {len(result.files)} files to {result.path}:")
        for name in result.files:
            typer.echo(f"  {name}")
        for step in result.generators.skipped:
            typer.echo(f"Would run generator: {step}")
        typer.echo("Nothing was written (--pretend).")
        return
    commit = f", first commit {result.commit[:7]}" if result.commit else ""
    typer.echo(
        f"Created {result.path} from blueprint {result.blueprint.name}: {len(result.files)} files{commit}."
    )
    for step, missing in result.generators.skipped.items():
        why = f"missing {', '.join(missing)}" if missing else "--no-generate"
        typer.echo(
            f"warning: skipped generator '{step}' ({why}); run `make generate` in the project later",
            err=True,
        )
    typer.echo("Next:")
    typer.echo(f"  cd {result.path}")
    for step in result.next_steps:
        typer.echo(f"  {step}")
