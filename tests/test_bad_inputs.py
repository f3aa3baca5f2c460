"""A catalogue of bad inputs, each run through the command line as a user would.

Every case asserts the documented exit code, one line of message (`error: ...`) naming the
problem, no traceback, and nothing left in or beside the destination or in the caches.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from stackprint.cli import main
from stackprint.errors import ExitCode
from tests.conftest import SMALL_COPIER_YML, MakeBlueprint

USAGE, TOOLCHAIN, REFUSED, UNSAFE = (
    ExitCode.USAGE,
    ExitCode.TOOLCHAIN,
    ExitCode.REFUSED,
    ExitCode.UNSAFE,
)
# Names temporary files and directories get while stackprint or a generator works.
LEFTOVER_MARKS = (".build.", ".install.", ".stackprint", "stackprint-update-", ".tmp")
GENERATOR = "  generators:\n    - name: {name}\n      run: [sh, -c, '{script}']\n"


class Sandbox:
    """One case's world: a working directory, a tiny blueprint, projects made on demand."""

    def __init__(self, root: Path, blueprint: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.bp = blueprint
        self.monkeypatch = monkeypatch
        self.tools = root.parent / "tools"  # the case's own GENERATOR_TOOLS_DIR
        self.fakebin = root.parent / "fakebin"
        self.mounts: list[Path] = []  # unmounted after the case

    def project(self, name: str = "proj", *extra: str) -> Path:
        dest = self.root / name
        run_cli(["new", str(dest), "-b", str(self.bp), "--defaults", "-q", *extra])
        return dest

    def blueprint_with_step(self, script: str, name: str = "step") -> Path:
        root = self.bp.parent / f"{self.bp.name}-{name.replace(' ', '-')}"
        shutil.copytree(self.bp, root)
        config = SMALL_COPIER_YML.replace(
            "_stackprint:\n", "_stackprint:\n" + GENERATOR.format(name=name, script=script)
        )
        (root / "copier.yml").write_text(config)
        return root

    def fake(self, tool: str, script: str) -> None:
        """Put a `tool` that runs `script` (sh) first on PATH."""
        self.fakebin.mkdir(exist_ok=True)
        path = self.fakebin / tool
        path.write_text(f"#!/bin/sh\n{script}\n")
        path.chmod(0o755)
        self.monkeypatch.setenv("PATH", f"{self.fakebin}{os.pathsep}{os.environ['PATH']}")


def run_cli(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


Setup = Callable[[Sandbox], list[str]]


@dataclass(frozen=True)
class Case:
    id: str
    setup: Setup  # prepares the sandbox and returns the argv
    code: int
    message: str  # a fragment of the one-line message
    extra_lines: bool = False  # a failed generator step prints the tail of its output too
    tags: tuple[str, ...] = field(default=())


def argv(*args: str) -> Setup:
    return lambda sb: [a.format(bp=sb.bp, root=sb.root) for a in args]


def with_setup(prepare: Callable[[Sandbox], object], *args: str) -> Setup:
    def setup(sb: Sandbox) -> list[str]:
        prepare(sb)
        return argv(*args)(sb)

    return setup


# -- setups -----------------------------------------------------------------------------


def nonempty(sb: Sandbox) -> None:
    (sb.root / "taken").mkdir()
    (sb.root / "taken" / "keep.txt").write_text("mine\n")


def a_file(sb: Sandbox) -> None:
    (sb.root / "file").write_text("x\n")


def a_symlink(sb: Sandbox) -> None:
    (sb.root / "real").mkdir()
    (sb.root / "link").symlink_to(sb.root / "real")


def read_only_parent(sb: Sandbox) -> None:
    parent = sb.root / "ro"
    parent.mkdir()
    if os.geteuid() == 0:  # root writes through permissions: use a read-only mount
        if subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(parent)]
        ).returncode:
            pytest.skip("needs a read-only directory: not root-mountable here")
        sb.mounts.append(parent)
    else:
        parent.chmod(0o555)


def tiny_disk(sb: Sandbox) -> None:
    disk = sb.root / "disk"
    disk.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", str(disk)]
    if os.geteuid() != 0 or subprocess.run(mount).returncode:
        pytest.skip(
            "a real full disk needs a small tmpfs (root); git's and Python's ENOSPC cases cover the rest"
        )
    sb.mounts.append(disk)
    big = sb.bp / "template" / "big.txt"
    big.write_text("x" * 200_000)


