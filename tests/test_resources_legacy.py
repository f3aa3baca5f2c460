"""Projects answered with `resource`, `resource_plural` and `fields` keep working: their
answers become `resources` by themselves, with the meaning each old type had."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from stackprint import blueprints
from stackprint.create import create, prepare_answers
from stackprint.resources import legacy
from stackprint.resources.validate import resources_error
from stackprint.updater import update
from tests import resources_support

OLD = {
    "project_name": "shop",
    "resource": "line_item",
    "resource_plural": "line_items",
    "fields": "name:string, notes:text,qty:int,price:float,in_stock:bool,sold_at:time",
    "styling": "tailwind",
}
NEW_ASKS = {"project_name", "resources", "styling"}


@pytest.mark.parametrize(("blueprint", "int_type"), [("go-api", "int"), ("nextjs-go", "bigint")])
def test_old_fields_keep_their_meaning(blueprint: str, int_type: str) -> None:
    converted = legacy.convert(OLD, blueprint)
    assert converted == {
        "project_name": "shop",
        "resources": [
            {
                "name": "line_item",
                "plural": "line_items",
                "fields": [
                    "name:string",
                    "notes:text",
                    f"qty:{int_type}",
                    "price:float",
                    "in_stock:bool",
                    "sold_at:time",
                ],
            }
        ],
        "styling": "tailwind",
    }
    assert list(converted) == ["project_name", "resources", "styling"]  # the old order
    assert resources_error(converted["resources"]) == ""


def test_the_default_answers_of_both_old_blueprints_convert_to_valid_resources() -> None:
    old = {
        "resource": "product",
        "fields": "name:string,description:text,price_cents:int,in_stock:bool",
    }
    for blueprint in ("go-api", "nextjs-go"):
        (resource,) = legacy.convert(old, blueprint)["resources"]
        assert resource["plural"] == "products"  # derived when the old answers lack it
        assert resources_error([resource]) == ""


def test_upgrade_only_converts_old_answers_for_a_blueprint_that_wants_resources() -> None:
    assert "resources" in legacy.upgrade(OLD, "go-api", NEW_ASKS)
    # The blueprint still asks the old questions: nothing to convert.
    old_asks = {"project_name", "resource", "resource_plural", "fields"}
    assert legacy.upgrade(OLD, "go-api", old_asks) == OLD
    # Already converted (or new) answers stay as they are.
    new = {"project_name": "x", "resources": [{"name": "a_b", "fields": ["n:string"]}]}
    assert legacy.upgrade(new, "go-api", NEW_ASKS) == new


def test_a_blueprint_with_a_migration_history_gets_the_old_projects_history() -> None:
    from stackprint.resources import schema

    before = dict(OLD)
    converted = legacy.upgrade(OLD, "nextjs-go", {*NEW_ASKS, "migrations"})
    assert converted["migrations"] == schema.legacy_entries(before)
    assert [e["kind"] for e in converted["migrations"]] == [
        "legacy_create_table",
        "legacy_row_count",
        "drop_row_count",
        "legacy_string_checks",  # OLD has a string field
    ]
    assert before == OLD  # the history is built from the old answers, untouched
    # A recorded history is never replaced.
    kept = legacy.upgrade({**OLD, "migrations": []}, "nextjs-go", {*NEW_ASKS, "migrations"})
    assert kept["migrations"] == []


@pytest.mark.parametrize("name", ["go-api", "nextjs-go"])
def test_the_bundled_blueprints_convert_old_answers_with_their_history(name: str) -> None:
    """Neither bundled blueprint declares an old question, computed or asked, so old
    answers convert; nextjs-go, which keeps SQL migrations, takes the old project's, and
    go-api (AutoMigrate) the one table it had, so no field reads as added later."""
    from stackprint.resources import schema

    asks = {q.name for q in blueprints.load(name).questions}
    assert not set(legacy.LEGACY_KEYS) & asks
    converted = legacy.upgrade(OLD, name, asks)
    assert [r["name"] for r in converted["resources"]] == ["line_item"]
    if name == "nextjs-go":
        assert converted["migrations"] == schema.legacy_entries(OLD)
    else:
        assert converted["migrations"] == schema.initial_entries(converted["resources"])


OLD_COPIER_YML = """\
_subdirectory: template
_stackprint:
  title: The same blueprint before resources were a list
project_name:
  type: str
  default: shop
resource:
  type: str
  default: product
resource_plural:
  type: str
  default: "{{ resource }}s"
fields:
  type: str
  default: "name:string,stock:int"
"""


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize(("name", "int_type"), [("go-api", "int"), ("nextjs-go", "bigint")])
def test_update_converts_the_recorded_answers_and_merges(
    name: str, int_type: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The old version of a bundled blueprint, a project made from it and edited ...
    root = tmp_path / "root"
    path = root / name
    (path / "template").mkdir(parents=True)
    (path / "copier.yml").write_text(OLD_COPIER_YML, encoding="utf-8")
    (path / "template" / "{{ _copier_conf.answers_file }}.jinja").write_text(
        "{{ _copier_answers | to_nice_yaml }}", encoding="utf-8"
    )
    (path / "template" / "{{ resource }}.txt.jinja").write_text("{{ fields }}\n", encoding="utf-8")
    monkeypatch.setattr(blueprints, "blueprints_root", lambda: root)
    old = blueprints.load(name)
    dest = tmp_path / "proj"
    answers = {"resource": "gadget", "fields": "label:string,stock:int"}
    create(dest, old, prepare_answers(old, answers, dest=dest, use_defaults=True, asker=None))
    (dest / "NOTES.md").write_text("mine\n", encoding="utf-8")
    _git(dest, "add", "NOTES.md")
    _git(dest, "-c", "user.name=u", "-c", "user.email=u@x", "commit", "-qm", "notes")

    # ... then the blueprint switches to `resources`.
    shutil.rmtree(path)
    resources_support.install(root)
    (root / resources_support.NAME).rename(path)
    result = update(dest)

    assert result.conflicts == []
    recorded = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert recorded["resources"] == [
        {"name": "gadget", "plural": "gadgets", "fields": ["label:string", f"stock:{int_type}"]}
    ]
    assert not {"resource", "resource_plural", "fields"} & set(recorded)
    assert (dest / "routes.txt").read_text() == "/gadgets Gadget\n"
    go_type = {"int": "int32", "bigint": "int64"}[int_type]
    assert f"\tStock {go_type}\n" in (dest / "models" / "gadget.go").read_text()
    assert not (dest / "gadget.txt").exists()  # the old file went with the old blueprint
    assert (dest / "NOTES.md").read_text() == "mine\n"
