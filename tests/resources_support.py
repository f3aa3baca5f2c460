"""A small bundled-style blueprint that asks for `resources`, for the resource entry points.

It is installed into a stand-in blueprints root, so stackprint treats it as bundled and
loads its Jinja extension, as it does for go-api and nextjs-go.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from stackprint import blueprints

NAME = "resourceful"

COPIER_YML = """\
_subdirectory: template
_jinja_extensions: [stackprint.resources.jinja.ResourcesExtension]
_stackprint:
  title: A blueprint with resources, for tests
  groups:
    Project: [project_name, resources]
project_name:
  type: str
  help: Name of the project
  default: shop
  validator: "{% if not (project_name | regex_search('^[a-z][a-z0-9-]*$')) %}must be kebab-case{% endif %}"
resources:
  type: yaml
  help: The resources of the project
  default:
    - {name: product, plural: products, fields: ["name:string", "price:float"]}
  validator: "{{ resources | resources_error }}"
"""

FILES = {
    "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}",
    "routes.txt.jinja": (
        "{% for r in resources | resource_model %}/{{ r.path }} {{ r.pascal }}\n{% endfor %}"
    ),
    "models/{% yield r from resources | resource_model %}{{ r.name }}{% endyield %}.go.jinja": (
        "type {{ r.go }} struct {\n"
        "{% for f in r.fields %}\t{{ f.go_ident }} {{ '*' if f.optional }}{{ f.go }}\n"
        "{% endfor %}}\n"
    ),
}


def install(root: Path) -> Path:
    """Write the blueprint under `root/NAME` and return its directory."""
    path = root / NAME
    (path / "template").mkdir(parents=True)
    (path / "copier.yml").write_text(COPIER_YML, encoding="utf-8")
    for rel, text in FILES.items():
        target = path / "template" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def use_fixture_root(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `root` (holding the fixture and links to the real blueprints) the bundled root."""
    real = blueprints.blueprints_root()
    root.mkdir(parents=True, exist_ok=True)
    for child in real.iterdir():
        (root / child.name).symlink_to(child)
    install(root)
    monkeypatch.setattr(blueprints, "blueprints_root", lambda: root)
