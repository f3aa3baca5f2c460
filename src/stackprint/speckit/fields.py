"""The resource's fields, parsed from the `fields` answer ("name:type,...")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

TYPES = ("string", "text", "int", "float", "bool", "time")
IMPLICIT = ("id", "created_at", "updated_at")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    implicit: bool = False

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


def parse(answer: str) -> list[Field]:
    """`name:string,price:int` -> fields, in order; malformed items are skipped (the
    blueprint's validator has already refused them when the answer was given)."""
    out = []
    for item in str(answer or "").split(","):
        name, _, ftype = item.strip().partition(":")
        name, ftype = name.strip(), ftype.strip()
        if name and ftype in TYPES and name not in IMPLICIT:
            out.append(Field(name, ftype))
    return out


def rows(
    answer: str, types: Mapping[str, Mapping[str, Any]], implicit: list[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Table rows for the data model: the implicit columns, then the answered fields, each
    with the stack's representation of its type (`types[type]`: go, sql, rule, ...)."""
    table = [{**dict(col), "implicit": True} for col in implicit]
    for field in parse(answer):
        table.append(
            {
                "name": field.name,
                "type": field.type,
                "implicit": False,
                **dict(types.get(field.type, {})),
            }
        )
    return table
