"""Hostile blueprints given by path, without --trust: nothing of theirs runs.

Each case is a copy of `blueprints/go-api` with one hostile change. Every payload, when
run, creates the canary file; the canary must never appear, the command must end in a
clean render or one line of error, and nothing may be written outside the destination.
With --trust, tasks, generator steps and extensions do run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from stackprint.cli import main
from stackprint.errors import ExitCode

GO_API = Path(__file__).resolve().parents[1] / "blueprints" / "go-api"
CANARY = "stackprint-canary"
# What every payload does when it gets to run: touch the canary (its path is in the
# environment, so the payload fits in a file name).
COMMAND = 'touch "$STACKPRINT_CANARY"'
PAYLOAD = "{{ cycler.__init__.__globals__.os.system('touch $STACKPRINT_CANARY') }}"
EXTENSION_MODULE = "stackprint_canary_ext"

Mutate = Callable[[Path], None]


# --- the blueprint copy and its hostile changes ---------------------------------------


def config(bp: Path) -> dict[str, Any]:
    data = yaml.safe_load((bp / "copier.yml").read_text())
    assert isinstance(data, dict)
    return data


def set_config(bp: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = config(bp)
    change(data)
    (bp / "copier.yml").write_text(yaml.safe_dump(data, sort_keys=False))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def stack_template(bp: Path) -> None:
    path = bp / "speckit" / "plan-template.md.jinja"
    path.write_text(path.read_text() + PAYLOAD + "\n")


def shared_document_replaced(bp: Path) -> None:
    write(bp / "speckit" / "feature" / "spec.md.jinja", f"# Spec\n{PAYLOAD}\n")


def new_feature_document_replaced(bp: Path) -> None:
    write(bp / "speckit" / "new-feature" / "spec.md.jinja", f"# Spec\n{PAYLOAD}\n")


def stack_value(bp: Path) -> None:
    path = bp / "speckit" / "stack.yml"
    data = yaml.safe_load(path.read_text())
    data["technical_context"].append({"label": "Evil", "value": PAYLOAD})
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def next_step(bp: Path) -> None:
    set_config(bp, lambda c: c["_stackprint"]["next_steps"].append(PAYLOAD))


def default(bp: Path) -> None:
    set_config(bp, lambda c: c["project_description"].update(default=PAYLOAD))


def validator(bp: Path) -> None:
    set_config(bp, lambda c: c["project_name"].update(validator=PAYLOAD))


def when(bp: Path) -> None:
    set_config(bp, lambda c: c["feature_description"].update(when=PAYLOAD))


def choices(bp: Path) -> None:
    set_config(bp, lambda c: c["target_platform"].update(choices=PAYLOAD))


def subdirectory_setting(bp: Path) -> None:
    set_config(bp, lambda c: c.update(_subdirectory=PAYLOAD + "template"))


def file_name(bp: Path) -> None:
    write(bp / "template" / f"{PAYLOAD}.txt", "x\n")


def folder_name(bp: Path) -> None:
    write(bp / "template" / PAYLOAD / "x.txt", "x\n")


def template_file(bp: Path) -> None:
    write(bp / "template" / "evil.txt.jinja", f"before\n{PAYLOAD}\nafter\n")


def spelled_out() -> str:
    """COMMAND with the canary's path written out: Copier runs tasks in the environment
    the process started with, without the test's variables."""
    return f"touch {os.environ['STACKPRINT_CANARY']}"


def tasks(bp: Path) -> None:
    set_config(bp, lambda c: c.update(_tasks=[spelled_out()]))


def migrations(bp: Path) -> None:
    migration = {"version": "0.0.1", "command": spelled_out()}
    set_config(bp, lambda c: c.update(_migrations=[migration]))


def extensions(bp: Path) -> None:
    # Added beside the blueprint's own (stackprint's, which need no trust).
    set_config(
        bp,
        lambda c: c.update(
            _jinja_extensions=[*c.get("_jinja_extensions", []), f"{EXTENSION_MODULE}.Shout"]
        ),
    )


def generators(bp: Path) -> None:
    step = {"name": "canary", "run": ["sh", "-c", COMMAND]}
    set_config(bp, lambda c: c["_stackprint"].update(generators=[step]))


def no_generators(bp: Path) -> None:
    set_config(bp, lambda c: c["_stackprint"].pop("generators"))


