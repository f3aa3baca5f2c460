"""One root error; each user-facing error carries the exit code the CLI returns for it."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of the command line, documented in the README."""

    OK = 0
    FINDINGS = 1  # merge conflicts, `check` findings
    USAGE = 2  # invalid input: flags, answers, names, paths
    TOOLCHAIN = 3  # a required tool is missing; the file system refuses (full, read-only)
    REFUSED = 4  # the project's state forbids the command (dirty tree, downgrade, ...)
    UNSAFE = 5  # a blueprint would run code or reach outside its directories
    INTERRUPTED = 130


class StackprintError(Exception):
    """Root of every error stackprint raises on purpose; its message is one line for the user."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(StackprintError):
    """Flags or arguments that cannot work together."""


class BlueprintNotFoundError(StackprintError, LookupError):
    """No blueprint of that name or path."""


class InvalidAnswerError(StackprintError, ValueError):
    """An answer failed its question's validator or type."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"invalid value for '{key}': {message}")
        self.key = key


class MissingAnswerError(StackprintError):
    """A question has no answer and there is no terminal to ask it on."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"no answer for '{key}' and no terminal to ask it: pass --data {key}=VALUE "
            "(or --defaults, or --answers-file FILE)"
        )
        self.key = key


class AnswersFileError(StackprintError):
    """An answers file that cannot be read, is not YAML, or names unknown keys."""


class DestinationError(StackprintError):
    """A destination that cannot be written: exists and is not empty, a symlink, a file."""


class BlueprintError(StackprintError):
    """A blueprint that cannot be rendered: a template error, a file that cannot be read."""


class UnsafeBlueprintError(StackprintError):
    """A blueprint tried to run code, or to read or write outside its directories.

    Raised for a template the sandbox stopped, a path that leaves the blueprint or the
    destination, and for code (tasks, generator steps, extensions) without --trust.
    """

    exit_code = ExitCode.UNSAFE


class ToolchainError(StackprintError):
    """A tool a command cannot do without is not installed."""

    exit_code = ExitCode.TOOLCHAIN


class FileSystemError(StackprintError):
    """The machine refused a write: disk full, read-only, no permission, no cache directory."""

    exit_code = ExitCode.TOOLCHAIN


class NotAProjectError(UsageError):
    """A path that is not (inside) a project stackprint generated."""


class GeneratorError(StackprintError):
    """A generator step of a blueprint failed."""

    exit_code = ExitCode.TOOLCHAIN


class RefusedError(StackprintError):
    """The project's state forbids the command: dirty tree, not a stackprint project, ..."""

    exit_code = ExitCode.REFUSED


class ConflictError(StackprintError):
    """An update merged with conflicts; the files carry git's conflict markers."""

    exit_code = ExitCode.FINDINGS

    def __init__(self, message: str, paths: list[str]) -> None:
        super().__init__(message)
        self.paths = paths


class Cancelled(StackprintError):
    """The user declined the wizard's summary; nothing was written."""

    exit_code = ExitCode.FINDINGS


class Interrupted(StackprintError):
    """SIGINT or SIGTERM arrived; whatever was half-done has been undone."""

    exit_code = ExitCode.INTERRUPTED
