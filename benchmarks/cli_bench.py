"""stackprint itself: start-up, `new` (render only and everything on), `update`, memory."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from measure import (
    BenchError,
    Case,
    Figure,
    Report,
    Sample,
    Target,
    cpu_ms,
    interleave,
    ms,
    paired_ratios,
    peak_mb,
    remove,
    run,
    run_timed,
    seconds,
    self_mb,
)

BLUEPRINTS = ("go-api", "nextjs-go")
SPECIFY_VERSION = "1.2.3"  # spec-kit's CLI on PyPI; bundles its templates, so it works offline
HEAVY_MODULES = ("copier", "questionary", "git", "pydantic", "jinja2", "yaml")
# The line `update` is given to merge: one line added to the blueprint's README template.
CHANGED_FILE = "template/README.md.jinja"
CHANGED_LINE = "<!-- benchmark: a one-line blueprint change -->\n"


@dataclass
class Tools:
    """The commands compared, found beside the running interpreter (the README's venv)."""

    python: Path
    stackprint: Path
    copier: Path
    specify: Path | None
    repo: Path
    work: Path  # benchmarks/.work: installed tools, caches, logs
    scratch: Path  # generated projects, outside any git repository (as a user's would be)
    runs: int
    warmup: int
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    update_via_library: bool = False

    def blueprint_dir(self, name: str) -> Path:
        return self.repo / "blueprints" / name


def console_script(name: str) -> Path:
    """The venv's own script (not a pyenv or PATH shim, whose start-up is not ours)."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return beside
    found = shutil.which(name)
    if found is None:
        raise BenchError(f"{name} is not installed: run the README's install step first")
    return Path(found)


def find_specify(work: Path) -> tuple[Path | None, str]:
    """spec-kit's `specify`: from PATH, else installed once into a throwaway venv."""
    found = shutil.which("specify")
    if found:
        return Path(found), ""
    venv = work / "specify-venv"
    script = venv / "bin" / "specify"
    if not script.is_file():
        try:
            run([sys.executable, "-m", "venv", str(venv)])
            run([str(venv / "bin" / "pip"), "install", "-q", f"specify-cli=={SPECIFY_VERSION}"])
        except BenchError as exc:
            return None, f"`pip install specify-cli=={SPECIFY_VERSION}` failed: {exc}"
    return script, ""


# --- start-up ---------------------------------------------------------------------------


def startup(tools: Tools, report: Report) -> None:
    """`--version` and `--help` against the bare interpreter's start-up, side by side."""
    section = "start-up"
    sp = str(tools.stackprint)
    cases = [
        Case("python -c pass", lambda _d: [str(tools.python), "-c", "pass"]),
        Case("stackprint --version", lambda _d: [sp, "--version"]),
        Case("stackprint --help", lambda _d: [sp, "--help"]),
    ]
    scratch = tools.scratch / "startup"
    scratch.mkdir(parents=True, exist_ok=True)
    # Start-up runs are cheap, so they get three times as many.
    interleave(cases, scratch, runs=3 * tools.runs, warmup=tools.warmup)
    report.add(
        Figure(section, "python -c pass (the interpreter alone)", "ms", ms(cases[0].samples))
    )
    for case in cases[1:]:
        report.add(Figure(section, case.name, "ms", ms(case.samples), Target("<=", 150)))
        report.add(
            Figure(
                section,
                f"{case.name}: CPU time (user + sys)",
                "ms",
                cpu_ms(case.samples),
                note="less sensitive to other load",
            )
        )
    report.notes.append(import_note(tools))


def import_note(tools: Tools) -> str:
    """Which heavy modules `stackprint --version` imports, and the largest imports it makes."""
    proc = subprocess.run(
        [str(tools.python), "-X", "importtime", str(tools.stackprint), "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    cumulative: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(2)) <= 3:  # top-level and first-level imports only
            cumulative[m.group(3)] = int(m.group(1))
    on_path = [m for m in HEAVY_MODULES if m in cumulative]
    top = sorted(cumulative.items(), key=lambda kv: -kv[1])[:5]
    listed = ", ".join(f"{name} {us / 1000:.0f} ms" for name, us in top)
    heavy = ", ".join(on_path) if on_path else "none"
    return (
        f"`python -X importtime stackprint --version` (one run): heavy modules on the start-up "
        f"path ({', '.join(HEAVY_MODULES)}): {heavy}. Largest imports: {listed}."
    )


# --- new, render only ---------------------------------------------------------------------


def new_argv(tools: Tools, blueprint: str, dest: Path, *flags: str) -> list[str]:
    """`stackprint new` of `blueprint` with its defaults, quietly, plus `flags`."""
    command = [str(tools.stackprint), "new", str(dest), "--blueprint", blueprint]
    return [*command, "--defaults", "--quiet", *flags]


def render_argv(tools: Tools, blueprint: str, dest: Path) -> list[str]:
    """Rendering only: no git, no generator steps."""
    return new_argv(tools, blueprint, dest, "--no-git", "--no-generate")


def render_cases(tools: Tools, blueprint: str) -> list[Case]:
    path = str(tools.blueprint_dir(blueprint))
    cases = [
        Case("stackprint new --no-git --no-generate", lambda d: render_argv(tools, blueprint, d)),
        Case(
            "copier copy --defaults",
            lambda d: [
                str(tools.copier),
                "copy",
                "--defaults",
                "--quiet",
                # The blueprints load stackprint's resource extension (_jinja_extensions).
                "--trust",
                "--data",
                f"project_name={d.name}",
                path,
                str(d),
            ],
        ),
    ]
    if tools.specify is not None:
        specify = str(tools.specify)
        cases.append(
            Case(
                "specify init (spec-kit)",
                lambda d: [
                    specify,
                    "init",
                    str(d),
                    "--non-interactive",
                    "--ignore-agent-tools",
                    "--script",
                    "sh",
                    "--integration",
                    "claude",
                ],
                env={**tools.env, "NO_COLOR": "1", "TERM": "dumb"},
            )
        )
    return cases


def cold_cache_case(tools: Tools, blueprint: str) -> Case:
    """stackprint's render with an empty compiled-template cache, as on a machine's first run."""
    return Case(
        "stackprint new, empty template cache (a machine's first run)",
        lambda d: ["env", f"XDG_CACHE_HOME={d}.cache", *render_argv(tools, blueprint, d)],
    )


def new_render(tools: Tools, report: Report, blueprints: tuple[str, ...] = BLUEPRINTS) -> None:
    """Rendering alone, beside plain Copier on the same directory and spec-kit's init."""
    for blueprint in blueprints:
        section = f"new {blueprint}, render only"
        cases = render_cases(tools, blueprint)
        scratch = tools.scratch / "render" / blueprint
        scratch.mkdir(parents=True, exist_ok=True)
        interleave(cases, scratch, runs=tools.runs, warmup=tools.warmup)
        ours, copier = cases[0], cases[1]
        # Timed after the paired rounds, which stay stackprint / copier / specify.
        cold = cold_cache_case(tools, blueprint)
        interleave([cold], scratch, runs=tools.runs, warmup=0)
        limit = Target("<", 1000) if blueprint == "nextjs-go" else None
        for case in [*cases, cold]:
            report.add(
                Figure(section, case.name, "ms", ms(case.samples), limit if case is ours else None)
            )
        report.add(
            Figure(
                section,
                "stackprint / copier (paired runs)",
                "ratio",
                paired_ratios(ms(ours.samples), ms(copier.samples)),
                Target("<=", 1.0),
            )
        )
        if len(cases) > 2:
            report.add(
                Figure(
                    section,
                    "stackprint / specify init (paired runs)",
                    "ratio",
                    paired_ratios(ms(ours.samples), ms(cases[2].samples)),
                )
            )
        report.add(
            Figure(
                section,
                "stackprint new: peak memory",
                "MB",
                peak_mb(ours.samples),
                Target("<", 150),
            )
        )


# --- new, render only, by resource count ---------------------------------------------------

RESOURCE_COUNTS = (1, 5, 20)
# Distinct real names (none reserved in Go, TypeScript or SQL); each after the first refers
# to the first, so references and their filters are rendered too.
RESOURCE_NAMES = (
    "customer", "invoice", "product", "purchase", "supplier", "warehouse", "shipment",
    "payment", "refund", "coupon", "category", "review", "address", "contact", "employee",
    "project", "ticket", "remark", "label", "report",
)  # fmt: skip
RESOURCE_FIELDS = "name:string,notes:text?,quantity:int,amount:float,active:bool,due_on:date"


def resource_flags(count: int) -> list[str]:
    """`--resource` flags for the first `count` of RESOURCE_NAMES, every field type's kind."""
    flags = []
    for index, name in enumerate(RESOURCE_NAMES[:count]):
        ref = f",{RESOURCE_NAMES[0]}:ref({RESOURCE_NAMES[0]})" if index else ""
        flags += ["--resource", f"{name}={RESOURCE_FIELDS}{ref}"]
    return flags


def new_by_resources(
    tools: Tools, report: Report, blueprints: tuple[str, ...] = BLUEPRINTS
) -> None:
    """Rendering with 1, 5 and 20 resources, in turn, and what each resource adds."""
    for blueprint in blueprints:
        section = f"new {blueprint}, render only, by number of resources"
        cases = [
            Case(
                f"{n} resource{'s' if n > 1 else ''}",
                lambda d, n=n, b=blueprint: [*render_argv(tools, b, d), *resource_flags(n)],
            )
            for n in RESOURCE_COUNTS
        ]
        scratch = tools.scratch / "by-resources" / blueprint
        scratch.mkdir(parents=True, exist_ok=True)
        interleave(cases, scratch, runs=tools.runs, warmup=tools.warmup)
        times = [ms(case.samples) for case in cases]
        for case, samples in zip(cases, times, strict=True):
            report.add(Figure(section, case.name, "ms", samples))
        first, last = RESOURCE_COUNTS[0], RESOURCE_COUNTS[-1]
        report.add(
            Figure(
                section,
                f"growth per resource, ({last} - {first}) / {last - first} (paired runs)",
                "ms",
                [(b - a) / (last - first) for a, b in zip(times[0], times[-1], strict=True)],
            )
        )
        report.add(
            Figure(
                section,
                f"{last} resources / {first} resource (paired runs)",
                "ratio",
                paired_ratios(times[-1], times[0]),
            )
        )
        report.add(
            Figure(section, f"{last} resources: peak memory", "MB", peak_mb(cases[-1].samples))
        )


# --- new, everything on; update -----------------------------------------------------------


def cold_env(tools: Tools, name: str) -> tuple[dict[str, str], Path]:
    """Fresh Go, npm and stackprint caches, so the first run pays every one-time cost a new
    machine would."""
    root = tools.work / "caches" / name
    clear_caches(root, tools.env)
    env = {
        **tools.env,
        "GOCACHE": str(root / "go-build"),
        "GOMODCACHE": str(root / "go-mod"),
        "npm_config_cache": str(root / "npm"),
        # stackprint's own caches: generator binaries and compiled templates.
        "GENERATOR_TOOLS_DIR": str(root / "tools"),
        "XDG_CACHE_HOME": str(root / "xdg-cache"),
        "GOFLAGS": "-modcacherw",  # so the caches can be removed afterwards
    }
    return env, root


def clear_caches(root: Path, env: dict[str, str]) -> None:
    if (root / "go-mod").exists():
        subprocess.run(
            ["go", "clean", "-modcache"],
            env={**env, "GOMODCACHE": str(root / "go-mod")},
            check=False,
            capture_output=True,
        )
    remove(root)


class Phases:
    """Seconds between stackprint's progress lines: rendering, each generator step, the spec
    documents, git."""

    # The lines `--verbose` prints in a pipe (without it a pipe gets no progress).
    PATTERN = re.compile(
        r"\s*((?:rendering|generating|writing spec documents|committing)\b.*?) \.\.\.$"
    )

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []

    def line(self, text: str) -> None:
        m = self.PATTERN.match(text)
        if m:
            phase = m.group(1)
            if phase.startswith("rendering"):
                phase = "rendering"
            self.marks.append((phase, time.perf_counter()))

    def durations(self, end: float) -> dict[str, float]:
        times = [t for _, t in self.marks] + [end]
        out: dict[str, float] = {}
        for (phase, start), stop in zip(self.marks, times[1:], strict=True):
            out[phase] = out.get(phase, 0.0) + stop - start
        return out


def new_full_once(
    tools: Tools, blueprint: str, dest: Path, env: dict[str, str], extra: list[str]
) -> tuple[Sample, dict[str, float]]:
    phases = Phases()
    remove(dest)
    sample = run_timed(
        [
            str(tools.stackprint),
            *("new", str(dest), "--blueprint", blueprint, "--defaults", "--verbose", *extra),
        ],
        env=env,
        log=dest.parent / f"{dest.name}.log",
        on_line=phases.line,
        watch_self=True,
    )
    return sample, phases.durations(time.perf_counter())


def add_full_figures(
    report: Report, section: str, first: Sample, warm: list[Sample], phases: list[dict[str, float]]
) -> None:
    report.add(Figure(section, "first run (empty Go and npm caches)", "s", [first.wall_s]))
    report.add(Figure(section, "warm runs", "s", seconds(warm)))
    report.add(Figure(section, "warm / first", "ratio", [s.wall_s / first.wall_s for s in warm]))
    for phase in phases[0]:
        values = [p.get(phase, 0.0) for p in phases]
        report.add(Figure(section, f"warm runs: {phase}", "s", values))
    own = self_mb(warm)
    report.add(Figure(section, "stackprint process: peak memory", "MB", own, Target("<", 150)))
    tree = peak_mb(warm)
    note = "the largest process it runs: go, npm or node"
    report.add(Figure(section, "peak memory of the whole tree", "MB", tree, note=note))


def new_full(tools: Tools, report: Report) -> None:
    """go-api with git and generators: the first run on empty caches, then warm runs."""
    blueprint = "go-api"
    env, caches = cold_env(tools, blueprint)
    scratch = tools.scratch / "full" / blueprint
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        first, _ = new_full_once(tools, blueprint, scratch / "first", env, [])
        warm, phases = [], []
        for i in range(tools.runs):  # the first run was the warm-up
            sample, durations = new_full_once(tools, blueprint, scratch / f"run{i}", env, [])
            remove(scratch / f"run{i}")
            warm.append(sample)
            phases.append(durations)
        add_full_figures(report, f"new {blueprint}, everything on", first, warm, phases)
    finally:
        remove(scratch / "first")
        clear_caches(caches, tools.env)


def blueprint_copy(tools: Tools, name: str) -> Path:
    """A copy of a blueprint to change a line in; the real one is never touched."""
    copy = tools.scratch / "blueprint-copies" / name
    remove(copy)
    shutil.copytree(tools.blueprint_dir(name), copy)
    return copy


def one_line_change(blueprint: Path) -> Callable[[], None]:
    """Add one line to the copy's README template; returns the undo."""
    target = blueprint / CHANGED_FILE
    original = target.read_text(encoding="utf-8")
    first, rest = original.split("\n", 1)
    target.write_text(f"{first}\n{CHANGED_LINE}{rest}", encoding="utf-8")

    def undo() -> None:
        target.write_text(original, encoding="utf-8")

    return undo


# `stackprint update --trust` in the same process shape, through the library, for when the
# CLI does not pass --trust on (stackprint 0.1.0's cli/update.py does not).
UPDATE_VIA_LIBRARY = (
    "import sys; from pathlib import Path; from stackprint.updater import update; "
    "sys.exit(1 if update(Path(sys.argv[1]), trust=True).conflicts else 0)"
)
TRUST_REFUSED = "refusing without --trust"


def update_once(tools: Tools, project: Path, env: dict[str, str], report: Report) -> Sample:
    """`stackprint update --trust PROJECT`, or the library call when the CLI refuses it."""
    log = project.parent / f"{project.name}-update.log"
    if not tools.update_via_library:
        try:
            return run_timed(
                [str(tools.stackprint), "update", str(project), "--trust"],
                env=env,
                log=log,
                watch_self=True,
            )
        except BenchError as exc:
            if TRUST_REFUSED not in str(exc):
                raise
            tools.update_via_library = True
            report.notes.append(
                "`stackprint update PROJECT --trust` refused the path blueprint (`"
                + str(exc).strip().splitlines()[-1]
                + "`): the --trust flag is not passed on to the library, so update was timed "
                "as `python -c 'stackprint.updater.update(path, trust=True)'`, a whole process "
                "running the same code as the command."
            )
    argv = [str(tools.python), "-c", UPDATE_VIA_LIBRARY, str(project)]
    return run_timed(argv, env=env, log=log, watch_self=True)


def check_updated(project: Path) -> None:
    text = (project / "README.md").read_text(encoding="utf-8")
    if CHANGED_LINE.strip() not in text:
        raise BenchError(f"update did not bring the one-line change into {project}/README.md")


def new_then_update(
    tools: Tools, blueprint: Path, project: Path, env: dict[str, str], report: Report
) -> tuple[Sample, dict[str, float], Sample]:
    """One round: `new` of the project, then `update` after a one-line blueprint change."""
    sample, durations = new_full_once(tools, str(blueprint), project, env, ["--trust"])
    undo = one_line_change(blueprint)
    try:
        updated = update_once(tools, project, env, report)
    finally:
        undo()
    check_updated(project)
    remove(project)
    return sample, durations, updated


def new_and_update(tools: Tools, report: Report) -> None:
    """nextjs-go: `new` with everything on (first and warm), and `update` after a one-line
    change, side by side on each generated project.

    The blueprint is a copy (from a path, hence --trust) so that a line can change in it.
    """
    blueprint = blueprint_copy(tools, "nextjs-go")
    env, caches = cold_env(tools, "nextjs-go")
    scratch = tools.scratch / "full" / "nextjs-go"
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        first, _ = new_full_once(tools, str(blueprint), scratch / "first", env, ["--trust"])
        remove(scratch / "first")
        rounds = [  # the first (cold) run was the warm-up
            new_then_update(tools, blueprint, scratch / f"run{i}", env, report)
            for i in range(tools.runs)
        ]
    finally:
        clear_caches(caches, tools.env)
    news = [r[0] for r in rounds]
    updates = [r[2] for r in rounds]
    add_full_figures(report, "new nextjs-go, everything on", first, news, [r[1] for r in rounds])
    section = "update nextjs-go after a one-line blueprint change"
    report.add(Figure(section, "stackprint update", "s", seconds(updates), Target("<", 1.5)))
    report.add(
        Figure(section, "stackprint new of the same project (same runs)", "s", seconds(news))
    )
    ratios = paired_ratios(seconds(updates), seconds(news))
    report.add(Figure(section, "update / new (paired runs)", "ratio", ratios))
    report.add(Figure(section, "update: stackprint process peak memory", "MB", self_mb(updates)))
    peaks = peak_mb(updates)
    note = "the largest process it runs: go, npm or node"
    report.add(Figure(section, "update: peak memory of the whole tree", "MB", peaks, note=note))
