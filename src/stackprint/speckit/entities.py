"""The project's resources as the spec documents describe them: entities, their fields with
type, optionality, bounds and each layer's type, and the references between them.

Everything comes from the resource model (`stackprint.resources`), so the documents say
what the generated code does. Answers recorded before resources were a list (`resource`,
`fields`) are read through `resources.legacy`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stackprint.resources import legacy, naming
from stackprint.resources.jinja import FieldView, Model, resource_model
from stackprint.resources.spec import Field
from stackprint.resources.types import TYPES, FieldType
from stackprint.resources.validate import resources_error


@dataclass(frozen=True)
class Attribute:
    """One column of an entity, as a row of the data model."""

    name: str  # as written: `customer`
    column: str  # as stored and sent: `customer_id`
    type: str  # as written: `enum(free|pro)`, `ref(customer)`
    required: bool
    rule: str
    layers: Mapping[str, str] = field(default_factory=dict)  # go, sql, proto, ts
    implicit: bool = False
    target: str = ""  # the referenced entity's name, for a reference


@dataclass(frozen=True)
class Reference:
    source: str  # entity that holds the reference
    field: str
    column: str
    target: str
    required: bool


@dataclass(frozen=True)
class Entity:
    name: str
    plural: str
    path: str  # URL segment of the collection
    attributes: tuple[Attribute, ...]
    references: tuple[Reference, ...]  # held by this entity
    referenced_by: tuple[Reference, ...]

    @property
    def label(self) -> str:
        return naming.label(self.name)

    @property
    def plural_label(self) -> str:
        return naming.label(self.plural)

    @property
    def title(self) -> str:
        return naming.title(self.name)

    @property
    def table(self) -> str:
        return self.plural

    @property
    def fields(self) -> tuple[Attribute, ...]:
        """The fields a client gives (the implicit columns left out)."""
        return tuple(a for a in self.attributes if not a.implicit)


def _layers(kind: FieldType, optional: bool, ts: str | None = None) -> dict[str, str]:
    ts_type = ts or kind.ts
    return {
        "go": f"*{kind.go}" if optional else kind.go,
        "sql": kind.pg,
        "proto": kind.proto,
        "ts": f"{ts_type} | null" if optional else ts_type,
    }


def rule(f: FieldView) -> str:
    """What a valid value is, in words, from the type's bounds."""
    kind, t = f.kind, f.type
    if t == "enum":
        what = "one of " + ", ".join(f"`{v}`" for v in f.enum_values)
    elif t == "ref":
        target = f.target
        what = f"the id of an existing {target.label if target else f.field.target}"
    elif kind.max_length is not None:
        what = f"at most {kind.max_length} characters"
    elif kind.minimum is not None and kind.maximum is not None:
        what = f"a whole number from {kind.minimum} to {kind.maximum}"
        if kind.json == "string":
            what += ", sent as a decimal string in JSON"
    else:
        what = _DESCRIPTIONS.get(t, kind.openapi.get("format", t))
    return f"{'required' if f.required else 'optional (null when absent)'}, {what}"


# Types whose bound is their format rather than a number.
_DESCRIPTIONS = {
    "float": "a finite number",
    "bool": "true or false",
    "time": "an instant, RFC 3339 with its offset in JSON",
    "date": "a calendar date, YYYY-MM-DD",
    "uuid": "a UUID",
}

_IMPLICIT = (
    ("id", "uuid", "primary key, set by the system"),
    ("created_at", "time", "set by the system on creation"),
    ("updated_at", "time", "set by the system on every change"),
)


def _implicit(name: str, type_: str, text: str) -> Attribute:
    return Attribute(name, name, type_, True, text, _layers(TYPES[type_], False), implicit=True)


def resources_of(context: Mapping[str, Any], blueprint: str) -> Any:
    """The resources answer of a context, or the one resource of old answers."""
    if "resources" in context:
        return context["resources"]
    if "resource" in context:
        return [legacy.resource_of(context, blueprint)]
    return []


def entities(context: Mapping[str, Any], blueprint: str) -> list[Entity]:
    """The entities of the answers; none when there are no (valid) resources to describe."""
    value = resources_of(context, blueprint)
    if not value or resources_error(value):
        return []
    model: Model = resource_model(value)
    references = [
        Reference(r.name, f.name, f.column, f.field.target, f.required)
        for r in model
        for f in r.refs
    ]
    out = []
    for r in model:
        id_, *stamps = (_implicit(*spec) for spec in _IMPLICIT)
        fields = tuple(
            Attribute(
                name=f.name,
                column=f.column,
                type=_written(f.field),
                required=f.required,
                rule=rule(f),
                layers=_layers(f.kind, f.optional, f.ts),
                target=f.field.target,
            )
            for f in r.fields
        )
        out.append(
            Entity(
                name=r.name,
                plural=r.plural,
                path=r.path,
                attributes=(id_, *fields, *stamps),
                references=tuple(x for x in references if x.source == r.name),
                referenced_by=tuple(x for x in references if x.target == r.name),
            )
        )
    return out


def _written(f: Field) -> str:
    spec = f.spec()
    return spec.split(":", 1)[1].rstrip("?")


def either(entities: list[Entity]) -> str:
    """`customer, line item or invoice`: any one of the entities, for prose."""
    return _join([e.label for e in entities], "or")


def one_of(entities: list[Entity]) -> str:
    """`a customer, line item or invoice`."""
    text = either(entities)
    return f"{'an' if text[:1] in tuple('aeiou') else 'a'} {text}" if text else ""


def all_of(entities: list[Entity]) -> str:
    """`customers, line items and invoices`."""
    return _join([e.plural_label for e in entities], "and")


def field_names(entities: list[Entity]) -> str:
    """The one entity's field names (`name, price`), or `fields` for several."""
    if len(entities) != 1:
        return "fields"
    return ", ".join(f.name for f in entities[0].fields)


def _join(words: list[str], last: str) -> str:
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"
