"""Answers of projects generated before resources were a typed list.

Those projects recorded one resource as three answers: `resource`, `resource_plural` and
`fields` (`name:type,...` of the kinds `string text int float bool time`). `upgrade` turns
them into the `resources` answer of today's blueprints, keeping what each field meant:
the old blueprints disagreed on `int` (32-bit in go-api, 64-bit in nextjs-go), so the
conversion depends on the blueprint that generated the project.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stackprint.resources import naming

LEGACY_KEYS = ("resource", "resource_plural", "fields")
QUESTION = "resources"
MIGRATIONS = "migrations"
# Old type -> today's type with the same width, per bundled blueprint; unlisted types and
# blueprints keep their name (string, text, float, bool and time mean what they meant).
_TYPE_BY_BLUEPRINT: dict[str, dict[str, str]] = {
    "go-api": {"int": "int"},
    "nextjs-go": {"int": "bigint"},
}
# Blueprints whose old projects have SQL migration files, which the converted history
# must render byte for byte; the others (go-api: GORM's AutoMigrate) had only their
# tables, which the resource's own `create_table` entry describes.
_SQL_FILES = {"nextjs-go"}


def is_legacy(answers: Mapping[str, Any]) -> bool:
    """Answers in the old form: a `resource` and no `resources`."""
    return QUESTION not in answers and "resource" in answers


def fields_of(value: Any, blueprint: str) -> list[str]:
    """The old `fields` answer as today's field specs (every old field was required)."""
    mapping = _TYPE_BY_BLUEPRINT.get(blueprint, {})
    specs = []
    for item in str(value or "").split(","):
        name, _, type_ = (part.strip() for part in item.partition(":"))
        if name:
            specs.append(f"{name}:{mapping.get(type_, type_)}")
    return specs


def resource_of(answers: Mapping[str, Any], blueprint: str) -> dict[str, Any]:
    """The one resource of old answers, in the recorded form of `resources` items."""
    name = str(answers["resource"]).strip()
    plural = str(answers.get("resource_plural") or "").strip() or naming.plural(name)
    return {"name": name, "plural": plural, "fields": fields_of(answers.get("fields"), blueprint)}


def convert(answers: Mapping[str, Any], blueprint: str) -> dict[str, Any]:
    """Old answers with `resource`, `resource_plural` and `fields` replaced by `resources`,
    in the position `resource` had, so the answers file keeps its order."""
    out: dict[str, Any] = {}
    for key, value in answers.items():
        if key == "resource":
            out[QUESTION] = [resource_of(answers, blueprint)]
        elif key not in LEGACY_KEYS:
            out[key] = value
    return out


def upgrade(answers: Mapping[str, Any], blueprint: str, asks: set[str]) -> dict[str, Any]:
    """`answers` converted when they are old and the blueprint (whose questions are `asks`)
    wants `resources`; otherwise unchanged.

    A blueprint that keeps a migration history (a `migrations` question) gets the history
    of the old project: with SQL files, so they render byte for byte and the schema
    changes since arrive as new migrations; without (AutoMigrate), its one table.
    """
    if QUESTION not in asks or "resource" in asks or not is_legacy(answers):
        return dict(answers)
    converted = convert(answers, blueprint)
    if MIGRATIONS in asks and MIGRATIONS not in answers:
        from stackprint.resources import schema

        if blueprint in _SQL_FILES:
            converted[MIGRATIONS] = schema.legacy_entries(answers)
        else:
            converted[MIGRATIONS] = schema.initial_entries(converted[QUESTION])
    return converted
