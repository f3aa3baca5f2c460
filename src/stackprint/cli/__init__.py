"""The command line: a thin typer layer over the library.

Each command lives in its own module and makes one call into the library; errors are
turned into messages and exit codes here, in one place.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import Any, NoReturn

from stackprint.errors import CancelledError, ExitCode, StackprintError

# `--version` is answered before typer is imported: it is the one call scripts make
# just to see that stackprint is there, and typer's import is most of start-up.
_VERSION_ALONE = (["--version"], ["-V"])


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C and SIGTERM alike raise KeyboardInterrupt, so every command's cleanup runs
    the same way."""
    # An interrupt can land inside a library's constructor (GitPython's config parser is
    # one); the half-built object's __del__ then fails, and Python would print that as a
    # traceback at exit. After an interrupt such errors are fallout, not news.
    sys.unraisablehook = _drop_unraisable
    raise KeyboardInterrupt


def _drop_unraisable(unraisable: Any) -> None:
    return None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `stackprint` console script.

    stackprint's errors and typer's usage errors become one line on stderr and their exit
    code, here only; Ctrl-C, SIGTERM and Ctrl-D at a prompt are exit code 130.
    """
    args = sys.argv[1:] if argv is None else argv
    if args in _VERSION_ALONE:
        from stackprint import __version__

        print(f"stackprint {__version__}")
        sys.exit(0)  # as typer's standalone mode ends every run
    signal.signal(signal.SIGTERM, _on_interrupt)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not if ignored
        signal.signal(signal.SIGINT, _on_interrupt)
    try:
        _run(args)
    except KeyboardInterrupt:  # before a command ran, e.g. while typer was imported
        print("interrupted", file=sys.stderr)
        sys.exit(int(ExitCode.INTERRUPTED))


def _run(args: list[str]) -> NoReturn:
    import typer

    from stackprint.cli.app import app
    from stackprint.console import error_line

    try:
        code = app(args=args, prog_name="stackprint", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.TyperException as exc:
        _usage_error(exc)
    except typer.Abort:  # EOF at one of typer's own prompts
        typer.echo("interrupted", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    except StackprintError as exc:
        # A one-line hint stays on the error's line; a tool's output goes beneath it.
        one_line = exc.hint is not None and "\n" not in exc.hint
        message = f"{exc.message}; {exc.hint}" if one_line else exc.message
        # Declining the wizard's summary is the user's choice, not an error.
        typer.echo(message if isinstance(exc, CancelledError) else error_line(message), err=True)
        for line in exc.details:
            typer.echo(line, err=True)
        if exc.hint and not one_line:
            typer.echo(exc.hint, err=True)
        sys.exit(int(exc.exit_code))
    except OSError as exc:  # the machine refused a write no library call expected
        from stackprint.filesystem import error_for, is_refusal

        if not is_refusal(exc):
            raise
        error = error_for(exc)
        typer.echo(error_line(error.message), err=True)
        sys.exit(int(error.exit_code))
    except SystemExit as exc:
        if exc.code == ExitCode.INTERRUPTED:
            typer.echo("interrupted", err=True)
        raise
    except KeyboardInterrupt:  # outside a command, e.g. while parsing
        typer.echo("interrupted", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))


def _usage_error(exc: Any) -> NoReturn:
    """typer's usage errors in one line, like stackprint's own, naming the help to read."""
    import typer

    from stackprint.console import error_line

    if type(exc).__name__ == "NoArgsIsHelpError" or exc.exit_code != ExitCode.USAGE:
        exc.show()  # the help text itself, or a non-usage error
        sys.exit(int(exc.exit_code))
    ctx = getattr(exc, "ctx", None)
    where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    typer.echo(error_line(exc.format_message() + where), err=True)
    sys.exit(int(ExitCode.USAGE))
