"""The questions of a blueprint, read from its copier.yml and evaluated as Copier does.

The wizard, `--data` and `--answers-file` all go through `Question`, so an answer is
checked the same way whichever way it arrives, and Copier checks it once more on render.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from stackprint.errors import InvalidAnswerError, StackprintError, UnsafeBlueprintError

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

TYPES = ("str", "int", "float", "bool", "json", "yaml")
_TRUE = {"y", "yes", "t", "true", "on", "1"}
_FALSE = {"n", "no", "f", "false", "off", "0", ""}


@cache
def jinja_env(extensions: tuple[str, ...] = ()) -> SandboxedEnvironment:
    """The sandboxed environment copier.yml strings render in, as Copier's do."""
    from stackprint import sandbox
    from stackprint.jinja_cache import cached

    return cached(sandbox.environment(extensions), "questions")


@dataclass(frozen=True)
class Templates:
    """How one blueprint's strings are rendered: in the sandbox, with its extensions.

    `_jinja_extensions` are imported (which runs their code) only for a trusted blueprint,
    so that a question renders with exactly the filters Copier will use; an untrusted
    blueprint that names any but stackprint's own is refused at its first render.
    """

    origin: str = "copier.yml"  # the file the strings come from, for error messages
    extensions: tuple[str, ...] = ()
    trusted: bool = False

    def environment_extensions(self) -> tuple[str, ...]:
        """The extensions to load, or UnsafeBlueprintError when they may not be."""
        from stackprint import sandbox

        foreign = sandbox.foreign_extensions(self.extensions)
        if foreign and not self.trusted:
            raise UnsafeBlueprintError(
                f"{self.origin} loads Jinja extensions ({', '.join(foreign)}); "
                "importing them runs code: refusing without --trust"
            )
        return self.extensions

    def render(self, template: str, context: Mapping[str, Any], *, where: str = "") -> str:
        from stackprint import sandbox

        env = jinja_env(self.environment_extensions())
        with sandbox.naming(where or self.origin):
            return env.from_string(template).render(**context)


# For questions built without a blueprint (tests, tools): no extensions.
PLAIN = Templates()


def to_bool(value: Any) -> bool:
    """Copier's reading of a boolean: YAML-like words, case-insensitive."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{value}' is not a yes/no value")


@dataclass(frozen=True)
class Choice:
    label: str
    value: Any


@dataclass(frozen=True)
class Question:
    """One question of a copier.yml."""

    name: str
    type: str = "str"
    help: str = ""
    default: Any = None
    choices: Any = None
    validator: str = ""
    when: Any = True
    secret: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    templates: Templates = field(default=PLAIN, repr=False, compare=False)

    @property
    def computed(self) -> bool:
        """`when: false` marks a value Copier computes and never asks or records."""
        return self.when is False

    def is_asked(self, answers: Mapping[str, Any]) -> bool:
        if isinstance(self.when, bool):
            return self.when
        return to_bool(self._render(str(self.when), answers, "when"))

    def default_value(self, answers: Mapping[str, Any]) -> Any:
        """The default, rendered with the answers so far and cast to the question's type."""
        default = self.default
        if default is None:
            return None
        if isinstance(default, str):
            default = self._render(default, answers, "default")
            if self.type == "str":
                return default
        return self.cast(default)

    def choice_list(self, answers: Mapping[str, Any]) -> list[Choice]:
        raw = self.choices
        if not raw:
            return []
        if isinstance(raw, str):
            raw = json.loads(self._render(raw, answers, "choices"))
        if isinstance(raw, Mapping):
            return [Choice(str(label), self.cast(value)) for label, value in raw.items()]
        out = []
        for item in raw:
            if isinstance(item, list | tuple) and len(item) == 2:
                out.append(Choice(str(item[0]), self.cast(item[1])))
            else:
                out.append(Choice(str(item), self.cast(item)))
        return out

    def _render(self, template: str, answers: Mapping[str, Any], part: str) -> str:
        where = f"{self.templates.origin} (question '{self.name}', {part})"
        return self.templates.render(template, answers, where=where)

    def cast(self, value: Any) -> Any:
        """Turn a value (often a string from a flag or prompt) into the question's type."""
        try:
            if self.type == "bool":
                return to_bool(value)
            if self.type == "int":
                if isinstance(value, bool):
                    raise ValueError("expected a whole number")
                return int(value)
            if self.type == "float":
                return float(value)
            if self.type == "json":
                return json.loads(value) if isinstance(value, str) else value
            if self.type == "yaml":
                from stackprint import yamlio

                return yamlio.load(value) if isinstance(value, str) else value
            return value if isinstance(value, str) else str(value)
        except (ValueError, TypeError) as exc:
            raise InvalidAnswerError(self.name, f"expected {self.type}: {exc}") from exc
        except Exception as exc:  # json/yaml parse errors have their own types
            raise InvalidAnswerError(
                self.name, f"expected {self.type}: {exc}".splitlines()[0]
            ) from exc

    def check(self, value: Any, answers: Mapping[str, Any]) -> Any:
        """Cast and validate an answer; returns the cast value or raises InvalidAnswerError."""
        value = self.cast(value)
        choices = self.choice_list(answers)
        if choices and value not in [c.value for c in choices]:
            allowed = ", ".join(str(c.value) for c in choices)
            raise InvalidAnswerError(self.name, f"'{value}' is not one of: {allowed}")
        if self.validator:
            message = self._render(
                self.validator, {**answers, self.name: value}, "validator"
            ).strip()
            if message:
                raise InvalidAnswerError(self.name, " ".join(message.split()))
        return value


def _infer_type(default: Any) -> str:
    for python_type, name in ((bool, "bool"), (int, "int"), (float, "float")):
        if isinstance(default, python_type):
            return name
    if isinstance(default, list | dict):
        return "yaml"
    return "str"


def parse_questions(config: Mapping[str, Any], templates: Templates = PLAIN) -> list[Question]:
    """The questions of a copier.yml mapping, in file order (settings `_*` left out)."""
    questions = []
    for name, spec in config.items():
        if name.startswith("_"):
            continue
        if not isinstance(spec, Mapping):
            spec = {"default": spec, "type": _infer_type(spec)}
        qtype = str(spec.get("type") or _infer_type(spec.get("default")))
        if qtype not in TYPES:
            raise StackprintError(f"question '{name}' has unknown type '{qtype}'")
        questions.append(
            Question(
                name=name,
                type=qtype,
                help=str(spec.get("help") or "").strip(),
                default=spec.get("default"),
                choices=spec.get("choices"),
                validator=str(spec.get("validator") or ""),
                when=spec.get("when", True),
                secret=bool(spec.get("secret", False)),
                raw=spec,
                templates=templates,
            )
        )
    return questions
