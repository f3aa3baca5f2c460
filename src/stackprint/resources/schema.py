"""The migration history: the ordered schema changes a project's database went through.

A generated project's SQL migrations are rendered from this history, one file per entry,
and the history is recorded in the answers file. An entry describes its change with
everything it needs (a `create_table` entry carries the resource as it was then), so a
file renders to the same bytes forever, whatever the resources become later: changing the
schema means appending an entry, never editing one.

Entries are plain mappings with a `kind`:

- `create_table`: `{kind, resource: {name, plural, fields}}`, the table of a new resource;
- `legacy_create_table`, `legacy_row_count`: the two migrations of projects generated
  before resources were typed (fields of the old `string text int float bool time` kinds),
  kept byte-identical to what those projects have on disk;
- `drop_row_count`: `{kind, plural}`, removes the trigger-kept row count of the latter;
- `legacy_string_checks`: `{kind, plural, columns}`, lets the untyped table's `string`
  columns hold the empty string, as a typed `string` may (the untyped checks wanted 1 to
  255 characters, so the typed code's valid writes failed as internal errors);
- `add_columns`: `{kind, plural, fields}`, fields added to a resource after its table was
  created (`stackprint add field`). A required one is added with the zero value of its Go
  type (an enum: its first value) as the value of the rows already there, which the
  migration states; a reference gets its foreign key and its index;
- `drop_table`: `{kind, plural}`, the table of a removed resource (only on request:
  `stackprint remove resource --drop-table`).

New kinds join `_KINDS`; the SQL of an existing kind is frozen: its own column table
below, not `types.TYPES`, decides what it writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

from stackprint.resources.spec import Field, SpecError, parse_field, parse_resources
from stackprint.resources.types import TEXT_MAX

Entry = dict[str, Any]


class HistoryError(ValueError):
    """A recorded history that cannot be read; the message is one line."""


@dataclass(frozen=True)
class Migration:
    """One rendered migration: its file name and its SQL."""

    number: int
    kind: str
    slug: str
    sql: str

    @property
    def file(self) -> str:
        return f"{self.number:04d}_{self.slug}.sql"


# ---- building histories ---------------------------------------------------------------


def _create_entry(resource: Mapping[str, Any]) -> Entry:
    return {
        "kind": "create_table",
        "resource": {
            "name": resource["name"],
            "plural": resource["plural"],
            "fields": list(resource["fields"]),
        },
    }


def initial_entries(resources: Any) -> list[Entry]:
    """The history of a new project: one `create_table` per resource, in order."""
    return [_create_entry(r.to_answer()) for r in parse_resources(resources)]


def extend(entries: Iterable[Mapping[str, Any]], resources: Any) -> list[Entry]:
    """`entries` followed by what the resources need and the history has not made yet: a
    `create_table` for every resource without a table, an `add_columns` for the fields a
    resource has and its table lacks.

    A required reference cannot be added to a table that may hold rows (no value would be
    valid for them): HistoryError.
    """
    history = [dict(e) for e in entries]
    tables = replay(history)
    for r in parse_resources(resources):
        table = tables.get(r.name)
        if table is None:
            history.append(_create_entry(r.to_answer()))
            continue
        new = [f for f in r.fields if f.name not in table.columns]
        if not new:
            continue
        for f in new:
            if f.type == "ref" and not f.optional:
                raise HistoryError(
                    f"resource '{r.name}', field '{f.name}': a required reference cannot be "
                    f"added to the existing table {table.name}, its rows would have no valid "
                    f"value; add it optional ({f.spec()}?)"
                )
        history.append(
            {"kind": "add_columns", "plural": table.name, "fields": [f.spec() for f in new]}
        )
    return history


@dataclass(frozen=True)
class Table:
    """A table as the history left it: its name and the fields it has columns for."""

    name: str
    columns: tuple[str, ...]  # field names, in the order they were added


def replay(entries: Iterable[Mapping[str, Any]]) -> dict[str, Table]:
    """{resource name: its table} after `entries`, in the order the tables were created."""
    tables: dict[str, Table] = {}
    for entry in entries:
        kind = entry.get("kind")
        name = _created_name(entry)
        if name is not None:
            fields = [str(spec).partition(":")[0].strip() for spec in entry["resource"]["fields"]]
            tables[name] = Table(str(entry["resource"]["plural"]), tuple(fields))
        elif kind == "add_columns":
            for owner, table in tables.items():
                if table.name == entry["plural"]:
                    added = tuple(parse_field(spec).name for spec in entry["fields"])
                    tables[owner] = Table(table.name, table.columns + added)
        elif kind == "drop_table":
            tables = {k: t for k, t in tables.items() if t.name != entry["plural"]}
    return tables


def added_later(entries: Iterable[Mapping[str, Any]]) -> dict[str, frozenset[str]]:
    """{resource name: the fields added (`add_columns`) after its table was created}."""
    later: dict[str, set[str]] = {}
    owners: dict[str, str] = {}  # table -> resource
    for entry in entries:
        name = _created_name(entry)
        if name is not None:
            owners[str(entry["resource"]["plural"])] = name
            later[name] = set()
        elif entry.get("kind") == "add_columns" and entry["plural"] in owners:
            owner = owners[entry["plural"]]
            later[owner] |= {parse_field(spec).name for spec in entry["fields"]}
        elif entry.get("kind") == "drop_table" and entry["plural"] in owners:
            later.pop(owners.pop(entry["plural"]), None)
    return {name: frozenset(fields) for name, fields in later.items()}


def history(recorded: Any, resources: Any) -> list[Entry]:
    """The history to render: the recorded one extended to the resources, or a new one."""
    if recorded is None:
        return initial_entries(resources)
    check_entries(recorded)
    return extend(recorded, resources)


def legacy_entries(answers: Mapping[str, Any]) -> list[Entry]:
    """The history of a project generated with `resource`, `resource_plural` and `fields`.

    The first two entries render its `0001_create_<plural>.sql` and `0002_count_<plural>.sql`
    byte for byte; the next ones bring the table to what the typed code expects: the row
    count goes, and `string` columns accept the empty string.
    """
    plural = str(answers["resource_plural"])
    fields = [p.strip() for p in str(answers["fields"]).split(",") if p.strip()]
    resource = {"name": str(answers["resource"]), "plural": plural, "fields": fields}
    entries: list[Entry] = [
        {"kind": "legacy_create_table", "resource": resource},
        {"kind": "legacy_row_count", "plural": plural},
        {"kind": "drop_row_count", "plural": plural},
    ]
    strings = [f["name"] for f in _legacy_fields(entries[0]) if f["type"] == "string"]
    if strings:
        entries.append({"kind": "legacy_string_checks", "plural": plural, "columns": strings})
    return entries


def _created_name(entry: Mapping[str, Any]) -> str | None:
    if entry.get("kind") in ("create_table", "legacy_create_table"):
        return str(entry["resource"]["name"])
    return None


# ---- checking ---------------------------------------------------------------------------


def check_entries(value: Any) -> list[Entry]:
    """The history as a list of entries, or HistoryError naming the first bad entry."""
    if not isinstance(value, list):
        raise HistoryError("migrations must be a list of entries")
    for number, entry in enumerate(value, 1):
        where = f"migration {number}"
        if not isinstance(entry, Mapping) or entry.get("kind") not in _KINDS:
            raise HistoryError(f"{where}: kind must be one of {', '.join(sorted(_KINDS))}")
        try:
            _KINDS[entry["kind"]].check(entry)
        except (KeyError, TypeError, SpecError) as exc:
            raise HistoryError(f"{where} ({entry['kind']}): {exc}") from None
    return [dict(e) for e in value]


# ---- rendering --------------------------------------------------------------------------


def migrations(value: Any) -> list[Migration]:
    """Every entry of the history as a numbered migration file."""
    entries = check_entries(json.loads(value) if isinstance(value, str) else value)
    tables: dict[str, str] = {}  # resource name -> table, as created so far
    out = []
    for number, entry in enumerate(entries, 1):
        kind = _KINDS[entry["kind"]]
        name = _created_name(entry)
        if name is not None:
            tables[name] = str(entry["resource"]["plural"])
        elif entry["kind"] == "drop_table":
            tables = {k: t for k, t in tables.items() if t != entry["plural"]}
        out.append(Migration(number, entry["kind"], kind.slug(entry), kind.sql(entry, tables)))
    return out


def initial_migrations_json(resources: Any) -> str:
    """`initial_entries` as JSON, for a copier.yml default of a `yaml` question."""
    return json.dumps(initial_entries(resources))


@dataclass(frozen=True)
class _Kind:
    slug: Callable[[Mapping[str, Any]], str]
    sql: Callable[[Mapping[str, Any], Mapping[str, str]], str]
    check: Callable[[Mapping[str, Any]], None]


# create_table, version 1: column types and checks as of the typed resources. Frozen.
_COLUMN_V1 = {
    "string": "varchar(255)",
    "text": "text",
    "int": "integer",
    "bigint": "bigint",
    "float": "double precision",
    "bool": "boolean",
    "time": "timestamptz",
    "date": "date",
    "uuid": "uuid",
    "enum": "text",
    "ref": "uuid",
}


def _fields(entry: Mapping[str, Any]) -> list[Field]:
    return [parse_field(spec) for spec in entry["resource"]["fields"]]


def _check_resource(entry: Mapping[str, Any]) -> None:
    resource = entry["resource"]
    for key in ("name", "plural"):
        if not isinstance(resource[key], str) or not resource[key]:
            raise TypeError(f"resource {key} must be a non-empty string")
    if not isinstance(resource["fields"], list):
        raise TypeError("resource fields must be a list")


def _check_create(entry: Mapping[str, Any]) -> None:
    _check_resource(entry)
    for f in _fields(entry):
        if f.type not in _COLUMN_V1:
            raise TypeError(f"field {f.name}: type {f.type} has no column")


def _column_v1(f: Field, tables: Mapping[str, str]) -> str:
    col = f.column
    parts = [col, _COLUMN_V1[f.type]]
    if not f.optional:
        parts.append("NOT NULL")
    if f.type == "text":
        parts.append(f"CHECK (char_length({col}) <= {TEXT_MAX})")
    elif f.type == "enum":
        values = ", ".join(f"'{v}'" for v in f.enum_values)
        parts.append(f"CHECK ({col} IN ({values}))")
    elif f.type == "ref":
        parts.append(f"REFERENCES {tables[f.target]} (id)")
    return " ".join(parts)


def _create_table_sql(entry: Mapping[str, Any], tables: Mapping[str, str]) -> str:
    table = str(entry["resource"]["plural"])
    fields = _fields(entry)
    columns = ["id uuid PRIMARY KEY", *(_column_v1(f, tables) for f in fields)]
    columns += ["created_at timestamptz NOT NULL", "updated_at timestamptz NOT NULL"]
    lines = [
        f"-- The {table.replace('_', ' ')} table. Bounds mirror the API's, so no other writer",
        "-- can store a row the API would refuse. A migration is never edited: a later",
        "-- change to this table is a migration of its own.",
        f"CREATE TABLE {table} (",
        ",\n".join(f"    {c}" for c in columns),
        ");",
        "",
        "-- Lists page newest first by keyset: (created_at, id) below the cursor.",
        f"CREATE INDEX {table}_created_at_id_idx ON {table} (created_at DESC, id DESC);",
    ]
    for f in fields:
        if f.type == "ref":
            lines += _ref_index_v1(table, f)
    return "\n".join(lines) + "\n"


def _ref_index_v1(table: str, f: Field) -> list[str]:
    """The index of a reference column, for its filtered lists and its target's deletes."""
    return [
        f"-- Lists filtered by {f.name}, in the same order; it also serves the",
        "-- reference check when the target is deleted.",
        f"CREATE INDEX {table}_{f.column}_created_at_id_idx "
        f"ON {table} ({f.column}, created_at DESC, id DESC);",
    ]


