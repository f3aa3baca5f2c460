"""Interrupting `new` or `update` at any step leaves the whole result or nothing at all.

Each signal is sent when the run has reached a step the test can see (the staging
directory exists, a generator step has started or finished, the process has exited), so
the outcome does not depend on how fast the machine is.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SMALL_COPIER_YML, MakeBlueprint

# The console script, as users run it. (Under `python -m stackprint` CPython sometimes
# reports a handled Ctrl-C as death by SIGINT, -2, after stackprint has cleaned up.)
STACKPRINT = [str(Path(sys.executable).with_name("stackprint"))]
# A generator step that says when it starts and ends, through files in $MARKS, and blocks
# in between until the test lets it go (or a signal kills it).
STEP = (
    "  generators:\n"
    "    - name: observed step\n"
    '      run: [sh, -c, \'touch "$MARKS/started"; cat "$MARKS/go"; echo done > gen.txt; '
    'touch "$MARKS/finished"\']\n'
)


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str], what: str) -> None:
    """Wait until `condition` holds; fail if the process ends first or a minute passes."""
    deadline = time.monotonic() + 60
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"stackprint exited ({proc.returncode}) before {what}: {proc.stderr}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


class Marks:
    """The marker files of STEP, and the fifo that lets it finish."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir()

    def reset(self) -> None:
        for path in self.root.iterdir():
            path.unlink()
        os.mkfifo(self.root / "go")

    def release(self) -> None:
        """Let the step finish (opening the fifo for writing unblocks its `cat`)."""
        fd = os.open(self.root / "go", os.O_WRONLY)
        os.close(fd)

    def has(self, name: str) -> bool:
        return (self.root / name).exists()


def env_with(marks: Marks) -> dict[str, str]:
    return {**os.environ, "MARKS": str(marks.root)}


def start(marks: Marks, *args: str) -> subprocess.Popen[str]:
    """stackprint with `args`, its output captured, its steps reporting through `marks`."""
    return subprocess.Popen(
        [*STACKPRINT, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_with(marks),
    )


# Where each run is interrupted, and which outcomes are possible there.
NEW_POINTS = {
    "rendering": {"nothing"},  # the staging directory exists
    "generating": {"nothing"},  # the generator step runs
    "generated": {"nothing", "complete"},  # spec documents, commit or rename under way
    "exited": {"complete"},
}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("point", list(NEW_POINTS))
def test_new_interrupted_at_each_step_leaves_all_or_nothing(
    make_blueprint: MakeBlueprint, tmp_path: Path, signum: int, point: str
) -> None:
    blueprint = make_blueprint(
        copier_yml=SMALL_COPIER_YML.replace("_stackprint:\n", "_stackprint:\n" + STEP)
    )
    marks = Marks(tmp_path / "marks")
    marks.reset()
    parent = tmp_path / "out"
    parent.mkdir()
    dest = parent / "demo"
    cmd = [*STACKPRINT, "new", str(dest), "-b", str(blueprint), "--defaults", "--trust"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env_with(marks)
    )
    if point == "rendering":
        wait_for(lambda: any(parent.iterdir()), proc, "the staging directory")
    else:
        wait_for(lambda: marks.has("started"), proc, "the generator step")
    if point in ("generated", "exited"):
        marks.release()
        wait_for(lambda: marks.has("finished"), proc, "the end of the step")
    if point == "exited":
        proc.wait(timeout=60)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)

    leftovers = sorted(p.name for p in parent.iterdir())
    outcome = "complete" if leftovers == ["demo"] else "nothing"
    assert outcome in NEW_POINTS[point], (leftovers, err)
    if outcome == "complete":
        assert (dest / "gen.txt").read_text() == "done\n"
        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=dest, capture_output=True, text=True
        )
        assert status.stdout == ""
    else:
        assert leftovers == []
        assert proc.returncode == 130
        assert err.strip().splitlines()[-1] == "interrupted"
        assert "Traceback" not in err