def bad_blueprint_yaml(sb: Sandbox) -> None:
    (sb.root / "broken").mkdir()
    (sb.root / "broken" / "copier.yml").write_text("a: [unclosed\n")


def not_a_blueprint(sb: Sandbox) -> None:
    (sb.root / "plain").mkdir()


def answers(text: str) -> Callable[[Sandbox], None]:
    return lambda sb: (sb.root / "answers.yml").write_text(text)


def uncreatable_cache(sb: Sandbox) -> None:
    sb.monkeypatch.setenv("XDG_CACHE_HOME", "/proc/nope")
    sb.monkeypatch.delenv("GENERATOR_TOOLS_DIR", raising=False)


def step_blueprint(script: str, name: str = "step") -> Callable[[Sandbox], None]:
    def prepare(sb: Sandbox) -> None:
        sb.bp = sb.blueprint_with_step(script, name)

    return prepare


def failing_tool_build(sb: Sandbox) -> None:
    """go-api's `make generate` with a `go` that cannot build protoc-gen-go."""
    sb.monkeypatch.setenv("GENERATOR_TOOLS_DIR", str(sb.tools))
    sb.fake(
        "go",
        'case "$1" in list) echo v1.36.0;; version) echo "go version go1.26.0 linux/amd64";;'
        ' *) echo "go: build failed: no network" >&2; exit 1;; esac',
    )


def git_out_of_space(sb: Sandbox) -> None:
    real = shutil.which("git")
    sb.fake(
        "git",
        'for a in "$@"; do [ "$a" = commit ] && { echo "error: unable to write file: '
        'No space left on device" >&2; echo "fatal: cannot store blob" >&2; exit 128; }; done\n'
        f'exec "{real}" "$@"',
    )


def merge_out_of_space(sb: Sandbox, p: Path) -> None:
    """A blueprint change to merge, and a git whose merge finds the disk full."""
    template = sb.bp / "template" / "{{ project_name }}.txt.jinja"
    template.write_text("changed: " + template.read_text())
    real = shutil.which("git")
    sb.fake(
        "git",
        'if [ "$1" = merge ] && [ "$2" != --abort ]; then echo "error: unable to write'
        ' file: No space left on device" >&2; exit 128; fi\n'
        f'exec "{real}" "$@"',
    )


def render_out_of_space(sb: Sandbox) -> None:
    from stackprint import render

    original = render.render

    def fill_the_disk(blueprint, dest, answers, **kwargs):  # type: ignore[no-untyped-def]
        original(blueprint, dest, answers, **kwargs)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dest / "big.bin"))

    sb.monkeypatch.setattr(render, "render", fill_the_disk)


def project_in(state: Callable[[Sandbox, Path], object], *extra: str) -> Callable[[Sandbox], None]:
    def prepare(sb: Sandbox) -> None:
        state(sb, sb.project("proj", *extra))

    return prepare


def dirty(sb: Sandbox, p: Path) -> None:
    (p / "notes.txt").write_text("uncommitted\n")


def sub_dirty(sb: Sandbox, p: Path) -> None:
    (p / "sub").mkdir()
    (p / "sub" / "notes.txt").write_text("uncommitted\n")
    sb.monkeypatch.chdir(p / "sub")


def commit_all(p: Path) -> None:
    git = ["git", "-c", "user.name=u", "-c", "user.email=u@x"]
    subprocess.run([*git, "add", "-A"], cwd=p, check=True)
    subprocess.run([*git, "commit", "-qm", "edit"], cwd=p, check=True)


def without_baseline(sb: Sandbox, p: Path) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=p, check=True)
    commit_all(p)


def newer_version(sb: Sandbox, p: Path) -> None:
    path = p / ".copier-answers.yml"
    data = yaml.safe_load(path.read_text())
    data["_stackprint_version"] = "99.0.0"
    path.write_text(yaml.safe_dump(data))
    commit_all(p)


def corrupt_answers(text: str) -> Callable[[Sandbox, Path], None]:
    def corrupt(sb: Sandbox, p: Path) -> None:
        (p / ".copier-answers.yml").write_text(text)
        commit_all(p)

    return corrupt


def mid_merge(sb: Sandbox, p: Path) -> None:
    (p / ".git" / "MERGE_HEAD").write_text(
        subprocess.run(["git", "rev-parse", "HEAD"], cwd=p, capture_output=True, text=True).stdout
    )


def nothing(sb: Sandbox, p: Path) -> None:
    pass


def cache_gone_for_update(sb: Sandbox, p: Path) -> None:
    uncreatable_cache(sb)


