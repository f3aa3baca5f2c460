"""The first feature's data model lists every resource with its fields, types, optionality
and references; the spec and the plan speak of all of them."""

from __future__ import annotations

from pathlib import Path

from stackprint import blueprints, speckit
from stackprint.answers import context_of
from stackprint.speckit.entities import entities, one_of
from tests.e2e.support import THREE_RESOURCES
from tests.speckit_support import CODE, CREATED, answers_for, feature_dir

THREE = THREE_RESOURCES


def test_entities_carry_types_optionality_rules_and_references() -> None:
    customer, line_item, invoice = entities({"resources": THREE}, "go-api")
    assert [a.column for a in invoice.attributes] == [
        "id",
        "invoice_number",
        "customer_id",
        "issued_at",
        "due_on",
        "total_cents",
        "paid",
        "created_at",
        "updated_at",
    ]
    email = next(a for a in customer.fields if a.name == "email")
    assert (email.required, email.layers["go"], email.layers["ts"]) == (
        False,
        "*string",
        "string | null",
    )
    assert email.rule == "optional (null when absent), at most 255 characters"
    tier = next(a for a in customer.fields if a.name == "tier")
    assert tier.type == "enum(free|pro|enterprise)"
    assert tier.rule == "required, one of `free`, `pro`, `enterprise`"
    assert tier.layers["ts"] == '"free" | "pro" | "enterprise"'
    weight = next(a for a in line_item.fields if a.name == "weight_grams")
    assert weight.layers["sql"] == "bigint"
    assert "sent as a decimal string in JSON" in weight.rule
    ref = next(a for a in invoice.fields if a.name == "customer")
    assert (ref.type, ref.target, ref.rule) == (
        "ref(customer)",
        "customer",
        "required, the id of an existing customer",
    )
    assert [(r.source, r.column) for r in customer.referenced_by] == [("invoice", "customer_id")]
    assert invoice.references == customer.referenced_by and not line_item.references
    assert one_of([invoice, line_item]) == "an invoice or line item"


def test_old_single_resource_answers_are_described_with_their_old_meaning() -> None:
    old = {"resource": "gadget", "resource_plural": "gadgets", "fields": "label:string,n:int"}
    (go,) = entities(old, "go-api")
    (web,) = entities(old, "nextjs-go")
    assert [a.layers["sql"] for a in go.fields] == ["varchar(255)", "integer"]
    assert [a.layers["sql"] for a in web.fields] == ["varchar(255)", "bigint"]
    assert entities({"resources": [{"name": "x", "fields": []}]}, "go-api") == []


def test_data_model_spec_and_plan_describe_every_resource(tmp_path: Path) -> None:
    blueprint = blueprints.load("go-api")
    project = tmp_path / "billing"
    files = {
        **CODE["go-api"],
        **{f"services/{r['name']}_service.go": "package services\n" for r in THREE},
    }
    for rel, text in files.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, encoding="utf-8")
    context = {**context_of(blueprint.questions, answers_for("go-api")), "resources": THREE}
    speckit.render_initial(project, blueprint, context, created=CREATED)
    feature = feature_dir(project)

    model = (feature / "data-model.md").read_text()
    assert (
        "3 entities, in the order their tables are created: Customer, Line item, Invoice." in model
    )
    for heading in ("## Entity: Customer", "## Entity: Line item", "## Entity: Invoice"):
        assert heading in model
    assert "Table `line_items`, collection `/line-items`." in model
    assert (
        "| `email` | string | no | `*string` | `varchar(255)` | `string` |"
        " optional (null when absent), at most 255 characters |" in model
    )
    assert "| `customer_id` | ref(customer) | yes | `uuid.UUID` | `uuid` | `string` |" in model
    assert "| `tier` | enum(free\\|pro\\|enterprise) | yes |" in model  # '|' kept in its cell
    assert "the list filters by it with `?customer_id=`" in model
    assert (
        "Referenced by invoice.`customer_id`: deleting a customer that is still referenced" in model
    )
    assert "- Invoice `customer` -> Customer: each invoice belongs to one customer." in model

    spec = (feature / "spec.md").read_text()
    assert (
        "### User Story 1 - Create and view a customer, line item or invoice (Priority: P1)" in spec
    )
    assert (
        "  - `invoice.customer_id` (ref(customer)): required, the id of an existing customer."
        in spec
    )
    assert "- **Line item**: a resource of" in spec

    plan = (feature / "plan.md").read_text()
    assert "data-model.md        # Phase 1: the entities" in plan
    tree = plan.split("### Source Code (repository root)")[1]
    for name in ("customer_service.go", "line_item_service.go", "invoice_service.go"):
        assert name in tree


def test_nextjs_go_documents_speak_of_every_resource_not_the_first(tmp_path: Path) -> None:
    blueprint = blueprints.load("nextjs-go")
    project = tmp_path / "shop"
    pages = {f"frontend/app/{r['plural'].replace('_', '-')}/page.tsx": "" for r in THREE}
    for rel, text in {**CODE["nextjs-go"], **pages}.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, encoding="utf-8")
    context = {**context_of(blueprint.questions, answers_for("nextjs-go")), "resources": THREE}
    assert not {"resource", "resource_plural", "fields"} & set(context)
    speckit.render_initial(project, blueprint, context, created=CREATED)
    feature = feature_dir(project)

    plan = (feature / "plan.md").read_text()
    assert "for each resource (customers, line items, invoices)" in plan
    tree = plan.split("### Source Code (repository root)")[1]
    for folder in ("customers", "line-items", "invoices"):
        assert folder in tree
    # The Constitution Check says how each principle is met, for every resource.
    assert (
        "describes every route of every resource (`/customers`, `/line-items`, `/invoices`)" in plan
    )
    assert (
        "(`frontend/app/customers/`, `frontend/app/line-items/`, `frontend/app/invoices/`)" in plan
    )
    spec = (feature / "spec.md").read_text()
    assert "the REST API (`/customers`, `/line-items`, `/invoices`)" in spec
    model = (feature / "data-model.md").read_text()
    for heading in ("## Entity: Customer", "## Entity: Line item", "## Entity: Invoice"):
        assert heading in model
    assert "| `total_cents` | bigint | yes | `int64` | `bigint` | `string` |" in model
