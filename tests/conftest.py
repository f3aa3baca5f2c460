"""Shared fixtures: isolated git identity and caches, and tiny blueprints built in tmp dirs."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

MakeBlueprint = Callable[..., Path]

SMALL_COPIER_YML = """\
_subdirectory: template
_stackprint:
  title: A tiny blueprint for tests
  groups:
    Project: [project_name, greeting, flavour, shout]
  next_steps: ["cat {{ project_name }}.txt"]
project_name:
  type: str
  help: Name of the project
  default: tiny
  validator: "{% if not (project_name | regex_search('^[a-z][a-z0-9-]*$')) %}must be kebab-case{% endif %}"
greeting:
  type: str
  help: What to say
  default: "hello {{ project_name }}"
flavour:
  type: str
  help: Which flavour
  choices: [vanilla, chocolate]
  default: vanilla
shout:
  type: bool
  help: Say it loudly
  default: false
loud_greeting:
  type: str
  default: "{{ greeting | upper }}"
  when: false
"""


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """No test reads the developer's git config or writes to their caches."""
    # Toolchain caches stay shared: a fresh Go module or npm cache per test would download
    # and compile everything again.
    real_home = Path.home()
    real_cache = Path(os.environ.get("XDG_CACHE_HOME") or real_home / ".cache")
    monkeypatch.setenv("GOPATH", os.environ.get("GOPATH") or str(real_home / "go"))
    monkeypatch.setenv("GOCACHE", os.environ.get("GOCACHE") or str(real_cache / "go-build"))
    monkeypatch.setenv(
        "NPM_CONFIG_CACHE", os.environ.get("NPM_CONFIG_CACHE") or str(real_home / ".npm")
    )
    monkeypatch.setenv(
        "GENERATOR_TOOLS_DIR",
        os.environ.get("GENERATOR_TOOLS_DIR") or str(real_cache / "stackprint" / "tools"),
    )
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var, raising=False)
    yield


@pytest.fixture
def make_blueprint(tmp_path: Path) -> MakeBlueprint:
    """Build a blueprint directory: `make_blueprint(copier_yml=..., files={path: text})`."""

    def _make(
        copier_yml: str = SMALL_COPIER_YML,
        files: dict[str, str] | None = None,
        name: str = "tiny",
    ) -> Path:
        root = tmp_path / "blueprints" / name
        template = root / "template"
        template.mkdir(parents=True)
        (root / "copier.yml").write_text(copier_yml, encoding="utf-8")
        default_files = {
            "{{ project_name }}.txt.jinja": "{{ loud_greeting if shout else greeting }} ({{ flavour }})\n",
            "{{ _copier_conf.answers_file }}.jinja": (
                "# Recorded answers\n{{ _copier_answers | to_nice_yaml }}"
            ),
        }
        for rel, text in {**default_files, **(files or {})}.items():
            path = template / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return _make
