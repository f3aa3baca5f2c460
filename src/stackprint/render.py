"""Rendering a blueprint with Copier: the only module that imports copier."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from stackprint.blueprints import Blueprint
from stackprint.errors import InvalidAnswerError, StackprintError
from stackprint.project import ANSWERS_FILE, CREATED_KEY, VERSION_KEY


def render(
    blueprint: Blueprint,
    dest: Path,
    answers: Mapping[str, Any],
    *,
    created: str,
    trust: bool = False,
) -> None:
    """Render `blueprint` into the empty directory `dest` with the given answers.

    Copier validates the answers again; its tasks and migrations run only for trusted
    blueprints (the bundled ones are; others need --trust).
    """
    import copier
    from copier.errors import CopierError, UnsafeTemplateError

    try:
        with warnings.catch_warnings():
            # Copier warns about dirty git templates and the like; stackprint reports its own.
            warnings.simplefilter("ignore")
            copier.run_copy(
                str(blueprint.path),
                dest,
                data=dict(answers),
                defaults=True,
                quiet=True,
                overwrite=True,
                # Untrusted templates with tasks or migrations make Copier refuse, and the
                # refusal below says how to allow them.
                unsafe=trust or blueprint.builtin,
            )
    except UnsafeTemplateError as exc:
        raise StackprintError(
            f"blueprint {blueprint.path} runs code (Copier tasks, migrations or extensions); "
            "refusing without --trust",
        ) from exc
    except CopierError as exc:
        raise StackprintError(f"rendering {blueprint.name} failed: {_first_line(exc)}") from exc
    except ValueError as exc:
        # Copier's own validator rejected an answer stackprint let through.
        raise InvalidAnswerError("answers", _first_line(exc)) from exc
    _record(dest / ANSWERS_FILE, blueprint, created)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _record(answers_file: Path, blueprint: Blueprint, created: str) -> None:
    """Name the blueprint portably and add stackprint's version to Copier's answers file.

    Copier writes the absolute template path, which means nothing on another machine; the
    bundled blueprints are recorded as `stackprint:NAME` instead.
    """
    import yaml

    from stackprint import __version__

    if not answers_file.is_file():
        raise StackprintError(f"blueprint {blueprint.name} does not write {ANSWERS_FILE}")
    text = answers_file.read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    data = yaml.safe_load(text) or {}
    data.pop("_commit", None)
    meta = {"_src_path": blueprint.source, VERSION_KEY: __version__, CREATED_KEY: created}
    body = {**meta, **{k: v for k, v in data.items() if k not in meta}}
    answers_file.write_text(
        header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