def template_link_outside(bp: Path) -> None:
    (bp / "template" / "leak.txt").symlink_to(bp.parent / "secret.txt")


def speckit_link_outside(bp: Path) -> None:
    target = bp / "speckit" / "feature" / "spec.md.jinja"
    target.parent.mkdir(parents=True)
    target.symlink_to(bp.parent / "secret.txt")


def preserved_link_leaving_destination(bp: Path) -> None:
    # Inside the blueprint it stays inside (template/../speckit); rendered, it would make
    # the project's .specify/ lead out of the destination.
    set_config(bp, lambda c: c.update(_preserve_symlinks=True))
    (bp / "template" / ".specify").symlink_to("../speckit")


def subdirectory_parent(bp: Path) -> None:
    set_config(bp, lambda c: c.update(_subdirectory=".."))


def answers_file_outside(bp: Path) -> None:
    set_config(bp, lambda c: c.update(_answers_file="../stolen-answers.yml"))


# --- running stackprint ---------------------------------------------------------------


@pytest.fixture
def area(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """tmp_path as the working directory, with the canary's path and a secret beside."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STACKPRINT_CANARY", str(tmp_path / CANARY))
    (tmp_path / "secret.txt").write_text("the user's secret\n")
    (tmp_path / "out").mkdir()
    # An importable module that announces being imported: a Jinja extension as any
    # installed package could provide one.
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / f"{EXTENSION_MODULE}.py").write_text(
        "import os, pathlib\n"
        "from jinja2.ext import Extension\n\n"
        "pathlib.Path(os.environ['STACKPRINT_CANARY']).touch()\n\n\n"
        "class Shout(Extension):\n"
        "    def __init__(self, environment):\n"
        "        super().__init__(environment)\n"
        "        environment.filters['shout'] = lambda text: str(text).upper() + '!'\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    yield tmp_path
    from stackprint import questions

    sys.modules.pop(EXTENSION_MODULE, None)
    questions.jinja_env.cache_clear()


def hostile(area: Path, *changes: Mutate, name: str = "bp") -> Path:
    bp = area / name
    shutil.copytree(GO_API, bp, symlinks=True)
    for change in changes:
        change(bp)
    return bp


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def snapshot(root: Path, leave_out: Path | None = None) -> dict[str, tuple[bool, int]]:
    """Every path under `root` (but `leave_out`) with its kind and, for files, mtime.

    Inside a `.git` directory git itself refreshes files on reads; the tests check a
    repository's state with git instead.
    """
    found = {}
    for path in root.rglob("*"):
        if leave_out is not None and path.is_relative_to(leave_out):
            continue
        if ".git" in path.relative_to(root).parts:
            continue
        info = path.lstat()
        found[path.relative_to(root).as_posix()] = (
            path.is_dir(),
            0 if path.is_dir() else info.st_mtime_ns,
        )
    return found


def canaries(area: Path) -> list[Path]:
    return list(area.rglob(CANARY))


def assert_one_line_error(code: int, err: str, expected: ExitCode, naming: str) -> None:
    assert code == expected, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert naming in lines[0], err


NEW = ["--defaults", "--quiet", "--no-git"]


def run_new(
    area: Path, blueprint: Path | str, capsys: pytest.CaptureFixture[str], *flags: str
) -> tuple[int, str, str, Path]:
    """`stackprint new out/proj --blueprint BLUEPRINT` with every default, quietly."""
    dest = area / "out" / "proj"
    argv = ["new", str(dest), "--blueprint", str(blueprint), *NEW, *flags]
    return (*run_cli(argv, capsys), dest)


REFUSED = [
    pytest.param([stack_template], "speckit/plan-template.md.jinja", id="stack-speckit-template"),
    pytest.param([shared_document_replaced], "speckit/feature/spec.md.jinja", id="shared-doc"),
    pytest.param([stack_value], "speckit/stack.yml", id="stack-yml-value"),
    pytest.param([next_step], "copier.yml (_stackprint.next_steps)", id="next-steps"),
    pytest.param([default], "question 'project_description', default", id="default"),
    pytest.param([validator], "question 'project_name', validator", id="validator"),
    pytest.param([when], "question 'feature_description', when", id="when"),
    pytest.param([choices], "question 'target_platform', choices", id="choices"),
    pytest.param([subdirectory_setting], "copier.yml", id="copier-setting"),
    pytest.param([file_name], "template/{{ cycler", id="file-name"),
    pytest.param([folder_name], "template/{{ cycler", id="folder-name"),
    pytest.param([template_file], "template/evil.txt.jinja:2", id="template-file"),
    pytest.param([tasks], "runs code (tasks in copier.yml)", id="tasks"),
    pytest.param([extensions], "loads Jinja extensions", id="jinja-extensions"),
    pytest.param([template_link_outside], "template/leak.txt", id="template-link-outside"),
    pytest.param([speckit_link_outside], "spec.md.jinja", id="speckit-link-outside"),
    pytest.param([preserved_link_leaving_destination], ".specify", id="rendered-link"),
    pytest.param([subdirectory_parent], "reaches outside", id="subdirectory-parent"),
]


@pytest.mark.parametrize(("changes", "naming"), REFUSED)
def test_a_hostile_blueprint_is_refused_in_one_line_and_nothing_runs_or_is_written(
    changes: list[Mutate], naming: str, area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bp = hostile(area, *changes)
    before = snapshot(area)
    code, _, err, dest = run_new(area, bp, capsys, "--no-generate")
    assert_one_line_error(code, err, ExitCode.UNSAFE, naming)
    assert canaries(area) == []
    assert EXTENSION_MODULE not in sys.modules
    assert not dest.exists()
    assert snapshot(area) == before


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param([migrations], id="migrations"),  # update re-renders: never migrates
        pytest.param([generators], id="generators-with-no-generate"),
        pytest.param([answers_file_outside], id="answers-file-outside"),
    ],
)
def test_what_never_runs_leaves_a_clean_render(
    changes: list[Mutate], area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bp = hostile(area, *changes)
    before = snapshot(area)
    code, out, err, dest = run_new(area, bp, capsys, "--no-generate")
    assert code == ExitCode.OK, err
    assert out.strip() == str(dest)
    assert (dest / "go.mod").is_file()
    assert canaries(area) == []
    assert snapshot(area, leave_out=dest) == before


def test_generator_steps_are_refused_without_trust(
    area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bp = hostile(area, generators)
    code, _, err, dest = run_new(area, bp, capsys)
    assert_one_line_error(code, err, ExitCode.UNSAFE, "runs commands (canary)")
    assert canaries(area) == []
    assert not dest.exists()


def test_a_replaced_shared_document_renders_into_the_project(
    area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A blueprint may replace a shared spec-kit document: sandboxed, that is harmless."""
    bp = hostile(area)
    write(
        bp / "speckit" / "feature" / "spec.md.jinja",
        "# Our own spec for {{ a.resources[0].name }}\n",
    )
    code, _, err, dest = run_new(area, bp, capsys, "--no-generate")
    assert code == ExitCode.OK, err
    specs = list((dest / "specs").glob("001-*/spec.md"))
    assert [p.read_text() for p in specs] == ["# Our own spec for product\n"]


# --- with --trust ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "extra"),
    [
        pytest.param([tasks], ["--no-generate"], id="tasks"),
        pytest.param([generators], [], id="generators"),
    ],
)
def test_with_trust_tasks_and_generator_steps_run(
    changes: list[Mutate], extra: list[str], area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bp = hostile(area, *changes)
    code, _, err, dest = run_new(area, bp, capsys, *extra, "--trust")
    assert code == ExitCode.OK, err
    assert (dest / "go.mod").is_file()
    assert canaries(area) == [area / CANARY]


def test_with_trust_extensions_load_for_questions_and_templates_alike(
    area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def use_the_filter(bp: Path) -> None:
        set_config(
            bp, lambda c: c["project_description"].update(default="{{ project_name | shout }}")
        )
        write(bp / "template" / "shout.txt.jinja", "{{ project_name | shout }}\n")

    bp = hostile(area, extensions, use_the_filter)
    code, _, err, dest = run_new(area, bp, capsys, "--no-generate", "--trust")
    assert code == ExitCode.OK, err
    assert (dest / "shout.txt").read_text() == "PROJ!\n"  # Copier's environment
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["project_description"] == "PROJ!"  # stackprint's question environment
    assert canaries(area) == [area / CANARY]


def test_trust_does_not_open_the_sandbox(area: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bp = hostile(area, stack_template)
    code, _, err, dest = run_new(area, bp, capsys, "--no-generate", "--trust")
    assert_one_line_error(code, err, ExitCode.UNSAFE, "plan-template.md.jinja")
    assert canaries(area) == []
    assert not dest.exists()


# --- a cloned project whose answers file names a blueprint inside the clone -----------


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=u", "-c", "user.email=u@x", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def cloned(
    area: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Path]:
    """`cloned(*changes)`: a project whose history ships a hostile blueprint in
    `tools/bp` and records `_src_path: tools/bp` (or `src_path`), cloned afresh; the
    clone is the working directory, as for a user who runs `stackprint update` in it."""

    def make(*changes: Mutate, src_path: str = "tools/bp") -> Path:
        origin = area / "origin"
        bp = hostile(area, no_generators, name="clean-bp")
        code, _, err = run_cli(
            ["new", str(origin), "--blueprint", str(bp), "--defaults", "-q"], capsys
        )
        assert code == ExitCode.OK, err
        shipped = origin / "tools" / "bp"
        shutil.copytree(bp, shipped, symlinks=True)
        for change in changes:
            change(shipped)
        answers = origin / ".copier-answers.yml"
        answers.write_text(
            answers.read_text().replace(f"_src_path: {bp}", f"_src_path: {src_path}")
        )
        git(origin, "add", "--all")
        git(origin, "commit", "-qm", "ship our own blueprint")
        shutil.rmtree(bp)
        clone = area / "clone"
        git(area, "clone", "-q", str(origin), str(clone))
        shutil.rmtree(origin)
        monkeypatch.chdir(clone)
        return clone

    return make


CLONE_REFUSED = [
    pytest.param(["update", "-q"], [stack_template], "plan-template.md.jinja", id="update-speckit"),
    pytest.param(["update", "-q"], [stack_value], "stack.yml", id="update-stack-yml"),
    pytest.param(["update", "-q"], [template_file], "evil.txt.jinja", id="update-template"),
    pytest.param(["update", "-q"], [tasks], "runs code (tasks", id="update-tasks"),
    pytest.param(["update", "-q"], [generators], "runs commands (canary)", id="update-generators"),
    pytest.param(["update", "-q"], [extensions], "loads Jinja extensions", id="update-extensions"),
    pytest.param(["update", "-q"], [template_link_outside], "leak.txt", id="update-link"),
    pytest.param(
        ["feature", "--no-branch", "export invoices"],
        [new_feature_document_replaced],
        "new-feature/spec.md.jinja",
        id="feature-doc",
    ),
    pytest.param(["feature", "export invoices"], [stack_value], "stack.yml", id="feature-stack"),
    pytest.param(["check"], [stack_value], "stack.yml", id="check-stack"),
]


@pytest.mark.parametrize(("command", "changes", "naming"), CLONE_REFUSED)
def test_a_clone_naming_a_hostile_blueprint_of_its_own_runs_none_of_it(
    command: list[str],
    changes: list[Mutate],
    naming: str,
    cloned: Callable[..., Path],
    area: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clone = cloned(*changes)
    head = git(clone, "rev-parse", "HEAD")
    branch = git(clone, "branch", "--show-current")
    before = snapshot(area)
    code, _, err = run_cli(command, capsys)
    assert_one_line_error(code, err, ExitCode.UNSAFE, naming)
    assert canaries(area) == []
    assert EXTENSION_MODULE not in sys.modules
    assert snapshot(area) == before  # nothing written, in the clone or beside it
    assert git(clone, "rev-parse", "HEAD") == head
    assert git(clone, "branch", "--show-current") == branch
    assert git(clone, "status", "--porcelain") == ""


@pytest.mark.parametrize("trust", [[], ["--trust"]], ids=["untrusted", "trusted"])
def test_migrations_never_run_on_update(
    trust: list[str], cloned: Callable[..., Path], area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`update` renders afresh and merges through git: Copier's migrations have no place."""
    clone = cloned(migrations, src_path=str(area / "clone" / "tools" / "bp"))
    before = snapshot(area, leave_out=clone)
    code, _, err = run_cli(["update", "-q", *trust], capsys)
    assert code == ExitCode.OK, err
    assert canaries(area) == []
    assert snapshot(area, leave_out=clone) == before
    assert git(clone, "status", "--porcelain") == ""


def test_a_clone_updates_from_its_own_blueprint_with_trust(
    cloned: Callable[..., Path], area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Recorded as the absolute path it will have, as a render records it: the relative
    # `tools/bp` would come back absolute and conflict in the answers file.
    clone = cloned(tasks, src_path=str(area / "clone" / "tools" / "bp"))
    code, _, err = run_cli(["update", "-q", "--trust"], capsys)
    assert code == ExitCode.OK, err
    assert canaries(area) == [area / CANARY]
    assert git(clone, "status", "--porcelain") == ""


@pytest.fixture
def bundled(area: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """`bundled(*changes)`: a changed go-api installed as the bundled `go-api`."""
    from stackprint import blueprints

    root = area / "bundled"
    monkeypatch.setattr(blueprints, "blueprints_root", lambda: root)

    def make(*changes: Mutate) -> Path:
        bp = hostile(area, *changes, name="bundled/go-api")
        shutil.copytree(GO_API.parent / "_speckit", root / "_speckit")
        return bp

    return make


def test_a_bundled_blueprint_loads_its_extensions_without_trust(
    bundled: Callable[..., Path], area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bundled blueprints are trusted: their `_jinja_extensions` reach stackprint's
    questions, its spec-kit documents and Copier."""
    bp = bundled(extensions)
    set_config(bp, lambda c: c["project_description"].update(default="{{ project_name | shout }}"))
    plan = bp / "speckit" / "plan-template.md.jinja"
    plan.write_text(plan.read_text() + "{{ a.project_name | shout }}\n")
    code, _, err, dest = run_new(area, "go-api", capsys, "--no-generate")
    assert code == ExitCode.OK, err
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == "stackprint:go-api"
    assert answers["project_description"] == "PROJ!"
    plan_override = dest / ".specify" / "templates" / "overrides" / "plan-template.md"
    assert "PROJ!" in plan_override.read_text()


@pytest.mark.parametrize("change", [stack_template, stack_value, template_file, file_name])
def test_a_bundled_blueprint_renders_in_the_same_sandbox(
    change: Mutate, bundled: Callable[..., Path], area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundled(change)
    code, _, err, dest = run_new(area, "go-api", capsys, "--no-generate")
    assert_one_line_error(code, err, ExitCode.UNSAFE, "unsafe template refused")
    assert canaries(area) == []
    assert not dest.exists()


def test_showing_the_questions_of_a_blueprint_with_extensions_needs_trust(
    area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bp = hostile(area, extensions)
    code, _, err = run_cli(["blueprints", str(bp)], capsys)
    assert_one_line_error(code, err, ExitCode.UNSAFE, "loads Jinja extensions")
    assert EXTENSION_MODULE not in sys.modules
    code, out, err = run_cli(["blueprints", str(bp), "--trust"], capsys)
    assert code == ExitCode.OK, err
    assert "--data project_name=<str>" in out


def test_a_bundled_blueprint_with_stackprints_own_extension_renders(
    bundled: Callable[..., Path], area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The extension the bundled blueprints name, from the stackprint package itself."""
    bp = bundled()
    extension = "stackprint.resources.jinja.ResourcesExtension"
    set_config(bp, lambda c: c.update(_jinja_extensions=[extension]))
    set_config(bp, lambda c: c["project_description"].update(default="{{ 'invoice' | plural }}"))
    write(
        bp / "template" / "plural.txt.jinja",
        "{% for r in resources | resource_model %}{{ r.name | plural | pascal }}{% endfor %}\n",
    )
    code, _, err, dest = run_new(area, "go-api", capsys, "--no-generate")
    assert code == ExitCode.OK, err
    assert yaml.safe_load((dest / ".copier-answers.yml").read_text())["project_description"] == (
        "invoices"
    )
    assert (dest / "plural.txt").read_text() == "Products\n"


def test_a_path_blueprint_may_use_stackprints_own_extension_without_trust(
    area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The resource model is stackprint's own code: naming it needs no --trust."""
    bp = hostile(area)
    assert yaml.safe_load((bp / "copier.yml").read_text())["_jinja_extensions"] == [
        "stackprint.resources.jinja.ResourcesExtension"
    ]
    code, _, err, dest = run_new(area, bp, capsys, "--no-generate")
    assert code == ExitCode.OK, err
    assert list((dest / "services").glob("product_service.go"))
    assert EXTENSION_MODULE not in sys.modules
