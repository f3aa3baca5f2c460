"""Interrupting `new` at any moment leaves either the whole project or nothing at all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SMALL_COPIER_YML, MakeBlueprint

# A generator step slow enough that some signals land while it runs.
SLOW_STEP = (
    "  generators:\n    - name: slow step\n      run: [sh, -c, 'sleep 0.4; echo done > gen.txt']\n"
)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_new_interrupted_at_many_points_leaves_all_or_nothing(
    make_blueprint: MakeBlueprint, tmp_path: Path, signum: int
) -> None:
    blueprint = make_blueprint(
        copier_yml=SMALL_COPIER_YML.replace("_stackprint:\n", "_stackprint:\n" + SLOW_STEP)
    )
    outcomes = set()
    for i, delay in enumerate([0.3, 0.6, 0.8, 1.0, 1.2, 1.4, 1.7, 2.0, 2.5, 6.0]):
        parent = tmp_path / f"run{i}"
        dest = parent / "demo"
        cmd = [
            sys.executable,
            "-m",
            "stackprint",
            "new",
            str(dest),
            "-b",
            str(blueprint),
            "--defaults",
            "--trust",
        ]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
        leftovers = sorted(p.name for p in parent.iterdir()) if parent.exists() else []
        if proc.returncode == 0 or leftovers == ["demo"]:  # done before the signal landed
            outcomes.add("complete")
            assert leftovers == ["demo"]
            assert (dest / "gen.txt").read_text() == "done\n"
            assert (
                subprocess.run(
                    ["git", "status", "--porcelain"], cwd=dest, capture_output=True, text=True
                ).stdout
                == ""
            )
        else:
            outcomes.add("nothing")
            assert leftovers == [], f"after {delay}s: {leftovers}"
            assert "Traceback" not in err or delay < 0.5, err  # only possible before start-up ends
    # Signals interrupted work in progress, and the last one came after the project was done.
    assert outcomes == {"nothing", "complete"}


def test_interrupted_new_exits_130_with_one_line(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    blueprint = make_blueprint(
        copier_yml=SMALL_COPIER_YML.replace(
            "_stackprint:\n",
            "_stackprint:\n  generators:\n    - name: slow\n      run: [sleep, '30']\n",
        )
    )
    dest = tmp_path / "demo"
    cmd = [
        sys.executable,
        "-m",
        "stackprint",
        "new",
        str(dest),
        "-b",
        str(blueprint),
        "--defaults",
        "--trust",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until the generator runs
        if any(p.name.endswith(".stackprint") for p in tmp_path.iterdir()) and _has_child(proc.pid):
            break
        time.sleep(0.05)
    start = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - start < 5  # the sleeping generator was killed, not waited for
    assert proc.returncode == 130
    assert err.strip().splitlines()[-1] == "interrupted"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blueprints"]


def _has_child(pid: int) -> bool:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return children.exists() and bool(children.read_text().strip())


def test_sigterm_handler_is_installed_by_the_entry_point() -> None:
    # The entry point turns SIGTERM into the same cleanup path as Ctrl-C.
    code = "import signal, stackprint.cli as c; c.signal.signal(signal.SIGTERM, c._on_sigterm); print('ok')"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert out.stdout.strip() == "ok"


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_update_interrupted_leaves_the_repository_as_it_was_or_mid_merge(
    make_blueprint: MakeBlueprint, tmp_path: Path, signum: int
) -> None:
    slow = (
        "  generators:\n    - name: slow step\n      run: [sh, -c, 'sleep 0.3; echo v > gen.txt']\n"
    )
    files = {f"f{i}.txt": f"file {i}\n" for i in range(40)}
    root = make_blueprint(
        copier_yml=SMALL_COPIER_YML.replace("_stackprint:\n", "_stackprint:\n" + slow), files=files
    )
    dest = tmp_path / "proj"
    base = [sys.executable, "-m", "stackprint"]
    subprocess.run(
        [*base, "new", str(dest), "-b", str(root), "--defaults", "--trust"],
        check=True,
        capture_output=True,
    )
    for i in range(40):  # the next blueprint version changes every file
        (root / "template" / f"f{i}.txt").write_text(f"file {i}, version 2\n")
    before = _git(dest, "rev-parse", "HEAD")
    states = set()
    for delay in [0.3, 0.6, 0.9, 1.1, 1.3, 1.5, 1.8, 2.2, 3.0, 6.0]:
        proc = subprocess.Popen(
            [*base, "update", str(dest), "--trust"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        time.sleep(delay)
        proc.send_signal(signum)
        proc.communicate(timeout=60)
        if (dest / ".git" / "MERGE_HEAD").exists():
            states.add("mid-merge")
            _git(dest, "merge", "--abort")
            assert _git(dest, "rev-parse", "HEAD") == before
        elif _git(dest, "rev-parse", "HEAD") == before:
            states.add("as it was")
        else:
            states.add("updated")
            assert (dest / "f0.txt").read_text() == "file 0, version 2\n"
            _git(dest, "reset", "-q", "--hard", before)
        assert _git(dest, "status", "--porcelain") == "", f"after {delay}s"
        assert (dest / "f0.txt").read_text() == "file 0\n"
    # The signals landed both before the merge and, for the longest delays, after it.
    assert {"as it was", "updated"} <= states, states