# ---- the untyped (legacy) migrations, as their templates rendered them -------------------

_LEGACY_SQL_TYPE = {
    "string": "text",
    "text": "text",
    "int": "bigint",
    "float": "double precision",
    "bool": "boolean",
    "time": "timestamptz",
}

_LEGACY_CREATE = """\
-- The {{ resource_plural }} table. Limits mirror the domain rules so bad rows cannot slip in
-- through another writer.
CREATE TABLE {{ resource_plural }} (
    id uuid PRIMARY KEY,
{%- for f in fields_list %}
    {{ f.name }} {{ f.sql_type }} NOT NULL
{%- if f.type == 'string' %} CHECK (char_length({{ f.name }}) BETWEEN 1 AND 255)
{%- elif f.type == 'text' %} CHECK (char_length({{ f.name }}) <= 10000)
{%- endif %},
{%- endfor %}
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Serves the newest-first listing.
CREATE INDEX {{ resource_plural }}_created_at_id_idx ON {{ resource_plural }} (created_at DESC, id DESC);
"""

_LEGACY_COUNT = """\
-- The number of {{ resource_plural | replace('_', ' ') }}, kept by triggers so that listing does not count the
-- table on every request (count(*) reads every row). The count is split over 16 shards,
-- picked by the writing connection, so concurrent inserts and deletes do not all queue on
-- one row lock; readers add the shards up (a shard alone means nothing: a row inserted
-- through one and deleted through another leaves +1 and -1). It is exact and
-- transactional: a reader sees the count of its own snapshot, whichever replica wrote.
CREATE TABLE {{ resource_plural }}_row_count (
    shard smallint PRIMARY KEY,
    n bigint NOT NULL
);

INSERT INTO {{ resource_plural }}_row_count (shard, n)
SELECT s, CASE WHEN s = 0 THEN (SELECT count(*) FROM {{ resource_plural }}) ELSE 0 END
FROM generate_series(0, 15) AS s;

CREATE FUNCTION {{ resource_plural }}_row_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE {{ resource_plural }}_row_count SET n = 0;
    ELSE
        UPDATE {{ resource_plural }}_row_count
        SET n = n + CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END
        WHERE shard = pg_backend_pid() % 16;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER {{ resource_plural }}_row_count
AFTER INSERT OR DELETE ON {{ resource_plural }}
FOR EACH ROW EXECUTE FUNCTION {{ resource_plural }}_row_count();

CREATE TRIGGER {{ resource_plural }}_row_count_truncate
AFTER TRUNCATE ON {{ resource_plural }}
FOR EACH STATEMENT EXECUTE FUNCTION {{ resource_plural }}_row_count();
"""

