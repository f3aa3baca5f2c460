"""The rules a list of resources must meet before anything is rendered.

Each broken rule is one line naming the resource and the field. The rules keep every
generated name legal and distinct in every language the blueprints write (Go, TypeScript,
SQL, protobuf), and keep the schema creatable: references point at resources listed
before them (or at their own resource, optionally), so migrations can run in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from stackprint.errors import InvalidAnswerError
from stackprint.resources import naming
from stackprint.resources.spec import Field, Resource, SpecError, parse_resources
from stackprint.resources.words import RESERVED, RESERVED_GO_MEMBERS, RESERVED_RESOURCES

MAX_NAME = 40
MAX_ENUM_VALUES = 64
_ENUM_VALUE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
IMPLICIT_COLUMNS = ("id", "created_at", "updated_at")


class ResourceError(InvalidAnswerError):
    """A resource list that breaks a rule; the message names the resource and field."""

    def __init__(self, message: str) -> None:
        super().__init__("resources", message)


def check_resources(value: Any) -> list[Resource]:
    """Parse and check the `resources` answer; raise ResourceError on the first broken rule."""
    message = resources_error(value)
    if message:
        raise ResourceError(message)
    return parse_resources(value)


def resources_error(value: Any) -> str:
    """The first broken rule as one line, or "" when the list is valid."""
    try:
        resources = parse_resources(value)
    except SpecError as exc:
        return str(exc)
    return next(_problems(resources), "")


def _problems(resources: list[Resource]) -> Iterator[str]:
    if not resources:
        yield "list at least one resource, like product=name:string,price:float"
        return
    seen: dict[str, str] = {}
    for r in resources:
        if r.plural == r.name:
            yield f"resource '{r.name}': plural must differ from the name"
        for word, what in ((r.name, "name"), (r.plural, "plural")):
            yield from _name_rule(f"resource '{r.name}': {what} '{word}'", word)
            if word in RESERVED_RESOURCES:
                yield f"resource '{r.name}': {what} '{word}' clashes with a name the generated code uses"
            if word in seen:
                yield f"resource '{r.name}': {what} '{word}' is already the {seen[word]}"
            seen[word] = (
                f"{what} of resource '{r.name}'" if what == "plural" else f"resource '{word}'"
            )
        if r.plural == r.name:
            yield f"resource '{r.name}': plural must differ from the name"
        yield from _field_problems(r, {x.name for x in resources})
    yield from _reference_problems(resources)


def _name_rule(subject: str, word: str) -> Iterable[str]:
    if not naming.NAME_PATTERN.match(word):
        yield (
            f"{subject} must be snake_case: words of lowercase letters (each may end in "
            "digits) joined by single '_'"
        )
    elif len(word) > MAX_NAME:
        yield f"{subject} is longer than {MAX_NAME} characters"
    elif word in RESERVED:
        yield f"{subject} is a reserved word in Go, TypeScript or SQL"


# Each generator's spelling of a column must be distinct within its resource.
_SPELLINGS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("protobuf Go", naming.proto_go),
    ("OpenAPI Go", naming.oapi_go),
    ("sqlc Go", naming.sqlc_go),
    ("Go", naming.go_ident),
    ("TypeScript", naming.camel),
)


def _field_problems(r: Resource, names: set[str]) -> Iterable[str]:
    if not r.fields:
        yield f"resource '{r.name}' needs at least one field"
    columns: dict[str, str] = {c: "an implicit column" for c in IMPLICIT_COLUMNS}
    spelled: dict[tuple[str, str], str] = {}
    for c in IMPLICIT_COLUMNS:
        for label, spell in _SPELLINGS:
            spelled[label, spell(c)] = c
    for f in r.fields:
        subject = f"resource '{r.name}', field '{f.name}'"
        if f.name in IMPLICIT_COLUMNS:
            yield f"{subject}: {f.name} is added for you and reserved"
        yield from _name_rule(subject, f.name)
        if f.column in columns:
            clash = columns[f.column]
            yield f"{subject}: its column {f.column} clashes with {clash}"
        columns[f.column] = f"field '{f.name}'"
        for label, spell in _SPELLINGS:
            key = (label, spell(f.column))
            if key in spelled and spelled[key] != f.column:
                yield f"{subject}: its {label} name {key[1]} clashes with field '{spelled[key]}'"
            spelled[key] = f.column
        go = naming.proto_go(f.column)
        if go in RESERVED_GO_MEMBERS:
            yield f"{subject}: its Go name {go} is taken by generated methods"
        yield from _type_problems(subject, f, names)
    # protoc-gen-go adds a GetX method for every field X.
    by_go = {naming.proto_go(f.column): f.name for f in r.fields}
    for go, name in by_go.items():
        if go.startswith("Get") and go[3:] in by_go:
            yield (
                f"resource '{r.name}', field '{name}': its Go name {go} clashes with the "
                f"protobuf getter of field '{by_go[go[3:]]}'"
            )


def _type_problems(subject: str, f: Field, names: set[str]) -> Iterable[str]:
    if f.type == "enum":
        if not f.enum_values or f.enum_values == ("",):
            yield f"{subject}: enum needs at least one value, like enum(draft|sent)"
            return
        if len(f.enum_values) > MAX_ENUM_VALUES:
            yield f"{subject}: enum has more than {MAX_ENUM_VALUES} values"
        for v in f.enum_values:
            if not _ENUM_VALUE.match(v) or len(v) > MAX_NAME:
                yield (
                    f"{subject}: enum value '{v}' must be snake_case (lowercase letters, "
                    f"digits and '_', at most {MAX_NAME} characters)"
                )
        dupes = sorted({v for v in f.enum_values if f.enum_values.count(v) > 1})
        if dupes:
            yield f"{subject}: enum value '{dupes[0]}' is listed twice"
    if f.type == "ref" and f.target not in names:
        yield f"{subject}: references '{f.target}', which is not a resource of this project"


def _reference_problems(resources: list[Resource]) -> Iterable[str]:
    by_name = {r.name: r for r in resources}
    # A cycle of required references: no first row could ever be inserted.
    for start in resources:
        path = _required_cycle(start.name, by_name)
        if path:
            yield (
                "resources "
                + " -> ".join(f"'{p}'" for p in path)
                + (
                    " reference each other with required fields: no first row could be created;"
                    " make one of the references optional (ref(...)?)"
                )
            )
            return
    order = {r.name: i for i, r in enumerate(resources)}
    for r in resources:
        for f in r.fields:
            if f.type == "ref" and f.target in order and order[f.target] > order[r.name]:
                yield (
                    f"resource '{r.name}', field '{f.name}': references '{f.target}', which is "
                    f"listed after it; list '{f.target}' first"
                )


def _required_cycle(start: str, by_name: dict[str, Resource]) -> list[str]:
    def walk(name: str, path: list[str]) -> list[str]:
        for f in by_name[name].fields:
            if f.type != "ref" or f.optional or f.target not in by_name:
                continue
            if f.target == start:
                return [*path, start]
            if f.target not in path:
                found = walk(f.target, [*path, f.target])
                if found:
                    return found
        return []

    return walk(start, [start])