def empty_cwd(name: str) -> Callable[[Sandbox], None]:
    def prepare(sb: Sandbox) -> None:
        (sb.root / name).mkdir()
        sb.monkeypatch.chdir(sb.root / name)

    return prepare


# -- the catalogue ----------------------------------------------------------------------

N = "new"
BP = "{bp}"
# One case per line: the catalogue reads as a table.
# fmt: off
CASES = [
    # destinations
    Case("new-dest-not-empty", with_setup(nonempty, N, "taken", "-b", BP, "--defaults"), USAGE, "exists and is not empty"),
    Case("new-dest-is-a-file", with_setup(a_file, N, "file", "-b", BP, "--defaults"), USAGE, "is not a directory"),
    Case("new-dest-is-a-symlink", with_setup(a_symlink, N, "link", "-b", BP, "--defaults"), USAGE, "symbolic link"),
    Case("new-parent-read-only", with_setup(read_only_parent, N, "ro/app", "-b", BP, "--defaults"), TOOLCHAIN, "cannot create the project directory"),
    Case("new-parent-is-a-file", with_setup(a_file, N, "file/app", "-b", BP, "--defaults"), TOOLCHAIN, "is not a directory"),
    Case("new-dot-bad-dir-name", with_setup(empty_cwd("Not_Kebab"), N, ".", "-b", BP, "--defaults"), USAGE, "taken from the destination's name"),
    Case("new-disk-full", with_setup(tiny_disk, N, "disk/app", "-b", BP, "--defaults", "--no-git"), TOOLCHAIN, "no space left"),
    Case("new-git-out-of-space", with_setup(git_out_of_space, N, "app", "-b", BP, "--defaults"), TOOLCHAIN, "no space left"),
    Case("new-render-out-of-space", with_setup(render_out_of_space, N, "app", "-b", BP, "--defaults"), TOOLCHAIN, "no space left"),
    # blueprints
    Case("new-unknown-blueprint", argv(N, "app", "-b", "nope", "--defaults"), USAGE, "unknown blueprint 'nope'"),
    Case("new-blueprint-path-missing", argv(N, "app", "-b", "./missing", "--defaults"), USAGE, "does not exist"),
    Case("new-blueprint-not-a-blueprint", with_setup(not_a_blueprint, N, "app", "-b", "./plain", "--defaults"), USAGE, "has no copier.yml"),
    Case("new-blueprint-bad-yaml", with_setup(bad_blueprint_yaml, N, "app", "-b", "./broken", "--defaults"), USAGE, "not valid YAML"),
    Case("new-untrusted-generators", with_setup(step_blueprint("true"), N, "app", "-b", BP, "--defaults"), UNSAFE, "refusing without --trust"),
    Case("new-no-blueprint-no-terminal", argv(N, "app"), USAGE, "no blueprint chosen"),
    # --data
    Case("new-data-without-equals", argv(N, "app", "-b", BP, "--data", "flavour"), USAGE, "expects KEY=VALUE"),
    Case("new-data-empty-key", argv(N, "app", "-b", BP, "--data", "=x"), USAGE, "expects KEY=VALUE" ),
    Case("new-data-unknown-key", argv(N, "app", "-b", BP, "--data", "colour=red"), USAGE, "unknown question 'colour'"),
    Case("new-data-computed-key", argv(N, "app", "-b", BP, "--data", "loud_greeting=HI"), USAGE, "unknown question 'loud_greeting'"),
    Case("new-data-not-a-choice", argv(N, "app", "-b", BP, "--data", "flavour=mint"), USAGE, "'mint' is not one of"),
    Case("new-data-bad-bool", argv(N, "app", "-b", BP, "--data", "shout=maybe"), USAGE, "is not a yes/no value"),
    Case("new-data-validator", argv(N, "app", "-b", BP, "--data", "project_name=Bad_Name"), USAGE, "must be kebab-case"),
    Case("new-dest-name-invalid", argv(N, "Bad_Dir", "-b", BP, "--defaults"), USAGE, "taken from the destination's name"),
    Case("new-missing-answer", argv(N, "app", "-b", BP), USAGE, "no answer for 'greeting'"),
    # answers files
    Case("new-answers-file-missing", argv(N, "app", "-b", BP, "-a", "nope.yml"), USAGE, "cannot read answers file"),
    Case("new-answers-file-is-dir", argv(N, "app", "-b", BP, "-a", "."), USAGE, "cannot read answers file"),
    Case("new-answers-file-bad-yaml", with_setup(answers("a: [x\n"), N, "app", "-b", BP, "-a", "answers.yml"), USAGE, "not valid YAML (line"),
    Case("new-answers-file-a-list", with_setup(answers("- a\n- b\n"), N, "app", "-b", BP, "-a", "answers.yml"), USAGE, "must be a mapping"),
    Case("new-answers-file-unknown-key", with_setup(answers("colour: red\n"), N, "app", "-b", BP, "-a", "answers.yml", "--defaults"), USAGE, "unknown question 'colour'"),
    Case("new-answers-file-bad-value", with_setup(answers("flavour: mint\n"), N, "app", "-b", BP, "-a", "answers.yml", "--defaults" ), USAGE, "'mint' is not one of"),
    # caches and generator steps
    Case("new-cache-uncreatable", with_setup(lambda sb: (step_blueprint("true")(sb), uncreatable_cache(sb)), N, "app", "-b", BP, "--defaults", "--trust"), TOOLCHAIN, "cannot create the cache directory /proc/nope"),
    Case("new-tools-dir-uncreatable", with_setup(lambda sb: (step_blueprint("true")(sb), sb.monkeypatch.setenv("GENERATOR_TOOLS_DIR", "/proc/nope/tools")), N, "app", "-b", BP, "--defaults", "--trust"), TOOLCHAIN, "set GENERATOR_TOOLS_DIR"),
    Case("new-generator-step-fails", with_setup(step_blueprint("echo half > half.txt; exit 7", "boom"), N, "app", "-b", BP, "--defaults", "--trust"), TOOLCHAIN, "generator step 'boom'", extra_lines=True),
    Case("new-tool-build-fails", with_setup(failing_tool_build, N, "app", "-b", "go-api", "--defaults"), TOOLCHAIN, "generator step 'protobuf Go types", extra_lines=True),
    # options typer parses
    Case("new-unknown-option", argv(N, "app", "--bogus"), USAGE, "No such option: --bogus"),
    Case("new-option-needs-value", argv(N, "app", "-b"), USAGE, "requires an argument"),
    Case("unknown-command", argv("nonsense"), USAGE, "No such command 'nonsense'"),
    Case("feature-number-not-int", argv("feature", "x", "--number", "abc"), USAGE, "--number"),
    Case("feature-number-zero", argv("feature", "x", "--number", "0"), USAGE, "--number"),
    # update
    Case("update-missing-path", argv("update", "nope"), USAGE, "does not exist"),
    Case("update-a-file", with_setup(a_file, "update", "file"), USAGE, "is not a directory"),
    Case("update-outside-a-project", argv("update", "{root}"), USAGE, "not inside a project generated by stackprint"),
    Case("update-dirty", with_setup(project_in(dirty), "update", "proj"), REFUSED, "uncommitted changes"),
    Case("update-dirty-from-subfolder", with_setup(project_in(sub_dirty), "update"), REFUSED, "uncommitted changes"),
    Case("update-no-git", with_setup(project_in(nothing, "--no-git"), "update", "proj"), REFUSED, "not a git repository"),
    Case("update-no-baseline", with_setup(project_in(without_baseline, "--no-git"), "update", "proj"), REFUSED, "no baseline"),
    Case("update-downgrade", with_setup(project_in(newer_version), "update", "proj"), REFUSED, "newer than this one"),
    Case("update-mid-merge", with_setup(project_in(mid_merge), "update", "proj"), REFUSED, "a merge is in progress"),
    Case("update-answers-not-yaml", with_setup(project_in(corrupt_answers("a: [x\n")), "update", "proj"), USAGE, "corrupted"),
    Case("update-answers-no-source", with_setup(project_in(corrupt_answers("greeting: hi\n")), "update", "proj"), USAGE, "has no _src_path"),
    Case("update-merge-out-of-space", with_setup(project_in(merge_out_of_space), "update", "proj"), TOOLCHAIN, "no space left"),
    Case("update-data-unknown", with_setup(project_in(nothing), "update", "proj", "--data", "colour=red"), USAGE, "unknown question 'colour'"),
    Case("update-data-invalid", with_setup(project_in(nothing), "update", "proj", "--data", "flavour=mint"), USAGE, "'mint' is not one of"),
    Case("update-data-malformed", with_setup(project_in(nothing), "update", "proj", "--data", "flavour"), USAGE, "expects KEY=VALUE"),
    Case("update-cache-uncreatable", with_setup(lambda sb: (step_blueprint("true")(sb), project_in(cache_gone_for_update, "--trust")(sb)), "update", "proj", "--trust"), TOOLCHAIN, "cannot create the cache directory /proc/nope"),
    # check, feature, blueprints, doctor
    Case("check-missing-path", argv("check", "nope"), USAGE, "does not exist"),
    Case("check-outside-a-project", argv("check", "{root}"), USAGE, "not inside a project generated by stackprint"),
    Case("check-a-file", with_setup(a_file, "check", "file"), USAGE, "is not a directory"),
    Case("feature-outside-a-project", argv("feature", "Add export", "-C", "{root}"), USAGE, "not inside a project generated by stackprint"),
    Case("feature-missing-path", argv("feature", "Add export", "-C", "nope"), USAGE, "does not exist" ),
    Case("feature-dirty", with_setup(project_in(dirty), "feature", "Add export", "-C", "proj"), REFUSED, "uncommitted changes"),
    Case("blueprints-unknown", argv("blueprints", "nope"), USAGE, "unknown blueprint 'nope'"),
    Case("doctor-missing-project", argv("doctor", "-C", "nope"), USAGE, "does not exist"),
    Case("doctor-not-a-project", argv("doctor", "-C", "{root}"), USAGE, "not inside a project"),
]
# fmt: on


