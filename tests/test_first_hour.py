"""What a new user meets first: `new .`, derived answers that follow their source, the
summary and equivalent command, listings and warnings, help, completion, no-cache runs."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from stackprint import blueprints
from stackprint.answers import command_line, non_default, without_derived_defaults
from stackprint.cli import main
from stackprint.cli.completion import complete_blueprint, complete_data
from stackprint.questions import Question, parse_questions
from stackprint.update import update
from tests.conftest import SMALL_COPIER_YML, MakeBlueprint


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def recorded(project: Path) -> dict[str, Any]:
    return dict(yaml.safe_load((project / ".copier-answers.yml").read_text()))


@pytest.mark.parametrize(
    ("data", "name"), [([], "my-shop"), (["--data", "project_name=shop"], "shop")]
)
def test_new_dot_fills_the_empty_current_directory_in_place(
    data: list[str],
    name: str,
    make_blueprint: MakeBlueprint,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    here = tmp_path / "my-shop"
    here.mkdir()
    inode = here.stat().st_ino
    monkeypatch.chdir(here)
    code, _, err = run(["new", ".", "-b", str(make_blueprint()), "--defaults", *data], capsys)
    assert code == 0, err
    assert here.stat().st_ino == inode  # the shell's directory was filled, not replaced
    assert Path.cwd().samefile(here)
    assert recorded(here)["project_name"] == name  # by default, named after the directory
    assert (here / f"{name}.txt").is_file() and (here / ".git").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blueprints", "my-shop"]


PLURAL_YML = """\
_subdirectory: template
resource:
  type: str
  default: product
resource_plural:
  type: str
  default: "{{ resource }}s"
label:
  type: str
  default: "All {{ resource_plural }}"
