"""Property: every answer is either refused with a one-line validation error, or renders.

Hypothesis draws awkward values (reserved words of Go, TypeScript and SQL, unicode, very
long names, leading digits, mixed case, path tricks) for the naming questions of each
bundled blueprint.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stackprint import blueprints
from stackprint.create import build, prepare_answers
from stackprint.errors import InvalidAnswerError

RESERVED = [
    # Go
    "type", "func", "map", "chan", "range", "string", "error", "int", "nil", "iota", "go",
    # TypeScript / JavaScript
    "class", "delete", "new", "this", "void", "yield", "await", "enum", "export", "function",
    "null", "undefined", "constructor", "prototype", "__proto__",
    # SQL
    "select", "order", "group", "user", "table", "from", "where", "limit", "offset", "desc",
    # names generated code may use itself
    "id", "created_at", "updated_at", "items", "total", "schema", "api", "config", "main",
]  # fmt: skip
TRICKS = [
    "",
    " ",
    "..",
    "../x",
    "/abs",
    "a/b",
    "a\\b",
    "x" * 300,
    "1abc",
    "Product",
    "ünïcode",
    "a-b",
    "a__b",
    "_a",
    "a_",
]

name_like = st.one_of(
    st.sampled_from(RESERVED + TRICKS),
    st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True),
    st.text(min_size=0, max_size=20),
)
field_item = st.tuples(
    name_like, st.sampled_from(["string", "text", "int", "float", "bool", "time", "uuid", ""])
)
fields_value = st.lists(field_item, min_size=0, max_size=4).map(
    lambda items: ",".join(f"{n}:{t}" for n, t in items)
)
module_value = st.one_of(
    st.sampled_from(
        [
            "github.com/acme/x",
            "example.org/a/b/c",
            "x",
            "Github.com/x",
            "a..b/c",
            "/x",
            "x/",
            "a b",
            "é.com/x",
        ]
    ),
    st.text(max_size=30),
)


def _check(blueprint_name: str, data: dict[str, Any]) -> None:
    blueprint = blueprints.load(blueprint_name)
    try:
        answers = prepare_answers(blueprint, data, dest=None, use_defaults=True, asker=None)
    except InvalidAnswerError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("invalid value for '")
        return
    work = Path(tempfile.mkdtemp(prefix="prop-")) / "p"
    try:
        build(work, blueprint, answers, created="2026-01-01", run_generators=False)
        assert (work / ".copier-answers.yml").is_file()
        # Nothing escaped the project directory.
        assert sorted(p.name for p in work.parent.iterdir()) == ["p"]
    finally:
        shutil.rmtree(work.parent)


PROPERTY = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# nextjs-go asks for `resources` (a list), whose rules are property-tested on their own.
@pytest.mark.parametrize("blueprint_name", ["go-api"])
@PROPERTY
@given(resource=name_like, plural=st.one_of(st.none(), name_like))
def test_resource_names(blueprint_name: str, resource: str, plural: str | None) -> None:
    if _has_resources(blueprint_name):
        item = {"name": resource, "fields": ["name:string"]}
        _check(
            blueprint_name, {"resources": [item if plural is None else {**item, "plural": plural}]}
        )
        return
    data = (
        {"resource": resource}
        if plural is None
        else {"resource": resource, "resource_plural": plural}
    )
    _check(blueprint_name, data)


def _has_resources(blueprint_name: str) -> bool:
    """Whether the blueprint asks for a list of resources (else one resource and fields)."""
    return any(q.name == "resources" for q in blueprints.load(blueprint_name).questions)


@pytest.mark.parametrize("blueprint_name", ["go-api", "nextjs-go"])
@PROPERTY
@given(fields=fields_value)
def test_fields(blueprint_name: str, fields: str) -> None:
    if _has_resources(blueprint_name):
        _check(blueprint_name, {"resources": [{"name": "product", "fields": fields.split(",")}]})
        return
    _check(blueprint_name, {"fields": fields})


@pytest.mark.parametrize("blueprint_name", ["go-api", "nextjs-go"])
@PROPERTY
@given(project=name_like, module=module_value, feature=name_like)
def test_project_module_and_feature_names(
    blueprint_name: str, project: str, module: str, feature: str
) -> None:
    _check(
        blueprint_name, {"project_name": project, "module_path": module, "feature_name": feature}
    )
