"""Finding blueprints and reading their copier.yml: questions, groups, generator steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from stackprint import confine
from stackprint.errors import BlueprintNotFoundError, StackprintError
from stackprint.questions import Question, Templates, parse_questions

BUILTIN_PREFIX = "stackprint:"


def blueprints_root() -> Path:
    """Where the bundled blueprints are: inside the wheel, or at the root of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "blueprints", here.parents[1] / "blueprints"):
        if candidate.is_dir():
            return candidate
    raise StackprintError("the bundled blueprints are missing: reinstall stackprint")


@dataclass(frozen=True)
class GeneratorStep:
    """One command a blueprint runs in the rendered project, e.g. `make generate`."""

    name: str
    run: tuple[str, ...]
    requires: tuple[str, ...] = ()
    # Project paths (files or directories) the step reads and writes. When both are given,
    # `update` reuses the previous outputs instead of running the step if no input changed.
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Blueprint:
    """A Copier template plus what stackprint reads from its `_stackprint` key.

    `trusted` blueprints may run code (tasks, generator steps, Jinja extensions): the
    bundled ones, and one from a path when the user passes --trust.
    """

    name: str
    path: Path
    builtin: bool
    config: dict[str, Any] = field(repr=False, hash=False, compare=False)
    trusted: bool = False

    @property
    def source(self) -> str:
        """How the answers file names it: `stackprint:NAME` for bundled ones, else the path."""
        return f"{BUILTIN_PREFIX}{self.name}" if self.builtin else str(self.path)

    @property
    def title(self) -> str:
        return str(self._meta.get("title", self.name))

    def with_trust(self, trust: bool) -> Blueprint:
        """This blueprint, trusted as well when `trust` (the user's --trust) says so."""
        return self if self.trusted or not trust else replace(self, trusted=True)

    @cached_property
    def templates(self) -> Templates:
        """How its copier.yml strings, stack data and next steps are rendered."""
        return Templates(
            origin=str(self.config_file), extensions=self.jinja_extensions, trusted=self.trusted
        )

    @property
    def config_file(self) -> Path:
        return _config_file(self.path) or self.path / "copier.yml"

    @cached_property
    def questions(self) -> list[Question]:
        return parse_questions(self.config, self.templates)

    @property
    def jinja_extensions(self) -> tuple[str, ...]:
        """The blueprint's `_jinja_extensions`. Importing one runs its code, so stackprint
        loads them only for a trusted blueprint (see `templates`), as Copier does."""
        return tuple(str(e) for e in self.config.get("_jinja_extensions") or ())

    @property
    def groups(self) -> dict[str, list[str]]:
        """Wizard groups, in order; questions no group names fall into 'Other'."""
        groups = {str(k): [str(q) for q in v] for k, v in self._meta.get("groups", {}).items()}
        grouped = {name for names in groups.values() for name in names}
        rest = [q.name for q in self.questions if q.name not in grouped and not q.computed]
        if rest:
            groups["Other"] = rest
        return groups

    def group_of(self, name: str) -> str:
        for group, names in self.groups.items():
            if name in names:
                return group
        return "Other"

    @property
    def generators(self) -> list[GeneratorStep]:
        return [
            GeneratorStep(
                name=str(step["name"]),
                run=tuple(str(arg) for arg in step["run"]),
                requires=tuple(str(tool) for tool in step.get("requires", ())),
                inputs=tuple(str(p) for p in step.get("inputs", ())),
                outputs=tuple(str(p) for p in step.get("outputs", ())),
            )
            for step in self._meta.get("generators", [])
        ]

    @property
    def toolchain(self) -> dict[str, str]:
        """Minimum versions of the tools the generated project builds with, e.g. go: "1.23"."""
        return {str(k): str(v) for k, v in self._meta.get("toolchain", {}).items()}

    @property
    def next_steps(self) -> list[str]:
        return [str(step) for step in self._meta.get("next_steps", [])]

    def render_next_steps(self, context: Mapping[str, Any]) -> list[str]:
        where = f"{self.config_file} (_stackprint.next_steps)"
        return [self.templates.render(step, context, where=where) for step in self.next_steps]

    @property
    def speckit_dir(self) -> Path:
        """The blueprint's stack data for the spec-kit layer."""
        return self.path / "speckit"

    @property
    def _meta(self) -> dict[str, Any]:
        meta = self.config.get("_stackprint", {})
        return meta if isinstance(meta, dict) else {}


def _config_file(path: Path) -> Path | None:
    return next((path / n for n in ("copier.yml", "copier.yaml") if (path / n).is_file()), None)


def _load_config(path: Path) -> dict[str, Any]:
    import yaml

    from stackprint import yamlio

    config_file = _config_file(path)
    if config_file is None:
        raise BlueprintNotFoundError(f"{path} is not a blueprint: it has no copier.yml")
    try:
        data = yamlio.load(config_file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        raise StackprintError(f"{config_file} is not valid YAML{where}: {problem}") from exc
    if not isinstance(data, dict):
        raise StackprintError(f"{config_file} must be a mapping of questions")
    return data


def available() -> list[str]:
    """Names of the bundled blueprints, sorted."""
    root = blueprints_root()
    return sorted(
        p.name
        for p in root.iterdir()
        if not p.name.startswith(("_", ".")) and (p / "copier.yml").is_file()
    )


def load(name_or_path: str, *, trust: bool = False) -> Blueprint:
    """A bundled blueprint by name (`go-api`, `stackprint:go-api`) or any Copier template by
    path; one from a path is trusted to run code only with `trust` (see README, Trust model)."""
    name = name_or_path.removeprefix(BUILTIN_PREFIX)
    if "/" not in name and not name.startswith("."):
        path = blueprints_root() / name
        if not name.startswith("_") and (path / "copier.yml").is_file():
            return Blueprint(
                name=name, path=path, builtin=True, config=_load_config(path), trusted=True
            )
        if not Path(name_or_path).is_dir():
            known = ", ".join(available())
            raise BlueprintNotFoundError(f"unknown blueprint '{name_or_path}' (available: {known})")
    path = Path(name_or_path).expanduser().resolve()
    if not path.is_dir():
        raise BlueprintNotFoundError(f"blueprint path {name_or_path} does not exist")
    # Checked once here for every command: nothing of the blueprint may be read through a
    # link to elsewhere. The bundled blueprints are part of the installed package.
    confine.refuse_links_leaving(path, f"blueprint {path}")
    return Blueprint(
        name=path.name, path=path, builtin=False, config=_load_config(path), trusted=trust
    )
