"""`stackprint new`: start a repository from a blueprint."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from stackprint.cli.completion import complete_blueprint
from stackprint.cli.options import Data, ListFiles, Pretend, Quiet, Resources, Trust, Verbose
from stackprint.errors import Cancelled, MissingAnswerError, UsageError

if TYPE_CHECKING:
    from stackprint.create import CreateResult

DEFAULT_BLUEPRINT = "go-api"


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
) -> None:
    """Generate a new project from a blueprint.

    Answers come from --data, --answers-file, the blueprint's defaults (--defaults) or,
    when a terminal is attached, the wizard. Without a terminal a missing answer is an
    error that names the flag to pass. The project is written atomically: interrupted or
    failed, nothing is left behind.
    """
    from stackprint import blueprints as bp
    from stackprint import console
    from stackprint.answers import command_line, parse_data, read_answers_file
    from stackprint.create import check_destination, create, destination_name, prepare_answers
    from stackprint.resources import question as resource_flags
    from stackprint.wizard import summary_rows

    # Everything given on the command line is checked before the wizard asks anything.
    provided: dict[str, Any] = read_answers_file(answers_file) if answers_file else {}
    given = parse_data(data)
    provided.update(given)
    if dest:
        check_destination(Path(dest))
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
        rows = summary_rows(str(target.absolute()), chosen.name, answers, chosen.groups)
        if not yes and not wizard.confirm(rows):
            raise Cancelled("cancelled: nothing was written")
        implied = {"project_name": destination_name(target)} if dest else {}
        same = command_line(blueprint, str(target), answers, chosen.questions, implied)
        typer.echo(f"\nThe same without the wizard:\n  {same}\n", err=True)

    with console.progress(quiet=quiet, verbose=verbose) as shown:
        result = create(
            target,
            chosen,
            answers,
            git=not no_git,
            run_generators=not no_generate,
            pretend=pretend,
            trust=trust,
            progress=shown.step,
            output=shown.output,
        )
    _summary(result, quiet=quiet, list_files=list_files, no_git=no_git)


def _summary(result: CreateResult, *, quiet: bool, list_files: bool, no_git: bool) -> None:
    from stackprint import console
    from stackprint.create import file_overview

    if quiet:
        typer.echo(str(result.path))
        return
    if result.pretend:
        typer.echo(f"Would write {len(result.files)} files to {result.path}:")
        for line in result.files if list_files else file_overview(result.files):
            typer.echo(f"  {line}")
        for step in result.generators.skipped:
            typer.echo(f"Would run generator: {step}")
        typer.echo(
            "Nothing was written (--pretend)." + ("" if list_files else " --list shows every file.")
        )
        return
    commit = f", first commit {result.commit[:7]}" if result.commit else ""
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
