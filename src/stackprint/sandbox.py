"""Jinja for text a blueprint provides: always sandboxed, and failures named by file.

A blueprint given by path is someone else's code. Jinja's sandbox stops its templates
from reaching Python internals (`cycler.__init__.__globals__.os`); every environment
stackprint renders blueprint text with is made here, and the sandbox's refusals (and any
other template failure) become one-line errors that say which file failed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stackprint.errors import BlueprintError, StackprintError, UnsafeBlueprintError

if TYPE_CHECKING:
    from types import TracebackType

    from jinja2.sandbox import SandboxedEnvironment

# The filters Copier gives templates (regex_search, to_nice_yaml, ...), so stackprint's
# own evaluation of copier.yml sees what Copier sees.
DEFAULT_EXTENSIONS = ("jinja2_ansible_filters.AnsibleCoreFiltersExtension",)

# Extensions that are part of stackprint itself: importing them runs stackprint's own
# code, never the blueprint's, so any blueprint may name them without --trust (and so use
# the resource model).
OWN_EXTENSIONS = frozenset({"stackprint.resources.jinja.ResourcesExtension"})


def foreign_extensions(extensions: Sequence[str]) -> tuple[str, ...]:
    """The extensions among `extensions` that would import code from outside stackprint."""
    return tuple(e for e in extensions if e not in OWN_EXTENSIONS)


def environment(extensions: Sequence[str] = (), **options: Any) -> SandboxedEnvironment:
    """A sandboxed environment with Copier's filters and the given (trusted) extensions."""
    from jinja2.sandbox import SandboxedEnvironment

    try:
        return SandboxedEnvironment(extensions=[*DEFAULT_EXTENSIONS, *extensions], **options)
    except (ImportError, AttributeError) as exc:
        raise BlueprintError(
            f"cannot load the Jinja extensions {', '.join(extensions)}: {first_line(exc)}"
        ) from exc


@contextmanager
def naming(where: str) -> Iterator[None]:
    """Turn a template failure inside the block into a one-line error naming the template.

    `where` names it unless the traceback shows a template file (with its line), which is
    more precise: an included template, or one of Copier's files.
    """
    try:
        yield
    except StackprintError:
        raise
    except Exception as exc:
        raise template_error(exc, where) from exc


def template_error(exc: Exception, where: str) -> StackprintError:
    """The stackprint error for `exc`, raised while rendering the template at `where`."""
    from jinja2.exceptions import SecurityError, TemplateSyntaxError

    location = template_location(exc) or where
    if isinstance(exc, SecurityError):
        return UnsafeBlueprintError(
            f"{location}: unsafe template refused by Jinja's sandbox: {first_line(exc)}"
        )
    if isinstance(exc, TemplateSyntaxError) and exc.filename and exc.lineno:
        location = f"{exc.filename}:{exc.lineno}"
    return BlueprintError(f"{location}: {type(exc).__name__}: {first_line(exc)}")


def template_location(exc: BaseException) -> str | None:
    """`file:line` of the innermost template file the traceback passes through, if any.

    Jinja rewrites tracebacks so that template code runs under its file's name; code
    compiled from a string shows as `<template>` and names nothing.
    """
    found = None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if (
            not filename.endswith(".py")
            and not filename.startswith("<")
            and Path(filename).is_file()
        ):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
