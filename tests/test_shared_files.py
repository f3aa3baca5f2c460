"""Files several bundled blueprints write alike, read from blueprints/_shared/."""

from __future__ import annotations

import pytest
from jinja2 import TemplateRuntimeError
from jinja2.sandbox import SandboxedEnvironment

from stackprint.paths import blueprints_root
from stackprint.resources.jinja import ResourcesExtension


def _render(source: str) -> str:
    env = SandboxedEnvironment(extensions=[ResourcesExtension], keep_trailing_newline=True)
    return env.from_string(source).render()


def test_a_template_writes_the_shared_file_as_it_is() -> None:
    text = (blueprints_root() / "_shared" / "go" / "testdb" / "embedded.go").read_text()
    assert _render("{{ 'go/testdb/embedded.go' | shared_file }}") == text


@pytest.mark.parametrize("name", ["../go-api/copier.yml", "/etc/passwd", "go/none.go", "go"])
def test_only_files_inside_the_shared_directory_are_read(name: str) -> None:
    with pytest.raises(TemplateRuntimeError, match="no shared file"):
        _render(f"{{{{ {name!r} | shared_file }}}}")