def test_sigterm_from_inside_a_run_is_handled_by_the_entry_point(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    """A generator step sends SIGTERM to the stackprint process calling it: only the
    handler `main()` installs turns that into cleanup and exit 130 (unhandled, SIGTERM
    would kill the process and leave the staging directory behind)."""
    step = (
        "  generators:\n    - name: terminate\n      run: [sh, -c, 'kill -TERM $PPID; sleep 30']\n"
    )
    blueprint = make_blueprint(
        copier_yml=SMALL_COPIER_YML.replace("_stackprint:\n", "_stackprint:\n" + step)
    )
    parent = tmp_path / "out"
    parent.mkdir()
    code = (
        "import sys; from stackprint.cli import main; "
        f"main(['new', {str(parent / 'demo')!r}, '-b', {str(blueprint)!r}, '--defaults', '--trust'])"
    )
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert time.monotonic() - start < 25  # the sleeping step was killed, not waited for
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "interrupted"
    assert list(parent.iterdir()) == []


# An object whose constructor the interrupt cuts short, as it once cut GitPython's
# config parser: its __del__ then fails on the attribute the constructor never set.
HALF_BUILT = """
import gc, os, signal, sys
from stackprint import cli

class HalfBuilt:
    def __init__(self):
        os.kill(os.getpid(), signal.SIGINT)
        self.ready = True

    def __del__(self):
        self.ready

if sys.argv[1] == "stackprint":
    signal.signal(signal.SIGINT, cli._on_interrupt)
try:
    HalfBuilt()
except KeyboardInterrupt:
    gc.collect()
print("interrupted", file=sys.stderr)
"""


@pytest.mark.parametrize("handler", ["python", "stackprint"])
def test_an_object_the_interrupt_cut_short_prints_no_traceback(handler: str) -> None:
    """Python's own handler shows the half-built object's failing __del__; the handler
    stackprint installs drops it, so the user sees only "interrupted"."""
    proc = subprocess.run(
        [sys.executable, "-c", HALF_BUILT, handler], capture_output=True, text=True, timeout=60
    )
    if handler == "python":
        assert "Exception ignored" in proc.stderr and "AttributeError" in proc.stderr
    else:
        assert proc.stderr == "interrupted\n"


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


UPDATE_POINTS = {
    "generating": {"as it was"},  # the pristine render is being made, outside the project
    "generated": {"as it was", "mid-merge", "updated"},  # committing or merging
    "exited": {"updated"},
}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("point", list(UPDATE_POINTS))
def test_update_interrupted_leaves_the_repository_as_it_was_or_mid_merge(
    make_blueprint: MakeBlueprint, tmp_path: Path, signum: int, point: str
) -> None:
    files = {f"f{i}.txt": f"file {i}\n" for i in range(40)}
    root = make_blueprint(
        copier_yml=SMALL_COPIER_YML.replace("_stackprint:\n", "_stackprint:\n" + STEP), files=files
    )
    marks = Marks(tmp_path / "marks")
    marks.reset()
    dest = tmp_path / "proj"
    new = start(marks, "new", str(dest), "-b", str(root), "--defaults", "--trust")
    wait_for(lambda: marks.has("started"), new, "the generator step of new")
    marks.release()
    assert new.wait(timeout=60) == 0
    for i in range(40):  # the next blueprint version changes every file
        (root / "template" / f"f{i}.txt").write_text(f"file {i}, version 2\n")
    before = _git(dest, "rev-parse", "HEAD")

    marks.reset()
    proc = start(marks, "update", str(dest), "--trust")
    wait_for(lambda: marks.has("started"), proc, "the generator step of update")
    if point != "generating":
        marks.release()
        wait_for(lambda: marks.has("finished"), proc, "the end of the step")
    if point == "exited":
        proc.wait(timeout=60)
    proc.send_signal(signum)
    proc.communicate(timeout=60)

    if (dest / ".git" / "MERGE_HEAD").exists():
        state = "mid-merge"
        _git(dest, "merge", "--abort")
        assert _git(dest, "rev-parse", "HEAD") == before
    elif _git(dest, "rev-parse", "HEAD") == before:
        state = "as it was"
    else:
        state = "updated"
        assert (dest / "f0.txt").read_text() == "file 0, version 2\n"
        _git(dest, "reset", "-q", "--hard", before)
    assert state in UPDATE_POINTS[point]
    assert _git(dest, "status", "--porcelain") == ""
    assert (dest / "f0.txt").read_text() == "file 0\n"


def _signal_pending(pid: int, signum: int) -> bool:
    """Whether `signum` waits, blocked, to be delivered to process `pid`."""
    status = Path(f"/proc/{pid}/status").read_text()
    pending = 0
    for line in status.splitlines():
        if line.startswith(("SigPnd:", "ShdPnd:")):
            pending |= int(line.split()[1], 16)
    return bool(pending & (1 << (signum - 1)))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_update_interrupted_while_git_merges_exits_after_the_merge_is_made(
    make_blueprint: MakeBlueprint, tmp_path: Path, signum: int
) -> None:
    """A signal that reaches stackprint alone while `git merge` runs (here held by the
    project's pre-merge-commit hook) waits for the merge: stackprint exits only once git
    is done, so nothing it started still writes to the repository after it has gone."""
    root = make_blueprint(copier_yml=SMALL_COPIER_YML)
    dest = tmp_path / "proj"
    subprocess.run(
        [*STACKPRINT, "new", str(dest), "-b", str(root), "--defaults", "--trust"],
        check=True,
        capture_output=True,
    )
    (root / "template" / "added.txt").write_text("from version 2\n")
    before = _git(dest, "rev-parse", "HEAD")
    marks = Marks(tmp_path / "marks")
    marks.reset()
    hook = dest / ".git" / "hooks" / "pre-merge-commit"
    hook.write_text('#!/bin/sh\ntouch "$MARKS/started"; cat "$MARKS/go"; touch "$MARKS/finished"\n')
    hook.chmod(0o755)

    proc = start(marks, "update", str(dest), "--trust")
    wait_for(lambda: marks.has("started"), proc, "the merge")
    proc.send_signal(signum)
    # Held while git runs, or (were it not) the end of stackprint with git still running.
    deadline = time.monotonic() + 60
    while proc.poll() is None and not _signal_pending(proc.pid, signum):
        assert time.monotonic() < deadline, "the signal was neither held nor taken"
        time.sleep(0.01)
    assert proc.poll() is None, "stackprint exited while git was still merging"
    marks.release()
    _, err = proc.communicate(timeout=60)

    assert marks.has("finished")
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "interrupted"
    assert _git(dest, "rev-parse", "HEAD^1") == before  # the update's merge commit
    assert (dest / "added.txt").read_text() == "from version 2\n"
    assert _git(dest, "status", "--porcelain") == ""


@pytest.mark.parametrize("point", list(UPDATE_POINTS))
def test_add_resource_interrupted_leaves_the_repository_as_it_was_or_mid_merge(
    make_blueprint: MakeBlueprint, tmp_path: Path, point: str
) -> None:
    from tests.test_grow import COPIER_YML, FILES

    root = make_blueprint(
        copier_yml=COPIER_YML.replace("_stackprint:\n", "_stackprint:\n" + STEP),
        files=FILES,
        name="growing",
    )
    marks = Marks(tmp_path / "marks")
    marks.reset()
    dest = tmp_path / "proj"
    new = start(marks, "new", str(dest), "-b", str(root), "--defaults", "--trust")
    wait_for(lambda: marks.has("started"), new, "the generator step of new")
    marks.release()
    assert new.wait(timeout=60) == 0
    before = _git(dest, "rev-parse", "HEAD")

    marks.reset()
    proc = start(marks, "add", "resource", "tag=label:string", "-C", str(dest), "--trust")
    wait_for(lambda: marks.has("started"), proc, "the generator step of add resource")
    if point != "generating":
        marks.release()
        wait_for(lambda: marks.has("finished"), proc, "the end of the step")
    if point == "exited":
        proc.wait(timeout=60)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)

    if (dest / ".git" / "MERGE_HEAD").exists():
        state = "mid-merge"
        _git(dest, "merge", "--abort")
        assert _git(dest, "rev-parse", "HEAD") == before
    elif _git(dest, "rev-parse", "HEAD") == before:
        state = "as it was"
    else:
        state = "updated"
        assert (dest / "handlers" / "tag.go").is_file()
        _git(dest, "reset", "-q", "--hard", before)
    assert state in UPDATE_POINTS[point]
    assert _git(dest, "status", "--porcelain") == ""
    assert not (dest / "handlers" / "tag.go").exists()


