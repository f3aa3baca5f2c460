"""Rendering a blueprint with Copier: the only module that imports copier."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from stackprint import confine, sandbox
from stackprint.blueprints import Blueprint
from stackprint.errors import (
    InvalidAnswerError,
    StackprintError,
    UnsafeBlueprintError,
    UsageError,
)
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
    ask: bool = False,
) -> None:
    """Render `blueprint` into the empty directory `dest` with the given answers.

    Copier validates the answers again and renders in Jinja's sandbox; its tasks and
    extensions are allowed only for trusted blueprints (the bundled ones are; others need
    --trust), and nothing it writes may lead outside `dest`. With `ask`, Copier prompts
    for the questions `answers` leaves open instead of taking their defaults.
    """
    from copier.errors import (
        CopierError,
        ForbiddenPathError,
        InteractiveSessionError,
        UnsafeTemplateError,
    )
    from jinja2.exceptions import TemplateError

    data = {**answers, **_history(blueprint, answers)}
    try:
        with warnings.catch_warnings():
            # Copier warns about dirty git templates and the like; stackprint reports its own.
            warnings.simplefilter("ignore")
            with _worker_class()(
                src_path=str(blueprint.path),
                dst_path=dest,
                data=data,
                defaults=not ask,
                quiet=True,
                overwrite=True,
                # Untrusted templates with tasks or extensions make Copier refuse, and the
                # refusal below says how to allow them.
                unsafe=trust or blueprint.trusted,
            ) as worker:
                worker.cache_name = f"copier-{blueprint.name}"
                worker.run_copy()
    except InteractiveSessionError as exc:
        raise UsageError(
            f"template {blueprint.path} has questions without an answer and there is no "
            "terminal to ask them: pass --data KEY=VALUE or --defaults"
        ) from exc
    except UnsafeTemplateError as exc:
        # "Template uses potentially unsafe features: jinja_extensions, tasks."
        features = sandbox.first_line(exc).split(": ", 1)[-1].rstrip(".")
        raise UnsafeBlueprintError(
            f"blueprint {blueprint.path} runs code ({features} in "
            f"{blueprint.config_file.name}); refusing without --trust",
        ) from exc
    except ForbiddenPathError as exc:
        raise UnsafeBlueprintError(
            f"blueprint {blueprint.path} reaches outside its directory or the destination: "
            f"{sandbox.first_line(exc)}"
        ) from exc
    except CopierError as exc:
        if isinstance(exc.__cause__, TemplateError):  # "Error rendering template path ..."
            where = _copier_location(exc, blueprint)
            raise sandbox.template_error(exc.__cause__, where) from exc
        raise StackprintError(
            f"rendering {blueprint.name} failed: {sandbox.first_line(exc)}"
        ) from exc
    except ValueError as exc:
        # Copier's own validator rejected an answer stackprint let through.
        raise InvalidAnswerError("answers", sandbox.first_line(exc)) from exc
    except OSError:
        raise  # a full or read-only disk: the caller makes it one line (filesystem.py)
    except Exception as exc:
        # A template failed, or the sandbox stopped one (jinja2's SecurityError).
        raise sandbox.template_error(exc, _copier_location(exc, blueprint)) from exc
    confine.refuse_links_leaving(dest, "the rendered project")
    _record(dest / ANSWERS_FILE, blueprint, created, _history(blueprint, data))


def _history(blueprint: Blueprint, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The `migrations` value of a blueprint that keeps a migration history, else nothing.

    It is a `when: false` question (never asked) that Copier does not record, so stackprint
    computes it (the recorded history, extended to the resources) and records it itself.
    """
    if (
        not blueprint.native
        or "resources" not in answers
        or not any(q.name == MIGRATIONS for q in blueprint.questions)
    ):
        return {}
    from stackprint.resources import schema

    try:
        return {MIGRATIONS: schema.history(answers.get(MIGRATIONS), answers["resources"])}
    except schema.HistoryError as exc:
        raise InvalidAnswerError(MIGRATIONS, str(exc)) from None


def _copier_location(exc: BaseException, blueprint: Blueprint) -> str:
    """The template file or path Copier was rendering when `exc` was raised, else its
    copier.yml (questions, `_subdirectory`, `_exclude`, messages)."""
    tb = exc.__traceback__
    found: str | None = None
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "_render_template" and "src_abspath" in frame.f_locals:
            found = str(frame.f_locals["src_abspath"])
        tb = tb.tb_next
    return found or str(blueprint.config_file)


def _worker_class() -> Any:
    """Copier's Worker, without three costs that a render into a new directory never needs.

    - Compiled templates come from stackprint's on-disk cache (see `jinja_cache`).
    - Copier runs `git config` once per written file to mirror executable bits into the
      destination's git index; that is a no-op for files no index tracks yet, which every
      file of a new directory is.
    - Copier renders the answers file's name again for every path part it renders, and
      builds the whole render context (answers, their YAML for the answers file) again
      for every path part and file; while files are being written the answers are
      settled, so each is made once for them.

    The output is byte-for-byte Copier's own (tests/test_render.py renders both ways and
    compares). Copier's public `run_copy` offers none of these hooks, so stackprint keeps
    this private path and pins copier to the minor version it was tested with
    (pyproject.toml); should a release still rename what is overridden here, the plain
    Worker is used: slower, same result.
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
    if not callable(getattr(Worker, "_render_file", None)):
        return Worker
    if not callable(getattr(Worker, "_check_unsafe", None)):
        return Worker
    if not callable(getattr(Worker, "_render_context", None)):
        return Worker

    class FastWorker(Worker):
        cache_name: str | None = None

        def _check_unsafe(self, mode: Any) -> None:
            # Copier counts every `_jinja_extensions` entry as unsafe; stackprint's own
            # (sandbox.OWN_EXTENSIONS) run no blueprint code, so a blueprint from a path
            # may use the resource model without --trust. Tasks and any other extension
            # still need it. (With the plain Worker, Copier's stricter check applies.)
            if self.unsafe or mode != "copy":
                return super()._check_unsafe(mode)
            features = []
            if sandbox.foreign_extensions(self.template.jinja_extensions):
                features.append("jinja_extensions")
            if self.template.tasks and not self.skip_tasks:
                features.append("tasks")
            if features:
                from copier.errors import UnsafeTemplateError

                raise UnsafeTemplateError(features)

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

        def _render_file(self, *args: Any, **kwargs: Any) -> None:
            # Copier's answers_relpath renders a string before each file, and compiling it
            # runs the extensions' preprocess hooks, which reset the state of the yield tag
            # its path may hold; the settled name compiles nothing, so the hooks run here.
            self.jinja_env.preprocess("")
            super()._render_file(*args, **kwargs)

        def _render_context(self) -> Any:
            settled = self.__dict__.get("_settled_render_context")
            # A copy each time, as Copier's own is new each time.
            return super()._render_context() if settled is None else dict(settled)

        def _render_template(self) -> None:
            self.__dict__["_settled_answers_relpath"] = super().answers_relpath
            self.__dict__["_settled_render_context"] = super()._render_context()
            try:
                super()._render_template()
            finally:
                self.__dict__.pop("_settled_answers_relpath", None)
                self.__dict__.pop("_settled_render_context", None)

    return FastWorker


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
