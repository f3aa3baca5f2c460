"""`update` runs a generator step again only when one of its declared inputs changed;
otherwise the step's outputs come from the previous pristine render."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from stackprint import blueprints
from stackprint.create import create, prepare_answers
from stackprint.reuse import files_on_disk
from stackprint.updater import update
from tests.conftest import SMALL_COPIER_YML, MakeBlueprint

# The generator shouts input.txt into out/, and counts its runs in a file outside the
# project (named by GEN_COUNTER), so a test can tell a run from a reuse.
GENERATOR = """\
#!/bin/sh
set -e
echo run >>"$GEN_COUNTER"
rm -rf out
mkdir -p out/deep
tr a-z A-Z <input.txt >out/deep/result.txt
cp gen.sh out/tool.sh
"""

STEPS = """\
  generators:
    - name: shout
      run: [sh, gen.sh]
      requires: [sh]
      inputs: [input.txt, gen.sh]
      outputs: [out]
    - name: undeclared
      run: [sh, -c, 'echo undeclared >>"$GEN_COUNTER"; date +%N >stamp.txt']
      requires: [sh]
"""


@pytest.fixture
def counter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "runs.log"
    monkeypatch.setenv("GEN_COUNTER", str(path))
    return path


def runs(counter: Path) -> list[str]:
    return counter.read_text().split() if counter.exists() else []


@pytest.fixture
def project(make_blueprint: MakeBlueprint, tmp_path: Path, counter: Path) -> tuple[Path, Path]:
    yml = SMALL_COPIER_YML.replace("_stackprint:\n", "_stackprint:\n" + STEPS, 1)
    root = make_blueprint(
        copier_yml=yml,
        files={
            "input.txt.jinja": "hello {{ project_name }}\n",
            "gen.sh": GENERATOR,
            "notes.txt": "v1\n",
        },
    )
    (root / "template" / "gen.sh").chmod(0o755)
    blueprint = blueprints.load(str(root))
    dest = tmp_path / "proj"
    answers = prepare_answers(blueprint, {}, dest=dest, use_defaults=True, asker=None)
    create(dest, blueprint, answers, trust=True)
    assert runs(counter) == ["run", "undeclared"]
    return root, dest


def test_a_change_outside_the_inputs_reuses_the_outputs(
    project: tuple[Path, Path], counter: Path
) -> None:
    root, dest = project
    (root / "template" / "notes.txt").write_text("v2\n")

    result = update(dest, trust=True)

    assert result.generators.reused == ["shout"]
    assert result.generators.ran == ["undeclared"]  # no inputs declared: always runs
    assert runs(counter) == ["run", "undeclared", "undeclared"]
    assert (dest / "notes.txt").read_text() == "v2\n"
    assert (dest / "out" / "deep" / "result.txt").read_text() == "HELLO PROJ\n"
    assert os.access(dest / "out" / "tool.sh", os.X_OK), "the executable bit was lost"
    assert ("M", "out/deep/result.txt") not in result.changes


def test_a_changed_input_runs_the_step(project: tuple[Path, Path], counter: Path) -> None:
    root, dest = project
    (root / "template" / "input.txt.jinja").write_text("goodbye {{ project_name }}\n")

    result = update(dest, trust=True)

    assert result.generators.ran == ["shout", "undeclared"]
    assert result.generators.reused == []
    assert (dest / "out" / "deep" / "result.txt").read_text() == "GOODBYE PROJ\n"


def test_a_changed_answer_that_reaches_an_input_runs_the_step(
    project: tuple[Path, Path], counter: Path
) -> None:
    _, dest = project
    result = update(dest, data={"project_name": "other"}, trust=True)

    assert "shout" in result.generators.ran
    assert (dest / "out" / "deep" / "result.txt").read_text() == "HELLO OTHER\n"


def test_a_mode_change_of_an_input_counts_as_a_change(
    project: tuple[Path, Path], counter: Path
) -> None:
    root, dest = project
    (root / "template" / "gen.sh").chmod(0o644)

    result = update(dest, trust=True)

    assert "shout" in result.generators.ran


def test_user_edits_to_generated_files_survive_a_reuse(
    project: tuple[Path, Path], counter: Path
) -> None:
    root, dest = project
    (dest / "out" / "deep" / "result.txt").write_text("HELLO PROJ, EDITED\n")
    subprocess.run(
        ["git", "-c", "user.name=u", "-c", "user.email=u@x", "commit", "-qam", "edit"],
        cwd=dest,
        check=True,
    )
    (root / "template" / "notes.txt").write_text("v2\n")

    result = update(dest, trust=True)

    assert result.generators.reused == ["shout"]
    assert (dest / "out" / "deep" / "result.txt").read_text() == "HELLO PROJ, EDITED\n"


def test_blob_ids_on_disk_match_git(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_bytes(b"some bytes\n\x00\xff")
    (tmp_path / "d" / "run.sh").write_text("#!/bin/sh\n")
    (tmp_path / "d" / "run.sh").chmod(0o755)
    (tmp_path / "d" / "link").symlink_to("a.txt")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "d"], cwd=tmp_path, check=True)
    staged = subprocess.run(
        ["git", "ls-files", "-s", "d"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    expected = {}
    for line in staged.splitlines():
        meta, name = line.split("\t")
        mode, sha, _ = meta.split()
        expected[name] = (mode, sha)

    assert files_on_disk(tmp_path, ("d",)) == expected