# The bundled blueprints' validators: (case, blueprint, --data, message).
VALIDATORS = [
    ("module_path", "go-api", "module_path=github.com//x", "empty element"),
    ("resource-name", "go-api", "resources=[{{name: func, fields: [n:string]}}]", "reserved word"),
    (
        "field-type",
        "go-api",
        "resources=[{{name: item, fields: [name:strin]}}]",
        "unknown type 'strin'",
    ),
    ("target_platform", "go-api", "target_platform=a\nb", "must be one line"),
    ("constraints", "nextjs-go", "constraints=a\nb", "must be one line"),
    ("resource", "nextjs-go", "resources=[{{name: Product, fields: [n:string]}}]", "snake_case"),
    ("styling", "nextjs-go", "styling=sass", "is not one of"),
]
CASES += [
    Case(
        f"{blueprint}-{case}",
        argv(N, "app", "-b", blueprint, "--defaults", "--data", data),
        USAGE,
        message,
    )
    for case, blueprint, data, message in VALIDATORS
]


def snapshot(root: Path) -> set[str]:
    """Every path under `root`, except git's object store: objects an update wrote before it
    failed are unreachable, content-addressed and pruned by git's own gc."""
    if not root.exists():
        return set()
    paths = (p.relative_to(root).as_posix() for p in root.rglob("*"))
    return {p for p in paths if "/.git/objects/" not in p}