"""


def test_derived_defaults_are_forgotten_unless_the_user_set_them() -> None:
    questions = parse_questions(yaml.safe_load(PLURAL_YML))
    derived = {"resource": "product", "resource_plural": "products", "label": "All products"}
    assert without_derived_defaults(questions, derived) == {"resource": "product"}
    chosen = {"resource": "person", "resource_plural": "people", "label": "Everyone"}
    assert without_derived_defaults(questions, chosen) == chosen
    # A label that is just the default for the user's plural follows that plural.
    follows = {"resource": "person", "resource_plural": "people", "label": "All people"}
    assert without_derived_defaults(questions, follows) == {
        "resource": "person",
        "resource_plural": "people",
    }


def test_update_recomputes_a_derived_answer_from_its_changed_source(
    make_blueprint: MakeBlueprint, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blueprint = make_blueprint(
        copier_yml=PLURAL_YML,
        files={
            "{{ resource_plural }}.txt.jinja": "{{ label }}\n",
            "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}",
        },
    )
    project = tmp_path / "p"
    assert run(["new", str(project), "-b", str(blueprint), "--defaults", "-q"], capsys)[0] == 0
    update(project, data={"resource": "invoice"})
    answers = recorded(project)
    assert answers["resource_plural"] == "invoices" and answers["label"] == "All invoices"
    assert (project / "invoices.txt").read_text() == "All invoices\n"

    set_by_user = tmp_path / "q"
    argv = ["new", str(set_by_user), "-b", str(blueprint), "--defaults", "-q"]
    assert run([*argv, "--data", "resource_plural=people"], capsys)[0] == 0
    update(set_by_user, data={"resource": "person"})
    assert recorded(set_by_user)["resource_plural"] == "people"  # the user's choice stays


def test_the_equivalent_command_lists_only_answers_that_differ() -> None:
    questions = blueprints.load("go-api").questions
    from stackprint.answers import resolve

    answers = resolve(
        questions,
        {"project_name": "shop", "feature_name": "checkout", "auth": True},
        use_defaults=True,
        asker=None,
    )
    # module_path and feature_description follow from the answers: not repeated.
    assert non_default(questions, answers, {"project_name": "shop"}) == {
        "feature_name": "checkout",
        "auth": True,
    }
    line = command_line("go-api", "shop", answers, questions, {"project_name": "shop"})
    assert line == (
        "stackprint new shop --blueprint go-api --defaults --data auth=true"
        " --data feature_name=checkout"
    )


def test_update_ask_shows_groups_summary_and_asks_for_confirmation(
    make_blueprint: MakeBlueprint, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from stackprint.errors import Cancelled
    from stackprint.wizard import summary_rows

    project = tmp_path / "p"
    assert (
        run(["new", str(project), "-b", str(make_blueprint()), "--defaults", "-q"], capsys)[0] == 0
    )
    seen: list[Mapping[str, Any]] = []

    def asker(question: Question, default: Any, answers: Mapping[str, Any]) -> Any:
        return "chocolate" if question.name == "flavour" else default

    def decline(answers: dict[str, Any]) -> bool:
        seen.append(answers)
        return False

    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True
    ).stdout
    with pytest.raises(Cancelled):
        update(project, asker=asker, confirm=decline)
    assert seen[0]["flavour"] == "chocolate"
    assert (
        subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True
        ).stdout
        == head
    )
    rows = summary_rows(
        str(project), "tiny", seen[0], {"Project": ["project_name", "greeting", "flavour", "shout"]}
    )
    assert rows[:2] == [("destination", str(project)), ("blueprint", "tiny")]
    assert [k for k, _ in rows[2:]] == ["project_name", "greeting", "flavour", "shout"]


def test_pretend_summarises_and_list_shows_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["new", str(tmp_path / "svc"), "-b", "go-api", "--defaults", "--pretend"]
    code, short, _ = run(base, capsys)
    assert code == 0 and "--list shows every file" in short
    assert "  internal/ (" in short and "internal/config/config.go" not in short
    code, full, _ = run([*base, "--list"], capsys)
    assert "  internal/config/config.go" in full
    assert not (tmp_path / "svc").exists()


def test_no_git_warns_and_no_generate_does_not(
    make_blueprint: MakeBlueprint, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    step = "  generators:\n    - name: step\n      run: [sh, -c, 'true']\n"
    blueprint = make_blueprint(
        copier_yml=SMALL_COPIER_YML.replace("_stackprint:\n", "_stackprint:\n" + step)
    )
    code, out, err = run(
        ["new", str(tmp_path / "a"), "-b", str(blueprint), "--defaults", "--no-generate"], capsys
    )
    assert code == 0 and err == "", err
    code, out, err = run(
        [
            "new",
            str(tmp_path / "b"),
            "-b",
            str(blueprint),
            "--defaults",
            "--no-generate",
            "--no-git",
            "--list",
        ],
        capsys,
    )
    assert code == 0
    assert err.startswith("warning: --no-git") and "cannot be updated later" in err
    assert "  a.txt" not in out and "  b.txt" in out  # --list names each file written


def test_option_help_shows_metavars_not_python_types(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("new", "update", "feature", "check", "blueprints", "doctor"):
        code, out, _ = run([command, "--help"], capsys)
        assert code == 0
        assert "<" not in out and "list[" not in out, out
    assert "--blueprint NAME|PATH" in run(["new", "--help"], capsys)[1]


def test_completion_offers_blueprint_names_and_data_keys() -> None:
    import typer

    assert complete_blueprint("ne") == ["nextjs-go"]
    from stackprint.cli.app import app

    ctx = typer.Context(typer.main.get_command(app))
    ctx.params = {"blueprint": "go-api"}
    assert "module_path=" in complete_data(ctx, "mod")
    assert complete_data(ctx, "auth=") == ["auth=false", "auth=true"]
    ctx.params = {}
    assert "styling=" in complete_data(ctx, "sty")  # nextjs-go's, from every blueprint


def test_doctor_and_new_no_generate_need_no_writable_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/nope")
    monkeypatch.delenv("GENERATOR_TOOLS_DIR", raising=False)
    code, out, err = run(["doctor"], capsys)
    assert code in (0, 3) and "Traceback" not in err and " git " in out
    code, _, err = run(
        ["new", str(tmp_path / "svc"), "-b", "go-api", "--defaults", "--no-generate"], capsys
    )
    assert code == 0, err
    assert (tmp_path / "svc" / "go.mod").is_file()


def test_readme_version_claims_match_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    from stackprint import __version__

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    row = next(line for line in readme.splitlines() if line.startswith("| `stackprint --version`"))
    assert run(["--version"], capsys)[1] == f"stackprint {__version__}\n"
    assert run(["-V"], capsys)[1] == f"stackprint {__version__}\n"
    # The README says --version belongs to `stackprint` itself; commands refuse it.
    assert "not of its commands" in row
    assert run(["new", "--version"], capsys)[0] == 2
