"""Parsing resources and fields from the one syntax every entry point uses.

A field is `name:type`, `?` after the type making it optional (nullable):
`total:float`, `notes:text?`, `tier:enum(free|pro)`, `customer:ref(customer)`.
A resource on the command line is `NAME[/PLURAL]=FIELD,FIELD,...`; in answers it is a
mapping `{name, plural, fields}` whose `fields` is a list of field specs (or one string of
them joined by commas).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stackprint.resources import naming
from stackprint.resources.types import PARAMETRIC, TYPES, FieldType

_FIELD = re.compile(r"^(?P<name>[^:]+):(?P<type>[a-z]+)(?:\((?P<arg>[^()]*)\))?(?P<opt>\?)?$")


class SpecError(ValueError):
    """A field or resource spec that cannot be read; the message is one line."""


@dataclass(frozen=True)
class Field:
    """One field of a resource, as written: name, type, optionality and the type's argument."""

    name: str
    type: str
    optional: bool = False
    enum_values: tuple[str, ...] = ()
    target: str = ""  # the referenced resource, for `ref`

    @property
    def kind(self) -> FieldType:
        return TYPES[self.type]

    @property
    def column(self) -> str:
        """The column and JSON property: a reference stores the target's id."""
        return f"{self.name}_id" if self.type == "ref" else self.name

    def spec(self) -> str:
        arg = ""
        if self.type == "enum":
            arg = "(" + "|".join(self.enum_values) + ")"
        elif self.type == "ref":
            arg = f"({self.target})"
        return f"{self.name}:{self.type}{arg}{'?' if self.optional else ''}"


@dataclass(frozen=True)
class Resource:
    name: str
    plural: str
    fields: tuple[Field, ...]

    def to_answer(self) -> dict[str, Any]:
        """The resource as it is recorded in the answers file."""
        return {"name": self.name, "plural": self.plural, "fields": [f.spec() for f in self.fields]}


def parse_field(text: str) -> Field:
    """Read one `name:type[?]` spec."""
    spec = text.strip()
    m = _FIELD.match(spec)
    if not m:
        raise SpecError(
            f"field '{spec}' must be written name:type, name:type? (optional), "
            "name:enum(a|b|c) or name:ref(resource)"
        )
    name, type_, arg = m["name"].strip(), m["type"], m["arg"]
    if type_ not in TYPES:
        raise SpecError(f"field '{spec}': unknown type '{type_}' (use {type_names()})")
    if type_ in PARAMETRIC and arg is None:
        example = "enum(a|b|c)" if type_ == "enum" else "ref(customer)"
        raise SpecError(f"field '{spec}': {type_} needs its argument, like {name}:{example}")
    if type_ not in PARAMETRIC and arg is not None:
        raise SpecError(f"field '{spec}': type {type_} takes no argument")
    if type_ == "enum":
        values = tuple(v.strip() for v in (arg or "").split("|"))
        return Field(name, type_, bool(m["opt"]), enum_values=values)
    if type_ == "ref":
        return Field(name, type_, bool(m["opt"]), target=(arg or "").strip())
    return Field(name, type_, bool(m["opt"]))


def split_fields(value: Any) -> list[str]:
    """Field specs from a list, or from one string joined by commas."""
    if isinstance(value, str):
        return [part for part in (p.strip() for p in value.split(",")) if part]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        items = list(value)
        if all(isinstance(v, str) for v in items):
            return [v.strip() for v in items]
    raise SpecError("fields must be a list of name:type specs")


def parse_resource(text: str) -> Resource:
    """Read the command-line shorthand `NAME[/PLURAL]=FIELD,FIELD,...`."""
    head, sep, body = text.partition("=")
    if not sep:
        raise SpecError(
            f"resource '{text.strip()}' must be written NAME[/PLURAL]=FIELD,FIELD,... "
            "like invoice=number:string,total:float"
        )
    name, _, plural = (p.strip() for p in head.partition("/"))
    return Resource(
        name, plural or naming.plural(name), tuple(map(parse_field, split_fields(body)))
    )


def from_answer(item: Any) -> Resource:
    """A resource from its recorded form (a mapping) or the shorthand (a string)."""
    if isinstance(item, str):
        return parse_resource(item)
    if not isinstance(item, Mapping):
        raise SpecError("each resource must be a mapping with name, plural and fields")
    unknown = sorted(set(item) - {"name", "plural", "fields"})
    if unknown:
        raise SpecError(f"resource {item.get('name', '?')!r}: unknown key '{unknown[0]}'")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SpecError("each resource needs a name")
    name = name.strip()
    plural = item.get("plural")
    if plural is not None and not isinstance(plural, str):
        raise SpecError(f"resource '{name}': plural must be a string")
    try:
        fields = tuple(map(parse_field, split_fields(item.get("fields", []))))
    except SpecError as exc:
        raise SpecError(f"resource '{name}': {exc}") from None
    return Resource(name, (plural or "").strip() or naming.plural(name), fields)


def parse_resources(value: Any) -> list[Resource]:
    """The `resources` answer: a list of resources (mappings or shorthand strings)."""
    if isinstance(value, Mapping | str) or not isinstance(value, Iterable):
        raise SpecError("resources must be a list")
    return [from_answer(item) for item in value]


def type_names() -> str:
    return ", ".join(f"{t}(...)" if t in PARAMETRIC else t for t in TYPES)
