"""The typer application: the root options and the commands, each from its own module."""

from __future__ import annotations

import typer

from stackprint import __version__
from stackprint.cli import blueprints_cmd, check, doctor, feature, grow, new, update

# typer prints an argument's Python type after its metavar (`DESCRIPTION <list[str]>`);
# the metavars say what to pass, so the type is left out.
typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]

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
app.add_typer(grow.add_app, name="add")
app.add_typer(grow.remove_app, name="remove")
app.command("feature")(feature.feature)
app.command("check")(check.check)
app.command("blueprints")(blueprints_cmd.blueprints)
app.command("doctor")(doctor.doctor)
