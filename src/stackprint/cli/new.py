"""`stackprint new`: start a repository from a blueprint."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from stackprint.cli.options import Data, Pretend, Quiet, Resources, Trust, progress_printer
from stackprint.errors import MissingAnswerError, UsageError

if TYPE_CHECKING:
    from stackprint.create import CreateResult

DEFAULT_BLUEPRINT = "go-api"


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
    resource: Resources = [],  # noqa: B006 (typer copies the default)
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
) -> None:
    """Generate a new project from a blueprint.

    Answers come from --data, --answers-file, the blueprint's defaults (--defaults) or,
    when a terminal is attached, the wizard. Without a terminal a missing answer is an
    error that names the flag to pass. The project is written atomically: interrupted or
    failed, nothing is left behind.
    """
    from stackprint import blueprints as bp
    from stackprint.answers import command_line, parse_data, read_answers_file
    from stackprint.create import check_destination, create, prepare_answers
    from stackprint.resources import question as resource_flags

    if dest:
        check_destination(Path(dest))  # before the wizard asks anything
    interactive = _interactive() and not defaults
    wizard = None
    if interactive:
        from stackprint.wizard import Wizard

        wizard = Wizard()
    if blueprint is None:
        if wizard is not None:
            blueprint = wizard.choose_blueprint([(n, bp.load(n).title) for n in bp.available()])
        elif defaults:
            blueprint = DEFAULT_BLUEPRINT
        else:
            raise UsageError("no blueprint chosen and no terminal to ask: pass --blueprint NAME")
    chosen = bp.load(blueprint, trust=trust)
    if wizard is not None:
        wizard.blueprint = chosen

    provided: dict[str, Any] = read_answers_file(answers_file) if answers_file else {}
    given = parse_data(data)
    provided.update(given)
    provided.update(resource_flags.from_flags(chosen.questions, resource, given))
    target = Path(dest) if dest else None
    try:
        answers = prepare_answers(
            chosen, provided, dest=target, use_defaults=defaults, asker=wizard
        )
    except MissingAnswerError as exc:
        if not _interactive():
            exc.message += " (no terminal for the wizard)"
        raise
    if target is None:
        target = Path(str(answers.get("project_name") or chosen.name))

    if wizard is not None:
        if not yes and not wizard.confirm(list(answers.items())):
            typer.echo("cancelled: nothing was written", err=True)
            raise typer.Exit(1)
        typer.echo(
            f"\nThe same without the wizard:\n  {command_line(chosen.name, str(target), answers)}\n",
            err=True,
        )

    result = create(
        target,
        chosen,
        answers,
        git=not no_git,
        run_generators=not no_generate,
        pretend=pretend,
        trust=trust,
        progress=progress_printer(quiet),
    )
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
