"""The command line: a thin typer layer over the library.

Each command lives in its own module and makes one call into the library; errors are
turned into messages and exit codes here, in one place.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

import typer

from stackprint import __version__
from stackprint.cli import blueprints_cmd, check, doctor, feature, new, update
from stackprint.errors import ExitCode, StackprintError

app = typer.Typer(
    name="stackprint",
    help=(
        "Scaffold spec-driven, multi-stack projects from blueprints and keep them in step.\n\n"
        "Start with `stackprint new` (a wizard asks what it needs), or pass every answer as "
        "flags: `stackprint new my-api --blueprint go-api --defaults`."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stackprint {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Scaffold spec-driven, multi-stack projects from blueprints and keep them in step."""


# Commands, in the order `--help` lists them.
app.command("new")(new.new)
app.command("update")(update.update)
app.command("feature")(feature.feature)
app.command("check")(check.check)
app.command("blueprints")(blueprints_cmd.blueprints)
app.command("doctor")(doctor.doctor)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Treated like Ctrl-C so every command's cleanup runs the same way.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `stackprint` console script.

    typer handles its own usage errors (exit code 2) and turns Ctrl-C into exit code 130;
    stackprint's errors become one line on stderr and their exit code, here only.
    """
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        app(args=argv, prog_name="stackprint")
    except StackprintError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        if exc.hint:
            typer.echo(exc.hint, err=True)
        sys.exit(int(exc.exit_code))
    except SystemExit as exc:
        if exc.code == ExitCode.INTERRUPTED:
            typer.echo("interrupted", err=True)
        raise
    except KeyboardInterrupt:  # outside a command, e.g. while parsing
        typer.echo("interrupted", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
