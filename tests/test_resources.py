"""The resource model: parsing, naming, the type table, the rules, and the Jinja view."""

from __future__ import annotations

import copy
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.sandbox import SandboxedEnvironment

import stackprint.resources.jinja as resources_jinja
import stackprint.resources.types as field_types
from stackprint.errors import ExitCode
from stackprint.resources import naming, schema
from stackprint.resources.jinja import ResourcesExtension, resource_model
from stackprint.resources.spec import Field, SpecError, parse_field, parse_resource
from stackprint.resources.types import INT32_MAX, INT64_MAX, NO_NUL_PATTERN, TYPES
from stackprint.resources.validate import ResourceError, check_resources, resources_error


@pytest.mark.parametrize(
    ("name", "proto", "oapi", "sqlc", "go"),
    [
        ("customer_id", "CustomerId", "CustomerId", "CustomerID", "CustomerID"),
        ("line_item", "LineItem", "LineItem", "LineItem", "LineItem"),
        ("address2", "Address2", "Address2", "Address2", "Address2"),
        ("api_url", "ApiUrl", "ApiUrl", "ApiUrl", "APIURL"),
        ("id", "Id", "Id", "ID", "ID"),
    ],
)
def test_each_generator_spelling(name: str, proto: str, oapi: str, sqlc: str, go: str) -> None:
    assert (naming.proto_go(name), naming.oapi_go(name), naming.sqlc_go(name)) == (
        proto,
        oapi,
        sqlc,
    )
    assert naming.go_ident(name) == go


def test_proto_go_follows_protoc_gen_go_outside_the_name_alphabet() -> None:
    # Cases from protoc-gen-go's GoCamelCase: a leading '_' becomes X, '_' before a digit stays.
    assert naming.proto_go("_foo") == "XFoo"
    assert naming.proto_go("foo_2bar") == "Foo_2Bar"
    assert naming.proto_go("fooBar") == "FooBar"


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("product", "products"),
        ("category", "categories"),
        ("day", "days"),
        ("box", "boxes"),
        ("line_item", "line_items"),
        ("address", "addresses"),
        ("person", "people"),
        ("sales_person", "sales_people"),
        ("potato", "potatoes"),
        ("video", "videos"),
        ("news", "news_items"),
    ],
)
def test_plural(singular: str, plural: str) -> None:
    assert naming.plural(singular) == plural


def test_other_spellings() -> None:
    assert naming.camel("line_item") == "lineItem"
    assert naming.kebab("line_item") == "line-item"
    assert naming.title("line_item") == "Line item"
    assert naming.go_local("customer_id") == "customerID"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("name:string", Field("name", "string")),
        ("notes:text?", Field("notes", "text", optional=True)),
        ("tier:enum(free|pro)", Field("tier", "enum", enum_values=("free", "pro"))),
        ("parent:ref(category)?", Field("parent", "ref", optional=True, target="category")),
        (" qty : int ", None),  # spaces around the name are tolerated, not inside the type
    ],
)
def test_parse_field(spec: str, expected: Field | None) -> None:
    if expected is None:
        with pytest.raises(SpecError):
            parse_field(spec)
        return
    field = parse_field(spec)
    assert field == expected
    assert parse_field(field.spec()) == field


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("name", "must be written name:type"),
        ("n:strin", "unknown type 'strin'"),
        ("t:enum", "enum needs its argument"),
        ("c:ref", "ref needs its argument"),
        ("n:string(3)", "takes no argument"),
    ],
)
def test_parse_field_errors(spec: str, message: str) -> None:
    with pytest.raises(SpecError, match=message.replace("(", r"\(")):
        parse_field(spec)


def test_resource_shorthand() -> None:
    r = parse_resource("invoice=number:string,total:float,customer:ref(customer)")
    assert (r.name, r.plural) == ("invoice", "invoices")
    assert [f.column for f in r.fields] == ["number", "total", "customer_id"]
    assert parse_resource("person/persons=name:string").plural == "persons"
    with pytest.raises(SpecError, match="NAME\\[/PLURAL\\]=FIELD"):
        parse_resource("invoice")


