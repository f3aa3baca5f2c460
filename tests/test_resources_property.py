"""Property: every resource list given to `stackprint new` is refused with one line and exit
code 2, writing nothing, or renders; through `--resource` flags and `--data resources=`.

Hypothesis draws lists with every field type, optional fields, enums, references forwards,
backwards, to themselves and to nothing, reserved and colliding names. They run through the
real command line (`--no-generate --no-git`) against every blueprint that asks for
resources: the small test blueprint, and each bundled one once it does.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from stackprint import blueprints
from stackprint.cli import main
from stackprint.errors import ExitCode
from stackprint.resources import question as resource_question
from stackprint.resources.types import TYPES
from tests import resources_support

NAMES = [
    "customer", "line_item", "invoice", "category", "person", "news", "box", "address2",
    # reserved or awkward: Go, TypeScript, SQL, generated names, bad spellings
    "type", "select", "order", "user", "class", "id", "created_at", "service", "api",
    "Customer", "line-item", "2fast", "a__b", "_x", "x" * 41, "",
]  # fmt: skip
plain_name = st.from_regex(r"[a-z]{2,8}(_[a-z]{2,6})?", fullmatch=True)
# Mostly well-formed names, so that many lists get as far as their references and types.
name = st.one_of(plain_name, plain_name, plain_name, st.sampled_from(NAMES))


@st.composite
def resource_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    names = draw(st.lists(name, min_size=0, max_size=4))
    out = []
    for own in names:
        fields = []
        for _ in range(draw(st.integers(0, 5))):
            kind = draw(st.sampled_from([*TYPES, "money"]))
            if kind == "enum":
                values = draw(
                    st.lists(st.sampled_from(["a", "b", "draft", "Sent", ""]), max_size=3)
                )
                kind = f"enum({'|'.join(values)})"
            elif kind == "ref":
                kind = f"ref({draw(st.sampled_from([*names, 'nowhere']))})"
            optional = "?" if draw(st.booleans()) else ""
            fields.append(f"{draw(name)}:{kind}{optional}")
        plural = draw(st.one_of(st.none(), name))
        out.append({"name": own, "fields": fields, **({"plural": plural} if plural else {})})
    return out


def _shorthand(resource: dict[str, Any]) -> str:
    head = resource["name"] + (f"/{resource['plural']}" if "plural" in resource else "")
    return f"{head}={','.join(resource['fields'])}"


def _with_resources() -> list[str]:
    """The fixture blueprint and every bundled blueprint that asks for resources."""
    names = [resources_support.NAME]
    for bundled in blueprints.available():
        if bundled != resources_support.NAME and resource_question.find(
            blueprints.load(bundled).questions
        ):
            names.append(bundled)
    return names


def _new(blueprint: str, dest: Path, args: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    argv = ["new", str(dest), "-b", blueprint, "--defaults", "--no-git", "--no-generate", "-q"]
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main([*argv, *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, err.getvalue()


def _check(resources: list[dict[str, Any]], as_flags: bool) -> None:
    if as_flags and resources:
        args = [arg for r in resources for arg in ("--resource", _shorthand(r))]
    else:
        args = ["--data", f"resources={json.dumps(resources)}"]
    for blueprint in _with_resources():
        root = Path(tempfile.mkdtemp(prefix="prop-"))
        try:
            code, err = _new(blueprint, root / "p", args)
            event("refused" if code else "rendered")
            if code:
                assert code == ExitCode.USAGE, err
                assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
                assert list(root.iterdir()) == [], "a refused list wrote something"
                continue
            recorded = yaml.safe_load((root / "p" / ".copier-answers.yml").read_text())
            assert [r["name"] for r in recorded["resources"]] == [r["name"] for r in resources]
            assert sorted(p.name for p in root.iterdir()) == ["p"]
        finally:
            shutil.rmtree(root)


PROPERTY = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def _fixture_blueprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    resources_support.use_fixture_root(tmp_path / "root", monkeypatch)


@PROPERTY
@given(resources=resource_lists(), as_flags=st.booleans())
def test_every_resource_list_is_refused_in_one_line_or_renders(
    resources: list[dict[str, Any]], as_flags: bool
) -> None:
    _check(resources, as_flags)


# Names that pass every rule, so lists drawn from them get to their types and references.
RESOURCE_WORDS = [
    "customer",
    "line_item",
    "invoice",
    "category",
    "supplier",
    "shipment",
    "warehouse",
]
FIELD_WORDS = ["label", "code", "amount", "note", "starts", "weight", "flag", "ref_code", "size2"]


@st.composite
def well_formed_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Resource lists that are mostly valid: every type, optional fields, enums, and
    references to an earlier resource or (optionally) to their own."""
    names = draw(st.lists(st.sampled_from(RESOURCE_WORDS), min_size=1, max_size=3, unique=True))
    out = []
    for index, own in enumerate(names):
        words = draw(st.lists(st.sampled_from(FIELD_WORDS), min_size=1, max_size=6, unique=True))
        fields = []
        for word in words:
            kind = draw(st.sampled_from(list(TYPES)))
            optional = draw(st.booleans())
            if kind == "enum":
                kind = (
                    "enum("
                    + "|".join(
                        draw(st.sets(st.sampled_from(["draft", "sent", "paid"]), min_size=1))
                    )
                    + ")"
                )
            elif kind == "ref":
                targets = names[:index] or [own]
                target = draw(st.sampled_from(targets))
                optional = optional or target == own
                kind = f"ref({target})"
            fields.append(f"{word}:{kind}{'?' if optional else ''}")
        out.append({"name": own, "fields": fields})
    return out


@PROPERTY
@given(resources=well_formed_lists())
def test_well_formed_lists_render(resources: list[dict[str, Any]]) -> None:
    _check(resources, as_flags=True)