# The legacy templates ran in Copier's environment, which keeps the final newline.
_LEGACY_ENV = Environment(keep_trailing_newline=True, autoescape=False)


def _legacy_fields(entry: Mapping[str, Any]) -> list[dict[str, str]]:
    fields = []
    for spec in entry["resource"]["fields"]:
        name, _, type_ = str(spec).partition(":")
        fields.append({"name": name, "type": type_, "sql_type": _LEGACY_SQL_TYPE[type_]})
    return fields


def _check_legacy_create(entry: Mapping[str, Any]) -> None:
    _check_resource(entry)
    for spec in entry["resource"]["fields"]:
        type_ = str(spec).partition(":")[2]
        if type_ not in _LEGACY_SQL_TYPE:
            raise TypeError(f"field {spec}: not a type of the untyped fields")


def _legacy_create_sql(entry: Mapping[str, Any], _tables: Mapping[str, str]) -> str:
    template = _LEGACY_ENV.from_string(_LEGACY_CREATE)
    return template.render(
        resource_plural=entry["resource"]["plural"], fields_list=_legacy_fields(entry)
    )


def _legacy_count_sql(entry: Mapping[str, Any], _tables: Mapping[str, str]) -> str:
    return _LEGACY_ENV.from_string(_LEGACY_COUNT).render(resource_plural=entry["plural"])


