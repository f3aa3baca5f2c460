"""Every field type, and what it is in each layer: the one table the blueprints read.

A row says how a type is stored (PostgreSQL), carried (protobuf, OpenAPI/JSON), typed
(Go, TypeScript), entered (a form control) and bounded, with the values generated tests
use. `enum` and `ref` rows are completed per field (their values and target) by
`stackprint.resources.spec.Field`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STRING_MAX = 255
TEXT_MAX = 10_000
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# PostgreSQL text cannot hold NUL (U+0000), so the services refuse it; the contract says so
# with this JSON Schema pattern (ECMA-262 syntax, as OpenAPI asks).
NO_NUL_PATTERN = r"^[^\u0000]*$"


@dataclass(frozen=True)
class FieldType:
    """One field type across the layers of a generated project."""

    name: str
    # PostgreSQL column type.
    pg: str
    # protobuf scalar or message type, and the import it needs ("" when none).
    proto: str
    proto_import: str
    # Go type of the value in domain code (a pointer to it when the field is optional).
    go: str
    # The JSON Schema/OpenAPI 3 schema of the value, bounds included.
    openapi: dict[str, Any]
    # TypeScript type of the value in the client (as openapi-typescript types it).
    ts: str
    # HTML form control.
    input: str
    # Bounds the API validates: characters for strings, values for numbers (None: unbounded).
    max_length: int | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    # How the value travels in JSON: "string", "number", "integer" or "boolean".
    json: str = "string"
    # Values for generated tests, as they appear in JSON: a typical one, a second one for
    # updates, and the edge values a round trip must keep exactly.
    example: Any = None
    example_update: Any = None
    edges: tuple[Any, ...] = field(default_factory=tuple)
    # Whether a list can be ordered and filtered by it with an index.
    sortable: bool = True


def _at_most(digits: str) -> str:
    """A regular expression for the decimals of len(digits) digits up to digits."""
    if not digits:
        return ""
    head, rest = int(digits[0]), digits[1:]
    if not rest:
        return f"[0-{head}]" if head else "0"
    options = [f"{digits[0]}{_at_most(rest)}"]
    if head > 0:
        lower = "0" if head == 1 else f"[0-{head - 1}]"
        options.insert(0, f"{lower}[0-9]{{{len(rest)}}}")
    return options[0] if len(options) == 1 else "(" + "|".join(options) + ")"


def decimal_pattern(minimum: int, maximum: int) -> str:
    """A regular expression for the canonical decimals (no leading zero, no "-0") from
    minimum to maximum, with minimum < 0 < maximum: a bound a JSON Schema pattern can hold
    where a string carries a number."""

    def up_to(bound: int) -> str:
        text = str(bound)
        shorter = f"[1-9][0-9]{{0,{len(text) - 2}}}" if len(text) > 1 else ""
        first = int(text[0])
        same = (
            f"[1-{first - 1}][0-9]{{{len(text) - 1}}}|{text[0]}{_at_most(text[1:])}"
            if first > 1
            else f"1{_at_most(text[1:])}"
        )
        return "|".join(part for part in (shorter, same) if part)

    return f"^(0|{up_to(maximum)}|-({up_to(-minimum)}))$"


def _str_edges(limit: int) -> tuple[str, ...]:
    # Two-byte, three-byte and four-byte UTF-8 characters, counted as characters (code
    # points) by PostgreSQL, JSON Schema and Go's utf8.RuneCountInString alike. The
    # four-byte one is kept out of the at-the-limit value: JavaScript's `maxLength` on an
    # <input> counts UTF-16 units.
    return ("é" * limit, "Ωmega ✓ 𝄞", "")


TYPES: dict[str, FieldType] = {
    t.name: t
    for t in (
        FieldType(
            name="string",
            pg=f"varchar({STRING_MAX})",
            proto="string",
            proto_import="",
            go="string",
            openapi={"type": "string", "maxLength": STRING_MAX, "pattern": NO_NUL_PATTERN},
            ts="string",
            input="text",
            max_length=STRING_MAX,
            example="Sample",
            example_update="Updated",
            edges=_str_edges(STRING_MAX),
        ),
        FieldType(
            name="text",
            pg="text",
            proto="string",
            proto_import="",
            go="string",
            openapi={"type": "string", "maxLength": TEXT_MAX, "pattern": NO_NUL_PATTERN},
            ts="string",
            input="textarea",
            max_length=TEXT_MAX,
            example="Some longer text.",
            example_update="Some other text.",
            edges=_str_edges(TEXT_MAX),
            sortable=False,
        ),
        FieldType(
            name="int",
            pg="integer",
            proto="int32",
            proto_import="",
            go="int32",
            openapi={
                "type": "integer",
                "format": "int32",
                "minimum": INT32_MIN,
                "maximum": INT32_MAX,
            },
            ts="number",
            input="number",
            minimum=INT32_MIN,
            maximum=INT32_MAX,
            json="integer",
            example=42,
            example_update=7,
            edges=(INT32_MIN, INT32_MAX, 0),
        ),
        FieldType(
            # 64-bit integers travel as decimal strings, as protojson writes int64, so no
            # JSON parser (JavaScript's included) rounds them above 2^53.
            name="bigint",
            pg="bigint",
            proto="int64",
            proto_import="",
            go="int64",
            openapi={
                "type": "string",
                "format": "int64",
                "pattern": decimal_pattern(INT64_MIN, INT64_MAX),
            },
            ts="string",
            input="text",
            minimum=INT64_MIN,
            maximum=INT64_MAX,
            json="string",
            example="9007199254740993",
            example_update="-12",
            edges=(str(INT64_MIN), str(INT64_MAX), str(2**53 + 1), "0"),
        ),
        FieldType(
            name="float",
            pg="double precision",
            proto="double",
            proto_import="",
            go="float64",
            openapi={"type": "number", "format": "double"},
            ts="number",
            input="number",
            json="number",
            example=12.5,
            example_update=-0.25,
            edges=(0.1, -1.7976931348623157e308, 5e-324, 123456789.125),
        ),
        FieldType(
            name="bool",
            pg="boolean",
            proto="bool",
            proto_import="",
            go="bool",
            openapi={"type": "boolean"},
            ts="boolean",
            input="checkbox",
            json="boolean",
            example=True,
            example_update=False,
            edges=(True, False),
        ),
        FieldType(
            # An instant. JSON carries RFC 3339 with an offset; PostgreSQL keeps microseconds.
            name="time",
            pg="timestamptz",
            proto="google.protobuf.Timestamp",
            proto_import="google/protobuf/timestamp.proto",
            go="time.Time",
            openapi={"type": "string", "format": "date-time"},
            ts="string",
            input="datetime-local",
            example="2030-01-02T03:04:05Z",
            example_update="2031-06-07T08:09:10.5+02:00",
            edges=(
                "2024-02-29T23:59:59.123456+05:30",
                "0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999Z",
            ),
        ),
        FieldType(
            # A calendar date without a zone: YYYY-MM-DD in JSON.
            name="date",
            pg="date",
            proto="string",
            proto_import="",
            go="time.Time",
            openapi={"type": "string", "format": "date"},
            ts="string",
            input="date",
            example="2030-01-02",
            example_update="2031-12-31",
            edges=("2024-02-29", "0001-01-01", "9999-12-31"),
        ),
        FieldType(
            name="uuid",
            pg="uuid",
            proto="string",
            proto_import="",
            go="uuid.UUID",
            openapi={"type": "string", "format": "uuid"},
            ts="string",
            input="text",
            example="0b5f2f4e-8c4d-4d7a-9c3e-2f1a6b7c8d9e",
            example_update="00000000-0000-0000-0000-000000000000",
            edges=("ffffffff-ffff-ffff-ffff-ffffffffffff",),
        ),
        FieldType(
            # Completed per field with its values (Field.enum_values).
            name="enum",
            pg="text",
            proto="string",
            proto_import="",
            go="string",
            openapi={"type": "string"},
            ts="string",
            input="select",
        ),
        FieldType(
            # A foreign key to another resource's id; the column is `<field>_id`.
            name="ref",
            pg="uuid",
            proto="string",
            proto_import="",
            go="uuid.UUID",
            openapi={"type": "string", "format": "uuid"},
            ts="string",
            input="select",
        ),
    )
}

# Types written with an argument: enum(a|b|c), ref(customer).
PARAMETRIC = frozenset({"enum", "ref"})
