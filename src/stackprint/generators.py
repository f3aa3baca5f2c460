"""Running a blueprint's generator steps (protoc, oapi-codegen, sqlc, ...) in a project."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from stackprint import filesystem
from stackprint.errors import GeneratorError

# Re-exported: the template cache still finds its directory here.
from stackprint.paths import cache_dir as cache_dir


@dataclass(frozen=True)
class GeneratorStep:
    """One command a blueprint runs in the rendered project, e.g. `make generate`."""

    name: str
    run: tuple[str, ...]
    requires: tuple[str, ...] = ()
    # Project paths (files or directories) the step reads and writes. When both are given,
    # `update` reuses the previous outputs instead of running the step if no input changed.
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()


# Given the project and a step, supplies the step's outputs without running it, or says no.
Reuse = Callable[[Path, GeneratorStep], bool]


@dataclass
class GeneratorReport:
    ran: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)  # outputs taken from the previous render
    skipped: dict[str, list[str]] = field(default_factory=dict)  # step -> missing tools


def toolchain_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment generator steps run in: the user's own, with GENERATOR_TOOLS_DIR
    (which the blueprints' generator scripts build their tool binaries into, once per
    version) in stackprint's cache unless the user chose a directory. Nothing of
    stackprint goes on PATH: a project generates with exactly what its own `make
    generate` finds (the blueprints fetch their pinned protoc themselves)."""
    env = dict(os.environ if base is None else base)
    env.setdefault("GENERATOR_TOOLS_DIR", str(cache_dir() / "tools"))
    variable = "GENERATOR_TOOLS_DIR" if "GENERATOR_TOOLS_DIR" in os.environ else "XDG_CACHE_HOME"
    filesystem.make_cache_dir(Path(env["GENERATOR_TOOLS_DIR"]), variable)
    return env


def missing_tools(step: GeneratorStep, env: Mapping[str, str]) -> list[str]:
    return [tool for tool in step.requires if shutil.which(tool, path=env.get("PATH")) is None]


def independent(a: GeneratorStep, b: GeneratorStep) -> bool:
    """Whether two steps may run at the same time: both declare what they read and write,
    and neither writes a path the other reads or writes."""
    if not (a.inputs and a.outputs and b.inputs and b.outputs):
        return False
    return not (_overlap(a.outputs, (*b.inputs, *b.outputs)) or _overlap(b.outputs, a.inputs))


def _overlap(these: tuple[str, ...], those: tuple[str, ...]) -> bool:
    """Whether a path of `these` is, holds or lies in a path of `those`."""
    ours = [PurePosixPath(p) for p in these]
    theirs = [PurePosixPath(p) for p in those]
    return any(a == b or a in b.parents or b in a.parents for a in ours for b in theirs)


def waves(steps: list[GeneratorStep]) -> list[list[GeneratorStep]]:
    """The steps in order, consecutive independent ones grouped to run together."""
    grouped: list[list[GeneratorStep]] = []
    for step in steps:
        if grouped and all(independent(step, other) for other in grouped[-1]):
            grouped[-1].append(step)
        else:
            grouped.append([step])
    return grouped


def _pump(stream: IO[str], index: int, lines: queue.SimpleQueue[tuple[int, str | None]]) -> None:
    """Forward each line of one step's output, then None when it ends."""
    try:
        for line in stream:
            lines.put((index, line))
    finally:
        stream.close()
        lines.put((index, None))


def _run_steps(
    steps: list[GeneratorStep],
    cwd: Path,
    env: Mapping[str, str],
    output: Callable[[str], None] | None = None,
) -> None:
    """Run the steps at the same time, each in its own process group; raise GeneratorError
    for the first that fails. Whether one fails or we are interrupted, the others are
    killed with everything they started, so nothing keeps writing into a project that is
    being removed.

    Each line a step prints goes to `output` as it arrives (progress shows the latest,
    --verbose all of them), from this thread; a failing step's tail is the error's hint."""
    lines: queue.SimpleQueue[tuple[int, str | None]] = queue.SimpleQueue()
    procs: list[subprocess.Popen[str]] = []
    printed: list[list[str]] = [[] for _ in steps]
    try:
        for index, step in enumerate(steps):
            proc = subprocess.Popen(
                step.run,
                cwd=cwd,
                env=dict(env),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                start_new_session=True,
            )
            procs.append(proc)
            assert proc.stdout is not None
            # One reader per pipe, so a chatty step never blocks on a full pipe while we
            # wait on another; this thread alone calls `output` and waits.
            threading.Thread(target=_pump, args=(proc.stdout, index, lines), daemon=True).start()
        running = len(steps)
        while running:
            index, line = lines.get()
            if line is not None:
                printed[index].append(line)
                if output is not None:
                    output(line.rstrip("\n"))
                continue
            running -= 1
            code = procs[index].wait()
            if code != 0:
                step = steps[index]
                tail = "".join(printed[index]).strip().splitlines()[-15:]
                raise GeneratorError(
                    f"generator step '{step.name}' ({' '.join(step.run)}) failed with exit "
                    f"code {code}",
                    hint="\n".join(tail),
                )
    except BaseException:
        for proc in procs:
            if proc.returncode is None:  # not reaped yet, so its group id is still its own
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
        for proc in procs:
            proc.wait()
        raise


def run(
    project: Path,
    steps: list[GeneratorStep],
    *,
    progress: Callable[[str], None] | None = None,
    reuse: Reuse | None = None,
    output: Callable[[str], None] | None = None,
) -> GeneratorReport:
    """Run each step in `project`; a step whose tools are missing is skipped and reported.

    `reuse(project, step)` may supply a step's outputs instead (see `stackprint.reuse`);
    such a step needs none of its tools.
    """
    report = GeneratorReport()
    if not steps:
        return report
    env = toolchain_env()
    # Steps that declare disjoint inputs and outputs (nextjs-go's Go and TypeScript steps)
    # run at the same time; any other step waits for those before it.
    for wave in waves(steps):
        starting = []
        for step in wave:
            if reuse is not None and reuse(project, step):
                report.reused.append(step.name)
                continue
            missing = missing_tools(step, env)
            if missing:
                report.skipped[step.name] = missing
                continue
            starting.append(step)
        if not starting:
            continue
        if progress:
            progress(" and ".join(step.name for step in starting))
        _run_steps(starting, project, env, output)
        report.ran.extend(step.name for step in starting)
    return report
