"""Timing whole processes, and the figures every section reports (median, min, max)."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class BenchError(RuntimeError):
    """A command the benchmark relies on failed; the message says which and why."""


@dataclass(frozen=True)
class Sample:
    """One finished process: wall time, CPU time and peak memory of it and its children."""

    wall_s: float
    cpu_s: float
    maxrss_mb: float  # the largest process of the tree (rusage of the waited-for children)
    self_mb: float = 0.0  # the process itself, when watched (its VmHWM, polled)


class PeakWatcher:
    """Polls a process's VmHWM (its own peak resident memory) until it exits.

    rusage only gives the largest process of a tree; this tells the command itself apart
    from the toolchains it runs. VmHWM only grows, so the last reading is the peak, short
    of whatever it allocates in its last few milliseconds.
    """

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.path = Path(f"/proc/{pid}/status")
        self.interval = interval
        self.peak_kb = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._done.is_set():
            try:
                for line in self.path.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            except OSError:
                return
            self._done.wait(self.interval)

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak_kb / 1024


@dataclass(frozen=True)
class Target:
    """A goal such as `<= 150 ms` or `>= 5000 req/s`."""

    op: str  # "<" (under), "<=" (at most) or ">=" (at least)
    value: float

    def met(self, figure: float) -> bool:
        if self.op == "<":
            return figure < self.value
        return figure <= self.value if self.op == "<=" else figure >= self.value

    def miss(self, figure: float, unit: str) -> str:
        """How far `figure` is from the target, e.g. '136 ms (91%) over', or '' when met."""
        if self.met(figure):
            return ""
        gap = abs(figure - self.value)
        pct = f" ({gap / self.value * 100:.0f}%)" if self.value else ""
        word = "under" if self.op == ">=" else "over"
        return f"{_fmt(gap)} {unit}{pct} {word}".replace("  ", " ")

    def __str__(self) -> str:
        return f"{self.op} {_fmt(self.value)}"


@dataclass
class Figure:
    """One reported line: samples of one measurement, in one unit, maybe with a target."""

    section: str
    name: str
    unit: str
    samples: list[float]
    target: Target | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        miss = self.target.miss(self.median, self.unit)
        return f"MISSED: {miss}" if miss else "met"


@dataclass
class Report:
    """Everything a run measured, plus what could not be measured and why."""

    figures: list[Figure] = field(default_factory=list)
    not_measured: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    notes: list[str] = field(default_factory=list)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    def skip(self, what: str, why: str) -> None:
        self.not_measured.append((what, why))


def _fmt(value: float) -> str:
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


fmt = _fmt


def run_timed(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
    on_line: Callable[[str], None] | None = None,
    watch_self: bool = False,
) -> Sample:
    """Run one process to completion; its rusage covers every child it waited for.

    Output goes to `log` (or nowhere); `on_line` sees stderr lines as they arrive, for
    commands that report progress; `watch_self` polls the process's own peak memory. A
    non-zero exit raises with the output's tail.
    """
    if shutil.which(argv[0]) is None:
        raise BenchError(f"{argv[0]} is not installed")
    out = log.open("w", encoding="utf-8") if log else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.PIPE if on_line else out,
            text=True,
        )
        watcher = PeakWatcher(proc.pid) if watch_self else None
        if on_line and proc.stderr is not None:
            for line in proc.stderr:
                on_line(line.rstrip("\n"))
                if log:
                    out.write(line)  # type: ignore[union-attr]
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        self_mb = watcher.stop() if watcher else 0.0
    finally:
        if log:
            out.close()  # type: ignore[union-attr]
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8")[-1500:] if log else ""
        raise BenchError(f"{' '.join(argv)} exited {proc.returncode}\n{tail}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, self_mb)


def run(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 1800,
) -> str:
    """Run a set-up command (not timed); return stdout, raise with output on failure."""
    try:
        proc = subprocess.run(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        raise BenchError(f"{argv[0]} is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{' '.join(argv)} took longer than {timeout:.0f} s") from exc
    if proc.returncode != 0:
        raise BenchError(
            f"{' '.join(argv)} exited {proc.returncode}\n{(proc.stdout + proc.stderr)[-2000:]}"
        )
    return proc.stdout


@dataclass
class Case:
    """A command timed repeatedly, each run in a fresh destination under `scratch`."""

    name: str
    argv: Callable[[Path], list[str]]  # destination -> command line
    cwd: Path | None = None
    env: Mapping[str, str] | None = None
    samples: list[Sample] = field(default_factory=list)


def interleave(cases: Sequence[Case], scratch: Path, *, runs: int, warmup: int = 1) -> None:
    """Run the cases in turn (A B C A B C ...) so drift on a shared machine hits each alike.

    The first `warmup` rounds are thrown away; each run's destination is removed after it,
    outside the timing.
    """
    for round_no in range(warmup + runs):
        for index, case in enumerate(cases):
            dest = scratch / f"case{index}-run{round_no}"
            remove(dest)
            sample = run_timed(
                case.argv(dest), cwd=case.cwd, env=case.env, log=scratch / f"case{index}.log"
            )
            remove(dest)
            if round_no >= warmup:
                case.samples.append(sample)


def remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def paired_ratios(num: Sequence[float], den: Sequence[float]) -> list[float]:
    """Run-by-run ratios of two interleaved cases (run i of one over run i of the other)."""
    return [a / b for a, b in zip(num, den, strict=True)]


def ms(samples: Sequence[Sample]) -> list[float]:
    return [s.wall_s * 1000 for s in samples]


def cpu_ms(samples: Sequence[Sample]) -> list[float]:
    return [s.cpu_s * 1000 for s in samples]


def seconds(samples: Sequence[Sample]) -> list[float]:
    return [s.wall_s for s in samples]


def peak_mb(samples: Sequence[Sample]) -> list[float]:
    return [s.maxrss_mb for s in samples]


def self_mb(samples: Sequence[Sample]) -> list[float]:
    return [s.self_mb for s in samples]
