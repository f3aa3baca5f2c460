"""Running a blueprint's generator steps (protoc, oapi-codegen, sqlc, ...) in a project."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

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


def _run_step(
    step: GeneratorStep,
    cwd: Path,
    env: Mapping[str, str],
    output: Callable[[str], None] | None = None,
) -> tuple[int, str]:
    """Run one step in its own process group, killed with everything it started if we are
    interrupted, so nothing keeps writing into a project that is being removed.

    Each line the step prints goes to `output` as it arrives (progress shows the latest,
    --verbose all of them); all of it is returned for the error message."""
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
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if output is not None:
                output(line.rstrip("\n"))
        proc.wait()
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    return proc.returncode, "".join(lines)


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
    for step in steps:
        if reuse is not None and reuse(project, step):
            report.reused.append(step.name)
            continue
        missing = missing_tools(step, env)
        if missing:
            report.skipped[step.name] = missing
            continue
        if progress:
            progress(step.name)
        code, printed = _run_step(step, project, env, output)
        if code != 0:
            tail = printed.strip().splitlines()[-15:]
            raise GeneratorError(
                f"generator step '{step.name}' ({' '.join(step.run)}) failed with exit code {code}",
                hint="\n".join(tail),
            )
        report.ran.append(step.name)
    return report
