"""Finding blueprints and reading their copier.yml: questions, groups, generator steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from stackprint.errors import BlueprintNotFoundError, StackprintError
from stackprint.generators import GeneratorStep

# Re-exported: the spec-kit renderer still finds the shared parts through here.
from stackprint.paths import blueprints_root as blueprints_root
from stackprint.questions import Question, parse_questions

BUILTIN_PREFIX = "stackprint:"


@dataclass(frozen=True)
class Blueprint:
    """A Copier template plus what stackprint reads from its `_stackprint` key."""

    name: str
    path: Path
    builtin: bool
    config: dict[str, Any] = field(repr=False, hash=False, compare=False)

    @property
    def source(self) -> str:
        """How the answers file names it: `stackprint:NAME` for bundled ones, else the path."""
        return f"{BUILTIN_PREFIX}{self.name}" if self.builtin else str(self.path)

    @property
    def native(self) -> bool:
        """Written for stackprint (it has a `_stackprint` key). Any other Copier template
        is rendered as Copier renders it: Copier evaluates its questions, whatever types
        and settings they use, and stackprint adds only git and the baseline."""
        return "_stackprint" in self.config

    def context(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """The answers plus computed values, as the templates see them."""
        if not self.native:
            return dict(answers)
        from stackprint.answers import context_of

        return context_of(self.questions, answers)

    @property
    def title(self) -> str:
        return str(self._meta.get("title", self.name))

    @cached_property
    def questions(self) -> list[Question]:
        return parse_questions(self.config)

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

    @property
    def speckit_dir(self) -> Path:
        """The blueprint's stack data for the spec-kit layer."""
        return self.path / "speckit"

    @property
    def _meta(self) -> dict[str, Any]:
        meta = self.config.get("_stackprint", {})
        return meta if isinstance(meta, dict) else {}


def _load_config(path: Path) -> dict[str, Any]:
    import yaml

    from stackprint import yamlio

    config_file = next(
        (path / n for n in ("copier.yml", "copier.yaml") if (path / n).is_file()), None
    )
    if config_file is None:
        raise BlueprintNotFoundError(f"{path} is not a blueprint: it has no copier.yml")
    try:
        data = yamlio.load(config_file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise StackprintError(f"{config_file} is not valid YAML: {exc}") from exc
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


def load(name_or_path: str) -> Blueprint:
    """A bundled blueprint by name (`go-api`, `stackprint:go-api`) or any Copier template by path."""
    name = name_or_path.removeprefix(BUILTIN_PREFIX)
    if "/" not in name and not name.startswith("."):
        path = blueprints_root() / name
        if not name.startswith("_") and (path / "copier.yml").is_file():
            return Blueprint(name=name, path=path, builtin=True, config=_load_config(path))
        if not Path(name_or_path).is_dir():
            known = ", ".join(available())
            raise BlueprintNotFoundError(f"unknown blueprint '{name_or_path}' (available: {known})")
    path = Path(name_or_path).expanduser().resolve()
    if not path.is_dir():
        raise BlueprintNotFoundError(f"blueprint path {name_or_path} does not exist")
    return Blueprint(name=path.name, path=path, builtin=False, config=_load_config(path))