def test_type_table_is_complete_and_consistent() -> None:
    for t in TYPES.values():
        assert t.pg and t.proto and t.go and t.ts and t.input and t.openapi["type"]
        if t.max_length:
            assert t.openapi["maxLength"] == t.max_length
            assert any(len(e) == t.max_length for e in t.edges)
    assert TYPES["int"].maximum == INT32_MAX and TYPES["int"].proto == "int32"
    big = TYPES["bigint"]
    # 64-bit integers travel as strings, so JSON numbers never round them.
    assert big.json == "string" and big.ts == "string" and big.openapi["type"] == "string"
    assert str(INT64_MAX) in big.edges and any(int(e) > 2**53 for e in big.edges)
    assert TYPES["time"].openapi["format"] == "date-time"
    assert TYPES["date"].openapi["format"] == "date"


def test_free_text_types_say_in_the_contract_that_nul_is_refused() -> None:
    # The services refuse NUL (PostgreSQL text cannot hold it), so the schema must too, or a
    # client generating values from the contract gets a 422 for a valid document.
    for t in (TYPES["string"], TYPES["text"]):
        pattern = t.openapi["pattern"]
        assert re.search(pattern, "before\x00after") is None
        assert all(re.search(pattern, e) for e in t.edges)


CATALOGUE = [
    ([], "at least one resource"),
    ("product", "resources must be a list"),
    (
        [{"name": "Product", "fields": ["n:string"]}],
        "resource 'Product': name 'Product' must be snake_case",
    ),
    ([{"name": "type", "fields": ["n:string"]}], "name 'type' is a reserved word"),
    ([{"name": "product", "fields": []}], "resource 'product' needs at least one field"),
    ([{"name": "product", "fields": ["id:uuid"]}], "field 'id': id is added for you"),
    ([{"name": "product", "fields": ["select:string"]}], "field 'select'"),
    ([{"name": "product", "fields": ["n:string", "n:int"]}], "field 'n': its column n clashes"),
    ([{"name": "p", "plural": "p", "fields": ["n:string"]}], "plural must differ"),
    (
        [
            {"name": "a", "plural": "bs", "fields": ["n:string"]},
            {"name": "b", "plural": "bs", "fields": ["n:string"]},
        ],
        "resource 'b': plural 'bs' is already the plural of resource 'a'",
    ),
    ([{"name": "x", "fields": ["t:enum()"]}], "enum needs at least one value"),
    ([{"name": "x", "fields": ["t:enum(A|b)"]}], "enum value 'A' must be snake_case"),
    ([{"name": "x", "fields": ["t:enum(a|a)"]}], "enum value 'a' is listed twice"),
    (
        [{"name": "invoice", "fields": ["c:ref(client)"]}],
        "references 'client', which is not a resource",
    ),
    (
        [{"name": "customer", "fields": ["customer_id:string", "customer:ref(customer)?"]}],
        "resource 'customer', field 'customer': its column customer_id clashes with field 'customer_id'",
    ),
    (
        [{"name": "x", "fields": ["name:string", "get_name:int"]}],
        "clashes with the protobuf getter of field 'name'",
    ),
    ([{"name": "x", "fields": ["reset:bool"]}], "its Go name Reset is taken"),
    ([{"name": "node", "fields": ["parent:ref(node)"]}], "'node' -> 'node' reference each other"),
    (
        [{"name": "egg", "fields": ["hen:ref(hen)?"]}, {"name": "hen", "fields": ["egg:ref(egg)"]}],
        "field 'hen': references 'hen', which is listed after it",
    ),
    (
        [{"name": "egg", "fields": ["hen:ref(hen)"]}, {"name": "hen", "fields": ["egg:ref(egg)"]}],
        "'egg' -> 'hen' -> 'egg' reference each other with required fields",
    ),
    ([{"name": "x", "fields": ["a" * 41 + ":string"]}], "longer than 40 characters"),
    ([{"name": "x", "fields": "n:string", "colour": "red"}], "unknown key 'colour'"),
]


