"""Rendering a blueprint with Copier: the only module that imports copier."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from stackprint.blueprints import Blueprint
from stackprint.errors import InvalidAnswerError, StackprintError
from stackprint.project import ANSWERS_FILE, CREATED_KEY, VERSION_KEY

# The answer that holds a blueprint's migration history (stackprint.resources.schema).
MIGRATIONS = "migrations"


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
    from copier.errors import CopierError, UnsafeTemplateError

    data = {**answers, **_history(blueprint, answers)}
    try:
        with warnings.catch_warnings():
            # Copier warns about dirty git templates and the like; stackprint reports its own.
            warnings.simplefilter("ignore")
            with _worker_class()(
                src_path=str(blueprint.path),
                dst_path=dest,
                data=data,
                defaults=True,
                quiet=True,
                overwrite=True,
                # Untrusted templates with tasks or migrations make Copier refuse, and the
                # refusal below says how to allow them.
                unsafe=trust or blueprint.builtin,
            ) as worker:
                worker.cache_name = f"copier-{blueprint.name}"
                worker.run_copy()
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
    _record(dest / ANSWERS_FILE, blueprint, created, _history(blueprint, data))


def _history(blueprint: Blueprint, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The `migrations` value of a blueprint that keeps a migration history, else nothing.

    It is a `when: false` question (never asked) that Copier does not record, so stackprint
    computes it (the recorded history, extended to the resources) and records it itself.
    """
    if not any(q.name == MIGRATIONS for q in blueprint.questions) or "resources" not in answers:
        return {}
    from stackprint.resources import schema

    return {MIGRATIONS: schema.history(answers.get(MIGRATIONS), answers["resources"])}


def _worker_class() -> Any:
    """Copier's Worker, without three costs that a render into a new directory never needs.

    - Compiled templates come from stackprint's on-disk cache (see `jinja_cache`).
    - Copier runs `git config` once per written file to mirror executable bits into the
      destination's git index; that is a no-op for files no index tracks yet, which every
      file of a new directory is.
    - Copier renders the answers file's name again for every path part it renders; while
      files are being written the answers are settled, so it is rendered once for them.

    The output is byte-for-byte Copier's own (tests/test_render.py renders both ways and
    compares). Should a Copier release rename what is overridden here, the plain Worker is
    used: slower, same result.
    """
    from functools import cached_property

    from copier._main import Worker

    from stackprint import jinja_cache

    base_env = getattr(Worker, "jinja_env", None)
    if not isinstance(base_env, cached_property):
        return Worker
    if not hasattr(Worker, "_sync_git_index_executable_bit"):
        return Worker
    make_env = base_env.func
    if not isinstance(getattr(Worker, "answers_relpath", None), property):
        return Worker
    if not callable(getattr(Worker, "_render_template", None)):
        return Worker

    class FastWorker(Worker):
        cache_name: str | None = None

        @cached_property
        def jinja_env(self) -> Any:
            env = make_env(self)
            return env if self.cache_name is None else jinja_cache.cached(env, self.cache_name)

        def _sync_git_index_executable_bit(self, dst_relpath: Path, src_mode: int) -> None:
            return None

        @property
        def answers_relpath(self) -> Path:
            settled: Path | None = self.__dict__.get("_settled_answers_relpath")
            return settled if settled is not None else super().answers_relpath

        def _render_template(self) -> None:
            self.__dict__["_settled_answers_relpath"] = super().answers_relpath
            try:
                super()._render_template()
            finally:
                self.__dict__.pop("_settled_answers_relpath", None)

    return FastWorker


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _record(
    answers_file: Path, blueprint: Blueprint, created: str, extra: Mapping[str, Any]
) -> None:
    """Name the blueprint portably and add stackprint's version to Copier's answers file.

    Copier writes the absolute template path, which means nothing on another machine; the
    bundled blueprints are recorded as `stackprint:NAME` instead.
    """
    import yaml

    from stackprint import __version__, yamlio

    if not answers_file.is_file():
        raise StackprintError(f"blueprint {blueprint.name} does not write {ANSWERS_FILE}")
    text = answers_file.read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    data = yamlio.load(text) or {}
    data.pop("_commit", None)
    meta = {"_src_path": blueprint.source, VERSION_KEY: __version__, CREATED_KEY: created}
    body = {**meta, **{k: v for k, v in data.items() if k not in meta}, **extra}
    answers_file.write_text(
        header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
