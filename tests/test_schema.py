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


# ---- later changes: add_columns, drop_table ------------------------------------------------


def test_a_new_field_is_an_add_columns_entry_and_earlier_files_stay_byte_identical() -> None:
    before = schema.initial_entries(SHOP)
    grown = [
        {**SHOP[0], "fields": [*SHOP[0]["fields"], "phone:string?"]},
        {**SHOP[1], "fields": [*SHOP[1]["fields"], "due_on:date", "status:enum(draft|sent)"]},
    ]
    after = schema.history(before, grown)
    assert after[:2] == before
    assert after[2:] == [
        {"kind": "add_columns", "plural": "customers", "fields": ["phone:string?"]},
        {
            "kind": "add_columns",
            "plural": "invoices",
            "fields": ["due_on:date", "status:enum(draft|sent)"],
        },
    ]
    old, new = schema.migrations(before), schema.migrations(after)
    assert new[:2] == old
    assert [m.file for m in new[2:]] == [
        "0003_add_phone_to_customers.sql",
        "0004_add_2_columns_to_invoices.sql",
    ]
    assert schema.history(after, grown) == after  # replayed: the columns exist now


def test_add_columns_sql_states_the_value_of_the_rows_already_there() -> None:
    entries = [
        *schema.initial_entries(SHOP),
        {
            "kind": "add_columns",
            "plural": "invoices",
            "fields": ["due_on:date", "owner:ref(customer)?"],
        },
    ]
    sql = schema.migrations(entries)[-1].sql
    assert sql == (
        "-- New fields of the invoices table. A migration is never edited:\n"
        "-- a later change to this table is a migration of its own.\n"
        "-- due_on is required: the rows already there get '0001-01-01', the zero value of\n"
        "-- its type; the default is dropped after, so every new row states its own.\n"
        "ALTER TABLE invoices ADD COLUMN due_on date NOT NULL DEFAULT '0001-01-01';\n"
        "ALTER TABLE invoices ALTER COLUMN due_on DROP DEFAULT;\n"
        "-- owner_id is optional: the rows already there get NULL.\n"
        "ALTER TABLE invoices ADD COLUMN owner_id uuid REFERENCES customers (id);\n"
        "-- Lists filtered by owner, in the same order; it also serves the\n"
        "-- reference check when the target is deleted.\n"
        "CREATE INDEX invoices_owner_id_created_at_id_idx "
        "ON invoices (owner_id, created_at DESC, id DESC);\n"
    )


@pytest.mark.parametrize(
    ("spec", "zero"),
    [
        ("a:string", "''"),
        ("a:text", "''"),
        ("a:int", "0"),
        ("a:bigint", "0"),
        ("a:float", "0"),
        ("a:bool", "false"),
        ("a:time", "'0001-01-01 00:00:00+00'"),
        ("a:uuid", "'00000000-0000-0000-0000-000000000000'"),
        ("a:enum(low|high)", "'low'"),
    ],
)
def test_a_required_new_column_gets_the_zero_value_of_its_type(spec: str, zero: str) -> None:
    entries = [
        *schema.initial_entries(SHOP[:1]),
        {"kind": "add_columns", "plural": "customers", "fields": [spec]},
    ]
    assert f"DEFAULT {zero};" in schema.migrations(entries)[-1].sql


def test_a_required_reference_cannot_be_added_to_an_existing_table() -> None:
    grown = [SHOP[0], {**SHOP[1], "fields": [*SHOP[1]["fields"], "payer:ref(customer)"]}]
    with pytest.raises(schema.HistoryError, match=r"payer.*payer:ref\(customer\)\?"):
        schema.history(schema.initial_entries(SHOP), grown)
    bad = [
        *schema.initial_entries(SHOP),
        {"kind": "add_columns", "plural": "invoices", "fields": ["p:ref(customer)"]},
    ]
    with pytest.raises(schema.HistoryError, match=r"migration 3 \(add_columns\): field p"):
        schema.migrations(bad)


def test_a_dropped_table_is_created_again_when_its_resource_comes_back() -> None:
    entries = [*schema.initial_entries(SHOP), {"kind": "drop_table", "plural": "invoices"}]
    files = schema.migrations(entries)
    assert files[-1].file == "0003_drop_invoices.sql"
    assert "DROP TABLE IF EXISTS invoices;" in files[-1].sql
    assert schema.history(entries, SHOP[:1]) == entries
    again = schema.history(entries, SHOP)
    assert again[-1] == schema.initial_entries(SHOP)[1]
    assert schema.migrations(again)[:3] == files


def test_the_model_knows_which_fields_came_later() -> None:
    from stackprint.resources.jinja import resource_model

    grown = [SHOP[0], {**SHOP[1], "fields": [*SHOP[1]["fields"], "due_on:date", "memo:text?"]}]
    history = schema.history(schema.initial_entries(SHOP), grown)
    invoice = resource_model(grown, history).get("invoice")
    assert invoice is not None
    by_name = {f.name: f for f in invoice.fields}
    assert (
        by_name["due_on"].added_later and by_name["due_on"].gorm_default == "default:'0001-01-01'"
    )
    assert by_name["memo"].added_later and by_name["memo"].gorm_default == ""  # nullable
    assert not by_name["customer"].added_later and by_name["customer"].gorm_default == ""
    # Without the history nothing is known to be late.
    plain = resource_model(grown).get("invoice")
    assert plain is not None and not any(f.added_later for f in plain.fields)