def _check_plural(entry: Mapping[str, Any]) -> None:
    if not isinstance(entry["plural"], str) or not entry["plural"]:
        raise TypeError("plural must be a non-empty string")


def _drop_row_count_sql(entry: Mapping[str, Any], _tables: Mapping[str, str]) -> str:
    t = entry["plural"]
    return (
        f"-- Lists page by cursor and no longer report a total: the row count of\n"
        f"-- {t} and the triggers that kept it go.\n"
        f"DROP TRIGGER IF EXISTS {t}_row_count_truncate ON {t};\n"
        f"DROP TRIGGER IF EXISTS {t}_row_count ON {t};\n"
        f"DROP FUNCTION IF EXISTS {t}_row_count();\n"
        f"DROP TABLE IF EXISTS {t}_row_count;\n"
    )


def _pg_check_name(table: str, column: str) -> str:
    """The name PostgreSQL gives a column's CHECK constraint (makeObjectName: the longer
    of table and column loses characters until the name fits in 63 bytes)."""
    label = "check"
    available = 63 - (len(label) + 1) - 1
    t, c = len(table), len(column)
    while t + c > available:
        if t > c:
            t -= 1
        else:
            c -= 1
    return f"{table[:t]}_{column[:c]}_{label}"


def _check_string_checks(entry: Mapping[str, Any]) -> None:
    _check_plural(entry)
    columns = entry["columns"]
    if (
        not isinstance(columns, list)
        or not columns
        or not all(isinstance(c, str) and c for c in columns)
    ):
        raise TypeError("columns must be a non-empty list of column names")


def _string_checks_sql(entry: Mapping[str, Any], _tables: Mapping[str, str]) -> str:
    t = str(entry["plural"])
    lines = [
        f"-- Strings of {t.replace('_', ' ')} may be empty, as every typed string may: the checks of",
        "-- the first migration (1 to 255 characters) become at most 255 characters.",
    ]
    for column in entry["columns"]:
        name = _pg_check_name(t, column)
        lines += [
            f"ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {name};",
            f"ALTER TABLE {t} ADD CONSTRAINT {name} CHECK (char_length({column}) <= 255);",
        ]
    return "\n".join(lines) + "\n"


