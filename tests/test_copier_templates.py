"""A Copier template that is not stackprint's renders as Copier itself renders it.

stackprint does not evaluate such a template's questions: Copier does, so every question
type and setting Copier documents works. Each case renders the same template with plain
Copier and with stackprint and compares the trees byte for byte.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import stackprint
from stackprint.errors import StackprintError

COPIER_YML = """\
_subdirectory: template
_answers_file: .copier-answers.yml
name:
  type: str
  help: Project name
  default: demo
  validator: "{% if not name %}required{% endif %}"
  placeholder: my-project
where:
  type: path
  default: src/app
langs:
  type: str
  multiselect: true
  choices:
    Go: go
    Python: python
    Rust: rust
  default: [go]
port:
  type: int
  default: 8080
  choices: [8080, 9090]
ratio:
  type: float
  default: 0.5
settings:
  type: json
  default: '{"debug": true}'
extra:
  type: yaml
  default: "[a, b]"
token:
  type: str
  secret: true
  default: s3cret
shout:
  type: bool
  default: false
loud:
  type: str
  default: "{{ name | upper }}"
  when: "{{ shout }}"
computed:
  type: str
  default: "{{ name }}-{{ port }}"
  when: false
"""

FILES = {
    "out.txt.jinja": (
        "{{ name }} {{ where }} {{ langs }} {{ port }} {{ ratio }} {{ settings }} {{ extra }}\n"
        "{{ token }} {{ shout }} {{ loud | default('-') }} {{ computed }}\n"
    ),
    "{{ where }}/main.txt.jinja": "{% for lang in langs %}{{ lang }}\n{% endfor %}",
    "{% if shout %}LOUD.txt{% endif %}.jinja": "{{ loud }}\n",
    "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}",
}

# What stackprint adds to Copier's answers file: how to find the template again.
OWN_KEYS = {"_src_path", "_stackprint_version", "_stackprint_created", "_commit"}


@pytest.fixture
def template(tmp_path: Path) -> Path:
    root = tmp_path / "template-src"
    (root / "template").mkdir(parents=True)
    (root / "copier.yml").write_text(COPIER_YML)
    for rel, text in FILES.items():
        path = root / "template" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def tree(root: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == ".git" or rel.startswith(".git/") or not path.is_file():
            continue
        if rel == ".copier-answers.yml":
            answers = yaml.safe_load(path.read_text())
            out[rel] = {k: v for k, v in answers.items() if k not in OWN_KEYS}
        else:
            out[rel] = path.read_bytes()
    return out


def copier_render(template: Path, dest: Path, data: dict[str, Any]) -> Path:
    import copier

    copier.run_copy(str(template), dest, data=data, defaults=True, quiet=True, unsafe=True)
    return dest


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "shop", "where": "lib/core", "langs": "[python, rust]", "port": "9090"},
        {"shout": "yes", "ratio": "2.5", "settings": '{"debug": false}', "extra": "{k: v}"},
        {"langs": ["rust", "go"], "token": "other"},
    ],
)
def test_same_tree_as_copier(template: Path, tmp_path: Path, data: dict[str, Any]) -> None:
    expected = tree(copier_render(template, tmp_path / "by-copier", data))
    result = stackprint.new(
        tmp_path / "by-stackprint", blueprint=template, data=data, defaults=True
    )
    assert tree(result.path) == expected
    assert result.answers == expected[".copier-answers.yml"]


def test_copier_refusals_stay_copiers(template: Path, tmp_path: Path) -> None:
    with pytest.raises(StackprintError, match="port"):
        stackprint.new(tmp_path / "p", blueprint=template, data={"port": "1234"}, defaults=True)
    assert not (tmp_path / "p").exists()


def test_without_defaults_or_a_terminal_copier_would_ask(template: Path, tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "stackprint", "new", str(tmp_path / "p"), "-b", str(template)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert out.returncode == 2, out.stderr
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("error: template ") and "no terminal" in last
    assert not (tmp_path / "p").exists()


def test_such_a_project_updates_with_its_recorded_answers(template: Path, tmp_path: Path) -> None:
    data = {"name": "shop", "langs": "[python]", "where": "lib"}
    project = stackprint.new(tmp_path / "p", blueprint=template, data=data, defaults=True).path
    main = template / "template" / "{{ where }}" / "main.txt.jinja"
    main.write_text(main.read_text() + "# {{ name }}, v2\n")
    result = stackprint.update(project)
    assert result.files("changed") == ["lib/main.txt"]
    assert (project / "lib" / "main.txt").read_text() == "python\n# shop, v2\n"


def test_blueprints_command_leaves_the_questions_to_copier(
    template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from stackprint.cli import main

    with pytest.raises(SystemExit) as info:
        main(["blueprints", str(template)])
    assert info.value.code in (0, None)
    assert "Copier asks its questions" in capsys.readouterr().out
