"""The command line: a thin typer layer over the library.

Each command lives in its own module and makes one call into the library; errors are
turned into messages and exit codes here, in one place.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

from stackprint.errors import ExitCode, StackprintError

# `--version` is answered before typer is imported: it is the one call scripts make
# just to see that stackprint is there, and typer's import is most of start-up.
_VERSION_ALONE = (["--version"], ["-V"])


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Treated like Ctrl-C so every command's cleanup runs the same way.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `stackprint` console script.

    typer handles its own usage errors (exit code 2) and turns Ctrl-C into exit code 130;
    stackprint's errors become one line on stderr and their exit code, here only.
    """
    args = sys.argv[1:] if argv is None else argv
    if args in _VERSION_ALONE:
        from stackprint import __version__

        print(f"stackprint {__version__}")
        sys.exit(0)  # as typer's standalone mode ends every run
    import typer

    from stackprint.cli.app import app

    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        app(args=args, prog_name="stackprint")
    except StackprintError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        for line in exc.details:
            typer.echo(line, err=True)
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