@pytest.mark.parametrize(("value", "message"), CATALOGUE)
def test_invalid_resource_lists_get_one_line_naming_the_culprit(
    value: object, message: str
) -> None:
    error = resources_error(value)
    assert message in error
    assert "\n" not in error
    with pytest.raises(ResourceError) as exc_info:
        check_resources(value)
    assert exc_info.value.exit_code == ExitCode.USAGE


def test_valid_project_with_references_and_self_reference() -> None:
    value = [
        {"name": "customer", "fields": "name:string,tier:enum(free|pro),phone:string?"},
        {"name": "category", "fields": ["name:string", "parent:ref(category)?"]},
        {"name": "invoice", "fields": ["customer:ref(customer)", "total:float"]},
    ]
    assert resources_error(value) == ""
    model = resource_model(value)
    customer, category, invoice = model
    assert [f.resource.name for f in customer.referenced_by] == ["invoice"]
    assert [f.resource.name for f in category.referenced_by] == ["category"]
    assert invoice.refs[0].target is customer
    assert customer.fields[1].ts == '"free" | "pro"'
    assert customer.fields[2].openapi == {
        "type": "string",
        "maxLength": 255,
        "pattern": NO_NUL_PATTERN,
        "nullable": True,
    }
    assert customer.fields[2].edges[-1] is None


def test_templates_see_the_model_in_the_sandbox() -> None:
    env = SandboxedEnvironment(extensions=[ResourcesExtension])
    text = env.from_string(
        "{% for r in resources | resource_model %}{{ r.plural_kebab }} {{ r.pascal }}"
        "{% for f in r.fields %} {{ f.column }}:{{ f.pg }}{% endfor %};{% endfor %}"
        "{{ 'line_item' | plural }}"
    ).render(resources=[{"name": "line_item", "fields": ["sku:bigint", "parent:ref(line_item)?"]}])
    assert text == "line-items LineItem sku:bigint parent_id:uuid;line_items"