def leftovers(*roots: Path) -> list[str]:
    found = []
    for root in roots:
        for path in root.rglob("*") if root.is_dir() else []:
            if any(mark in path.name for mark in LEFTOVER_MARKS):
                found.append(str(path))
    return found


@pytest.fixture
def sandbox(
    make_blueprint: MakeBlueprint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Sandbox]:
    root = tmp_path / "work"
    root.mkdir()
    monkeypatch.chdir(root)
    monkeypatch.setenv("GENERATOR_TOOLS_DIR", str(tmp_path / "tools"))
    sb = Sandbox(root, make_blueprint(), monkeypatch)
    yield sb
    for mount in sb.mounts:
        subprocess.run(["umount", str(mount)], check=False)


def test_the_catalogue_is_large_and_covers_every_command() -> None:
    # Ctrl-D in the wizard needs a terminal: tests/test_wizard_pty.py runs that case.
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
    commands = {c.id.split("-")[0] for c in CASES}
    assert commands >= {"new", "update", "check", "feature", "blueprints", "doctor"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(
    case: Case, sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = case.setup(sandbox)
    cache = Path(os.environ["XDG_CACHE_HOME"])
    before = snapshot(tmp_path)
    capsys.readouterr()

    code = run_cli(args)

    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == case.code, err
    lines = err.strip().splitlines()
    assert lines and lines[0].startswith("error: "), err
    assert case.message in lines[0], err
    assert case.extra_lines or len(lines) == 1, err
    if not case.extra_lines:
        assert "\n" not in lines[0]
    # Nothing new in or beside the destination (the sandbox holds both), nor in the caches.
    # (The tools cache directory itself may be created, empty, by a generator run.)
    assert snapshot(tmp_path) - before <= {"tools"}
    assert leftovers(tmp_path / "tools", cache, sandbox.root) == []