# Blocks the Nth reference update git makes (counting from 0) until the test lets it go:
# `new` in a monorepo updates HEAD (its commit) and then makes the baseline's tag.
REF_HOOK = """\
#!/bin/sh
[ "$1" = prepared ] || exit 0
n=$(ls "$MARKS" | grep -c '^ref')
touch "$MARKS/ref$n"
if [ "$n" = "$BLOCK_AT" ]; then
  touch "$MARKS/blocked"
  cat "$MARKS/go" >/dev/null
fi
exit 0
"""
MONOREPO_POINTS = {
    "commit": (0, []),  # the project and its workflows are in place and staged
    "tag": (1, []),  # committed, the baseline's tag under way
    "staged": (0, ["--no-commit"]),  # staged, the baseline's tag under way
}


def _release_unless_gone(marks: Marks, proc: subprocess.Popen[str]) -> None:
    """Let the blocked hook go, unless the signal ended it (the shell may take it): then
    git aborts its transaction and stackprint goes on to exit without it."""
    while proc.poll() is None:
        try:
            fd = os.open(marks.root / "go", os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # no reader (yet, or any more): wait for one, or for the exit
            time.sleep(0.02)
            continue
        os.close(fd)
        return


def _repository_state(repo: Path) -> dict[str, object]:
    files = sorted(
        p.relative_to(repo).as_posix()
        for p in repo.rglob("*")
        if ".git" not in p.relative_to(repo).parts
    )
    return {
        "files": files,
        "head": _git(repo, "rev-parse", "HEAD"),
        "index": _git(repo, "ls-files", "--stage"),
        "status": _git(repo, "status", "--porcelain", "--untracked-files=all"),
        "tags": _git(repo, "tag", "--list"),
    }


@pytest.mark.parametrize("to", ["stackprint", "process group"])
@pytest.mark.parametrize("point", list(MONOREPO_POINTS))
def test_new_in_a_monorepo_interrupted_while_joining_leaves_the_repository_as_it_was(
    make_blueprint: MakeBlueprint, tmp_path: Path, point: str, to: str
) -> None:
    blueprint = make_blueprint(
        files={".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: x\n"}
    )
    repo = tmp_path / "platform"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "handbook.md").write_text("# Handbook\n")
    (repo / "Makefile").write_text("all:\n")
    _git(tmp_path, "init", "-q", "--initial-branch=main", str(repo))
    _git(repo, "add", "--all")
    _git(repo, "-c", "user.name=u", "-c", "user.email=u@x", "commit", "-qm", "platform")
    # Another team's work in progress, staged and not, which must stay exactly so.
    (repo / "Makefile").write_text("all:\n\t@echo staged\n")
    _git(repo, "add", "Makefile")
    (repo / "docs" / "handbook.md").write_text("# Handbook\n\ndraft\n")
    before = _repository_state(repo)
    hook = repo / ".git" / "hooks" / "reference-transaction"
    hook.write_text(REF_HOOK)
    hook.chmod(0o755)
    marks = Marks(tmp_path / "marks")
    marks.reset()
    block_at, options = MONOREPO_POINTS[point]
    dest = repo / "services" / "billing"
    proc = subprocess.Popen(
        [*STACKPRINT, "new", str(dest), "-b", str(blueprint), "--defaults", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env_with(marks), "BLOCK_AT": str(block_at)},
        start_new_session=True,
    )
    wait_for(lambda: marks.has("blocked"), proc, "the reference update")
    if to == "stackprint":
        proc.send_signal(signal.SIGINT)
        marks.release()
    else:  # Ctrl-C in a terminal: git and its hook get it too
        os.killpg(proc.pid, signal.SIGINT)
        _release_unless_gone(marks, proc)
    _, err = proc.communicate(timeout=60)

    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "interrupted"
    assert _repository_state(repo) == before
    assert not (repo / "services").exists()