def test_the_model_is_built_once_per_distinct_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates ask for the model once per file; equal answers share one build, and a
    changed (or invalid) answer is checked again."""
    checked: list[object] = []

    def counting(value: object) -> object:
        checked.append(value)
        return check_resources(value)

    monkeypatch.setattr(resources_jinja, "check_resources", counting)
    resources_jinja._model_of.cache_clear()
    value = [{"name": "widget", "fields": ["size:int"]}]

    first = resource_model(value)
    assert resource_model(copy.deepcopy(value)) is first
    assert len(checked) == 1

    value[0]["fields"].append("colour:string")  # the caller's list changes afterwards
    (grown,) = resource_model(value)
    assert [f.name for f in grown.fields] == ["size", "colour"]
    assert [f.name for f in next(iter(first)).fields] == ["size"]
    history = schema.history(
        schema.initial_entries([{"name": "widget", "fields": ["size:int"]}]), value
    )
    assert resource_model(value, history).added_later("widget") == {"colour"}
    assert resource_model(value).added_later("widget") == frozenset()

    for _ in range(2):
        with pytest.raises(ResourceError):
            resource_model([{"name": "widget", "fields": ["id:int"]}])


def test_unknown_spelling_is_an_attribute_error() -> None:
    (r,) = resource_model([{"name": "a_b", "fields": ["n:string"]}])
    assert (r.plural_pascal, r.golocal, r.flat) == ("ABs", "aB", "ab")
    with pytest.raises(AttributeError):
        _ = r.nonsense


_word = st.from_regex(r"[a-z]{1,6}[0-9]?", fullmatch=True)
_name = st.lists(_word, min_size=1, max_size=3).map("_".join)
_type = st.sampled_from([*(t for t in TYPES if t not in {"enum", "ref"}), "enum(a|b)", "ref"])


@st.composite
def _resource_lists(draw: st.DrawFn) -> list[dict[str, object]]:
    names = draw(st.lists(_name, min_size=1, max_size=4, unique=True))
    out = []
    for name in names:
        fields = []
        for fname in draw(st.lists(_name, min_size=0, max_size=4)):
            t = draw(_type)
            if t == "ref":
                t = f"ref({draw(st.sampled_from(names))})"
            fields.append(f"{fname}:{t}{draw(st.sampled_from(['', '?']))}")
        out.append({"name": name, "fields": fields})
    return out


@settings(max_examples=300, deadline=None)
@given(_resource_lists())
def test_every_list_is_refused_in_one_line_or_fully_distinct(
    value: list[dict[str, object]],
) -> None:
    error = resources_error(value)
    if error:
        assert "\n" not in error and error.startswith(("resource", "list"))
        return
    model = resource_model(value)
    tables = [r.table for r in model]
    assert len(set(tables)) == len(tables)
    for r in model:
        for spell in ("proto_go", "oapi_go", "sqlc_go", "go_ident", "camel", "column"):
            names = [getattr(f, spell) for f in r.fields] + ["id", "created_at", "updated_at"]
            assert len(set(names)) == len(names), spell
        for f in r.refs:
            assert f.target is not None and f.target.index <= r.index
        json.dumps([f.openapi for f in r.fields])


def test_the_issues_example_fields_are_accepted() -> None:
    # `number` is a TypeScript type name, not a reserved word: `invoice.number` is fine.
    resources = [
        {"name": "customer", "fields": ["name:string"]},
        {"name": "invoice", "fields": ["number:string", "customer:ref(customer)"]},
    ]
    assert resources_error(resources) == ""


def test_every_protobuf_type_has_a_nullable_form() -> None:
    model = resource_model(
        [{"name": "thing", "fields": [f"{t}_x:{t}?" for t in TYPES if t not in ("enum", "ref")]}]
    )
    nullable = {f.type: (f.proto_nullable, f.proto_nullable_go) for r in model for f in r.fields}
    assert nullable["string"] == ("google.protobuf.StringValue", "wrapperspb.String")
    assert nullable["bigint"] == ("google.protobuf.Int64Value", "wrapperspb.Int64")
    assert nullable["time"] == ("google.protobuf.Timestamp", "timestamppb.New")
    assert len(nullable) == len(TYPES) - 2


def test_bigint_pattern_holds_exactly_the_int64_range() -> None:
    int64 = re.compile(TYPES["bigint"].openapi["pattern"])
    low, high = field_types.INT64_MIN, field_types.INT64_MAX
    for value in (0, 7, -7, high, low, 2**53 + 1, 10**18, -(10**18)):
        assert int64.match(str(value)), value
    for text in (str(high + 1), str(low - 1), "9332072023199575646", "-0", "01", "+1", ""):
        assert not int64.match(text), text


@settings(max_examples=300)
@given(st.integers(-(2**70), 2**70), st.integers(1, 2**64), st.integers(1, 2**64))
def test_decimal_pattern_holds_exactly_its_range(value: int, low: int, high: int) -> None:
    pattern = field_types.decimal_pattern(-low, high)
    for candidate in (value, high, high + 1, -low, -low - 1):
        assert bool(re.match(pattern, str(candidate))) == (-low <= candidate <= high)


def test_openapi_nullable_lists_null_in_an_enum() -> None:
    # OpenAPI 3.0.3: `nullable` does not extend an `enum`, so go-api's document lists null.
    model = resource_model([{"name": "customer", "fields": ["tier:enum(free|pro)?"]}])
    tier = next(iter(model)).fields[0]
    assert tier.openapi_nullable == {
        "type": "string",
        "enum": ["free", "pro", None],
        "nullable": True,
    }
    assert tier.openapi["enum"] == ["free", "pro"]  # oapi-codegen would make "<nil>" of a null


def test_free_text_schemas_exclude_nul_as_the_services_do() -> None:
    for name in ("string", "text"):
        pattern = re.compile(TYPES[name].openapi["pattern"])
        assert pattern.match("a\tb 😀") and not pattern.match("a\x00b")
