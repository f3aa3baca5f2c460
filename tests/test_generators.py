"""Generator steps that declare disjoint inputs and outputs run at the same time; the
others run in order. Concurrency keeps what one step at a time gave: the failing step's
name and output in the error, and no step left running after a failure or an interrupt.

Each concurrent case is a rendezvous through fifos that only concurrent steps can finish;
`timeout` bounds a step that would otherwise wait forever, so a regression fails instead
of hanging."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stackprint import generators
from stackprint.errors import GeneratorError
from stackprint.generators import GeneratorStep


def step(
    name: str, script: str, inputs: tuple[str, ...] = (), outputs: tuple[str, ...] = ()
) -> GeneratorStep:
    return GeneratorStep(name, ("sh", "-c", script), ("sh",), inputs, outputs)


@pytest.fixture
def fifos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$FIFOS holds the fifos `ping` and `block` (never written: a reader of it waits)."""
    root = tmp_path / "fifos"
    root.mkdir()
    for name in ("ping", "block"):
        os.mkfifo(root / name)
    monkeypatch.setenv("FIFOS", str(root))
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    return root


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(
    ("a", "b", "together"),
    [
        ((("go.mod", "api"), ("gen/go",)), (("api", "web/package.json"), ("gen/ts",)), True),
        ((("api",), ("gen",)), (("gen/go/x.go",), ("out",)), False),  # b reads a's output
        ((("api",), ("gen",)), (("api",), ("gen/ts",)), False),  # both write gen/ts
        ((("gen",), ("out",)), (("api",), ("gen",)), False),  # b writes what a reads
        ((("api",), ("gen",)), (("api",), ("generated",)), True),  # a name, not a parent
        ((("./api/",), ("gen/",)), (("api",), ("gen",)), False),  # spelled differently
        (((), ()), (("api",), ("gen",)), False),  # a declares nothing: it may touch all
    ],
)
def test_steps_are_independent_when_neither_writes_what_the_other_touches(
    a: tuple[tuple[str, ...], tuple[str, ...]],
    b: tuple[tuple[str, ...], tuple[str, ...]],
    together: bool,
) -> None:
    first, second = step("a", "true", *a), step("b", "true", *b)
    assert generators.independent(first, second) is together
    assert generators.independent(second, first) is together
    expected = [[first, second]] if together else [[first], [second]]
    assert generators.waves([first, second]) == expected


def test_waves_keep_the_order_of_dependent_steps() -> None:
    go = step("go", "true", ("api",), ("gen/go",))
    ts = step("ts", "true", ("api",), ("gen/ts",))
    check = step("check", "true", ("gen",), ("report",))
    docs = step("docs", "true", ("api",), ("docs",))
    assert generators.waves([go, ts, check, docs]) == [[go, ts], [check, docs]]


def test_independent_steps_run_at_the_same_time(fifos: Path, project: Path) -> None:
    # `a` can only finish once `b` reads its message: one after the other, `a` times out.
    a = step(
        "a", "timeout 30 sh -c 'echo ping >\"$FIFOS/ping\"' && mkdir gen_a", ("x",), ("gen_a",)
    )
    b = step("b", 'mkdir gen_b && timeout 30 cat "$FIFOS/ping" >gen_b/got', ("y",), ("gen_b",))
    shown: list[str] = []

    report = generators.run(project, [a, b], progress=shown.append)

    assert report.ran == ["a", "b"]
    assert (project / "gen_b" / "got").read_text() == "ping\n"
    assert (project / "gen_a").is_dir()
    assert shown == ["a and b"]  # one progress line for the steps running together


def test_a_step_waits_for_the_step_whose_output_it_reads(project: Path) -> None:
    make = step("make", "mkdir -p gen && echo made >gen/file", ("src",), ("gen",))
    read = step("read", "cp gen/file copy", ("gen",), ("copy",))
    shown: list[str] = []

    report = generators.run(project, [make, read], progress=shown.append)

    assert report.ran == ["make", "read"]
    assert (project / "copy").read_text() == "made\n"
    assert shown == ["make", "read"]


def test_each_line_of_concurrent_steps_reaches_the_output(fifos: Path, project: Path) -> None:
    a = step("a", "echo a1; timeout 30 sh -c 'echo go >\"$FIFOS/ping\"'; echo a2", ("x",), ("ga",))
    b = step("b", 'echo b1; timeout 30 cat "$FIFOS/ping" >/dev/null; echo b2', ("y",), ("gb",))
    lines: list[str] = []

    generators.run(project, [a, b], output=lines.append)

    assert sorted(lines) == ["a1", "a2", "b1", "b2"]
    assert lines.index("a1") < lines.index("a2") and lines.index("b1") < lines.index("b2")


def test_a_failing_step_is_reported_and_the_other_is_killed(fifos: Path, project: Path) -> None:
    # `slow` starts, tells `broken` (which then fails) and waits on a fifo no one writes.
    broken = step(
        "broken",
        'timeout 30 cat "$FIFOS/ping" >/dev/null; echo "cannot parse api.yaml" >&2; exit 3',
        ("api",),
        ("gen_a",),
    )
    slow = step(
        "slow",
        'echo $$ >slow.pid; echo up >"$FIFOS/ping"; exec cat "$FIFOS/block"',
        ("api",),
        ("gen_b",),
    )

    with pytest.raises(GeneratorError) as failure:
        generators.run(project, [broken, slow])

    assert "generator step 'broken'" in str(failure.value)
    assert "exit code 3" in str(failure.value)
    assert failure.value.hint == "cannot parse api.yaml"
    assert not alive(int((project / "slow.pid").read_text()))


def test_an_interrupt_kills_every_running_step(fifos: Path, project: Path) -> None:
    # --foreground keeps `timeout` in the step's process group, which the kill reaches.
    script = 'echo $$ >"$0.pid"; echo ready; exec timeout --foreground 30 cat "$FIFOS/block"'
    steps = [
        GeneratorStep(name, ("sh", "-c", script, name), (), ("api",), (f"gen_{name}",))
        for name in ("a", "b")
    ]
    ready: list[str] = []

    def interrupt_once_both_are_up(line: str) -> None:
        ready.append(line)
        if len(ready) == 2:
            raise KeyboardInterrupt  # as Ctrl-C arrives in the main thread

    with pytest.raises(KeyboardInterrupt):
        generators.run(project, steps, output=interrupt_once_both_are_up)

    pids = [int((project / f"{name}.pid").read_text()) for name in ("a", "b")]
    assert not any(alive(pid) for pid in pids)