# ---- later changes: added columns, dropped tables -----------------------------------------

# add_columns, version 1: the value the rows already in the table get for a required new
# column: the zero value of the field's Go type, so that GORM (which leaves a zero value to
# the column's default) and SQL agree. Frozen, like _COLUMN_V1.
_ZERO_V1 = {
    "string": "''",
    "text": "''",
    "int": "0",
    "bigint": "0",
    "float": "0",
    "bool": "false",
    "time": "'0001-01-01 00:00:00+00'",
    "date": "'0001-01-01'",
    "uuid": "'00000000-0000-0000-0000-000000000000'",
}


def zero_value(f: Field) -> str:
    """The SQL literal the existing rows get for the required new field `f`."""
    if f.type == "enum":
        return f"'{f.enum_values[0]}'"
    return _ZERO_V1[f.type]


def _check_add_columns(entry: Mapping[str, Any]) -> None:
    _check_plural(entry)
    if not isinstance(entry["fields"], list) or not entry["fields"]:
        raise TypeError("fields must be a non-empty list")
    for spec in entry["fields"]:
        f = parse_field(spec)
        if f.type not in _COLUMN_V1:
            raise TypeError(f"field {f.name}: type {f.type} has no column")
        if f.type == "ref" and not f.optional:
            raise TypeError(f"field {f.name}: a reference added later must be optional")


def _add_columns_slug(entry: Mapping[str, Any]) -> str:
    fields = [parse_field(spec) for spec in entry["fields"]]
    what = fields[0].column if len(fields) == 1 else f"{len(fields)}_columns"
    return f"add_{what}_to_{entry['plural']}"


def _add_columns_sql(entry: Mapping[str, Any], tables: Mapping[str, str]) -> str:
    table = str(entry["plural"])
    fields = [parse_field(spec) for spec in entry["fields"]]
    lines = [
        f"-- New fields of the {table.replace('_', ' ')} table. A migration is never edited:",
        "-- a later change to this table is a migration of its own.",
    ]
    for f in fields:
        if f.optional:
            lines.append(f"-- {f.column} is optional: the rows already there get NULL.")
            lines.append(f"ALTER TABLE {table} ADD COLUMN {_column_v1(f, tables)};")
            continue
        zero = zero_value(f)
        lines += [
            f"-- {f.column} is required: the rows already there get {zero}, the zero value of",
            "-- its type; the default is dropped after, so every new row states its own.",
            f"ALTER TABLE {table} ADD COLUMN {_column_v1(f, tables)} DEFAULT {zero};",
            f"ALTER TABLE {table} ALTER COLUMN {f.column} DROP DEFAULT;",
        ]
    for f in fields:
        if f.type == "ref":
            lines += _ref_index_v1(table, f)
    return "\n".join(lines) + "\n"


def _drop_table_sql(entry: Mapping[str, Any], _tables: Mapping[str, str]) -> str:
    t = entry["plural"]
    return (
        f"-- The resource of the {t} table was removed and its table dropped on request\n"
        f"-- (--drop-table): its rows are gone with it.\n"
        f"DROP TABLE IF EXISTS {t};\n"
    )


_KINDS: dict[str, _Kind] = {
    "create_table": _Kind(
        slug=lambda e: f"create_{e['resource']['plural']}",
        sql=_create_table_sql,
        check=_check_create,
    ),
    "legacy_create_table": _Kind(
        slug=lambda e: f"create_{e['resource']['plural']}",
        sql=_legacy_create_sql,
        check=_check_legacy_create,
    ),
    "legacy_row_count": _Kind(
        slug=lambda e: f"count_{e['plural']}", sql=_legacy_count_sql, check=_check_plural
    ),
    "drop_row_count": _Kind(
        slug=lambda e: f"drop_{e['plural']}_row_count",
        sql=_drop_row_count_sql,
        check=_check_plural,
    ),
    "legacy_string_checks": _Kind(
        slug=lambda e: f"allow_empty_{e['plural']}_strings",
        sql=_string_checks_sql,
        check=_check_string_checks,
    ),
    "add_columns": _Kind(slug=_add_columns_slug, sql=_add_columns_sql, check=_check_add_columns),
    "drop_table": _Kind(
        slug=lambda e: f"drop_{e['plural']}", sql=_drop_table_sql, check=_check_plural
    ),
}
