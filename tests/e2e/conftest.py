"""Fixtures for end-to-end tests: generate real projects once per session and share them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stackprint import blueprints
from stackprint.create import create, prepare_answers

Generate = Callable[..., Path]


@pytest.fixture(scope="session")
def generate(tmp_path_factory: pytest.TempPathFactory) -> Generate:
    """`generate(blueprint, data)` -> path of a project made by `stackprint new --defaults`.

    Projects are cached per (blueprint, answers) for the session, so tests that inspect
    the same variant share one render and one set of generator runs. Tests must not
    modify a shared project; copy it first (`shutil.copytree`) when they need to.
    """
    made: dict[str, Path] = {}

    def _generate(blueprint: str, data: dict[str, Any] | None = None, **options: Any) -> Path:
        key = json.dumps([blueprint, data or {}, options], sort_keys=True)
        if key not in made:
            chosen = blueprints.load(blueprint)
            answers = prepare_answers(chosen, data or {}, dest=None, use_defaults=True, asker=None)
            dest = tmp_path_factory.mktemp(blueprint) / str(answers["project_name"])
            create(dest, chosen, answers, **options)
            made[key] = dest
        return made[key]

    return _generate
