"""The migration history: files render from entries, and never change once written."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment

from stackprint.resources import schema

FIXTURES = Path(__file__).parent / "fixtures" / "legacy_nextjs_migrations"

SHOP = [
    {"name": "customer", "plural": "customers", "fields": ["name:string", "tier:enum(a|b)"]},
    {
        "name": "invoice",
        "plural": "invoices",
        "fields": ["customer:ref(customer)", "notes:text?", "parent:ref(invoice)?"],
    },
]


def test_a_new_history_creates_each_table_in_order() -> None:
    files = schema.migrations(schema.initial_entries(SHOP))
    assert [m.file for m in files] == ["0001_create_customers.sql", "0002_create_invoices.sql"]
    invoices = files[1].sql
    assert "customer_id uuid NOT NULL REFERENCES customers (id)" in invoices
    assert "parent_id uuid REFERENCES invoices (id)" in invoices
    assert "notes text CHECK (char_length(notes) <= 10000)" in invoices
    assert "ON invoices (customer_id, created_at DESC, id DESC)" in invoices
    assert "tier text NOT NULL CHECK (tier IN ('a', 'b'))" in files[0].sql


def test_extending_appends_and_keeps_every_earlier_file() -> None:
    before = schema.initial_entries(SHOP[:1])
    # The customer changes afterwards; its recorded entry, and so its file, do not.
    changed = [{**SHOP[0], "fields": ["name:string", "tier:enum(a|b|c)"]}, SHOP[1]]
    after = schema.history(before, changed)
    assert after[:1] == before and len(after) == 2
    old, new = schema.migrations(before), schema.migrations(after)
    assert new[0] == old[0]
    assert new[1].file == "0002_create_invoices.sql"
    assert schema.history(after, changed) == after  # nothing new: nothing appended


def test_create_table_sql_is_frozen() -> None:
    # A golden rendering: changing create_table's SQL would rewrite projects' migrations.
    [m] = schema.migrations(schema.initial_entries([SHOP[0]]))
    assert m.sql == (
        "-- The customers table. Bounds mirror the API's, so no other writer\n"
        "-- can store a row the API would refuse. A migration is never edited: a later\n"
        "-- change to this table is a migration of its own.\n"
        "CREATE TABLE customers (\n"
        "    id uuid PRIMARY KEY,\n"
        "    name varchar(255) NOT NULL,\n"
        "    tier text NOT NULL CHECK (tier IN ('a', 'b')),\n"
        "    created_at timestamptz NOT NULL,\n"
        "    updated_at timestamptz NOT NULL\n"
        ");\n"
        "\n"
        "-- Lists page newest first by keyset: (created_at, id) below the cursor.\n"
        "CREATE INDEX customers_created_at_id_idx ON customers (created_at DESC, id DESC);\n"
    )


@pytest.mark.parametrize(
    ("resource", "plural", "fields"),
    [
        ("product", "products", "name:string,description:text,price_cents:int,in_stock:bool"),
        ("invoice_line", "invoice_lines", "title:string,amount:float,due:time,paid:bool"),
        ("reading", "readings", "value:float,taken_at:time"),
    ],
)
def test_legacy_entries_render_the_old_templates_byte_for_byte(
    resource: str, plural: str, fields: str
) -> None:
    answers = {"resource": resource, "resource_plural": plural, "fields": fields}
    files = schema.migrations(schema.legacy_entries(answers))
    strings = [f.split(":")[0] for f in fields.split(",") if f.endswith(":string")]
    assert [m.file for m in files] == [
        f"0001_create_{plural}.sql",
        f"0002_count_{plural}.sql",
        f"0003_drop_{plural}_row_count.sql",
        *([f"0004_allow_empty_{plural}_strings.sql"] if strings else []),
    ]
    # The templates as the untyped blueprint shipped them, with the values it computed.
    sql_type = {"string": "text", "text": "text", "int": "bigint", "float": "double precision"}
    sql_type |= {"bool": "boolean", "time": "timestamptz"}
    fields_list = [
        {"name": n, "type": t, "sql_type": sql_type[t]}
        for n, t in (f.split(":") for f in fields.split(","))
    ]
    env = Environment(keep_trailing_newline=True, autoescape=False)
    for m, fixture in zip(files, ["0001_create.sql.jinja", "0002_count.sql.jinja"], strict=False):
        template = env.from_string((FIXTURES / fixture).read_text())
        assert m.sql == template.render(resource_plural=plural, fields_list=fields_list)
    assert f"DROP TABLE IF EXISTS {plural}_row_count;" in files[2].sql
    assert f"DROP FUNCTION IF EXISTS {plural}_row_count();" in files[2].sql
    for column in strings:
        assert f"CHECK (char_length({column}) <= 255);" in files[3].sql


def test_the_legacy_string_checks_are_the_ones_postgresql_named() -> None:
    # PostgreSQL shortens the longer of table and column until the name fits 63 bytes.
    table, column = "a" * 40, "b" * 40
    (sql,) = [
        m.sql
        for m in schema.migrations(
            [{"kind": "legacy_string_checks", "plural": table, "columns": [column]}]
        )
    ]
    name = f"{'a' * 28}_{'b' * 28}_check"
    assert f"DROP CONSTRAINT IF EXISTS {name};" in sql
    assert schema._pg_check_name("products", "name") == "products_name_check"


def test_a_legacy_history_grows_like_any_other() -> None:
    legacy = schema.legacy_entries(
        {"resource": "product", "resource_plural": "products", "fields": "name:string"}
    )
    resources = [
        {"name": "product", "plural": "products", "fields": ["name:string"]},
        SHOP[0],
    ]
    files = schema.migrations(schema.history(legacy, resources))
    assert [m.file for m in files][4:] == ["0005_create_customers.sql"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({}, "migrations must be a list"),
        ([{"kind": "rename"}], "migration 1: kind must be one of"),
        ([{"kind": "create_table"}], "migration 1 (create_table): 'resource'"),
        ([{"kind": "drop_row_count", "plural": ""}], "plural must be a non-empty string"),
        (
            [{"kind": "legacy_string_checks", "plural": "p", "columns": []}],
            "columns must be a non-empty list",
        ),
    ],
)
def test_a_broken_history_is_one_line_naming_the_entry(value: object, message: str) -> None:
    with pytest.raises(schema.HistoryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        schema.check_entries(value)


def test_render_records_the_history_and_extends_it(tmp_path: Path) -> None:
    from stackprint import blueprints, yamlio
    from stackprint.answers import resolve
    from stackprint.render import render

    blueprint = blueprints.load("nextjs-go")
    first = resolve(blueprint.questions, {"resources": SHOP[:1]}, use_defaults=True, asker=None)
    render(blueprint, tmp_path / "one", first, created="2026-01-01")
    recorded = yamlio.load((tmp_path / "one" / ".copier-answers.yml").read_text())
    assert recorded["migrations"] == schema.initial_entries(SHOP[:1])
    migrations = "backend/internal/persistence/migrations"
    old = (tmp_path / "one" / migrations / "0001_create_customers.sql").read_bytes()

    # What update passes back: the recorded history, and the resources grown by one.
    grown = {**first, "resources": SHOP, "migrations": recorded["migrations"]}
    render(blueprint, tmp_path / "two", grown, created="2026-01-01")
    files = sorted(p.name for p in (tmp_path / "two" / migrations).iterdir())
    assert files == ["0001_create_customers.sql", "0002_create_invoices.sql"]
    assert (tmp_path / "two" / migrations / "0001_create_customers.sql").read_bytes() == old


def test_update_passes_the_recorded_history_back(tmp_path: Path) -> None:
    from stackprint import blueprints
    from stackprint.project import Recorded
    from stackprint.updater import _answers

    history = schema.initial_entries(SHOP[:1])
    recorded = Recorded(
        tmp_path,
        blueprints.load("nextjs-go"),
        {"resources": SHOP[:1], "migrations": history},
        "0.1.0",
        "2026-01-01",
    )
    answers = _answers(recorded, {"resources": SHOP}, None)
    assert answers["migrations"] == history and answers["resources"] == SHOP
