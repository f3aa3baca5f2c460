"""Benchmark stackprint and the services it generates; print a table, write RESULTS.md.

    python benchmarks/run.py             # everything (about an hour on 2 cores)
    python benchmarks/run.py --quick     # start-up and one render, one run each
    python benchmarks/run.py --only startup,render --runs 10
    python benchmarks/run.py --only resources   # `new` with 1, 5 and 20 resources

Run it with the interpreter of the venv stackprint is installed in (the README's install
step); copier and spec-kit's `specify` are compared from the same place. Every figure is
the median, min and max of whole-process runs after a warm-up; comparisons are paired runs
taken in turn in the same invocation, because absolute times drift on a shared machine.
Scratch files go to benchmarks/.work/ (git-ignored). With `--only`, the sections of the
RESULTS.md it replaces that were not measured again (those of grow.py and fleet.py too)
are kept, marked with the date of the run that measured them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import cli_bench
import lighthouse
import machine
import report as reporting
import results_file
import services
from measure import BenchError, Report

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SECTIONS = ("startup", "render", "resources", "full", "update", "services", "lighthouse")
METHOD = [
    "Times are wall-clock times of whole processes (start to exit), started from Python with "
    "`subprocess` and reaped with `os.wait4`, whose rusage also gives the peak resident memory "
    "of the largest process in the tree.",
    "Each figure is the median of the runs shown after warm-up runs that are thrown away; min "
    "and max show the spread. Cases compared with each other run in turn (A, B, C, A, B, C, "
    "...), and ratios are run-by-run ratios of those pairs.",
    "stackprint, copier and specify are the console scripts of the running interpreter's "
    "environment (the README's venv), not shell shims. Projects are written to a temporary "
    "directory outside any git work tree, as a user's new project would be (inside one, "
    "Copier runs git for every file it writes). stackprint keeps compiled templates in its "
    "cache: the warm-up run fills it, and the 'empty template cache' line shows a first run.",
    "`new ... everything on` uses fresh, private Go, npm and stackprint caches: its first run "
    "pays what a new machine pays once (module downloads, building generator tools), and it is the "
    "warm-up of the warm runs, which reuse those caches. The phases are the time between "
    "stackprint's own progress lines.",
    "Services: each generated backend is built with its own Makefile, run against PostgreSQL "
    "(and Redis for nextjs-go) in a schema of its own, seeded through its API, then loaded "
    "with wrk (2 threads) alternating with the baseline in benchmarks/baseline/ (net/http + "
    "pgx, running the statements PostgreSQL's log shows the service running) on each "
    "endpoint: get by id, list, update (PUT on the seeded rows) and create alternating with "
    "delete (each thread deletes the rows it created, so the table keeps its size); peak "
    "memory is the service's VmHWM after all its load runs.",
    "Lighthouse runs Debian's chromium headless on the production build (`next start`) of "
    "the generated nextjs-go frontend's list page, backend running with seeded rows; its "
    "default mobile preset (simulated slow 4G and a 4x slower CPU) and its desktop preset "
    "are taken in turn.",
    "`update` is timed on each project the `new nextjs-go` runs generate, right after it, "
    "with one line added to a copy of the blueprint (the real blueprint is never changed).",
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per figure (5)")
    parser.add_argument("--warmup", type=int, default=1, help="runs thrown away first (1)")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections: {', '.join(SECTIONS)}",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: start-up and a go-api render, one run, no warm-up",
    )
    parser.add_argument(
        "--services",
        default="go-api,nextjs-go",
        help="comma-separated generated services to load in the services section (both)",
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run (20)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (64)")
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="where to write the results (benchmarks/RESULTS.md; with "
        "--quick, benchmarks/.work/RESULTS.quick.md)",
    )
    args = parser.parse_args(argv)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if args.quick:
        args.runs, args.warmup, args.only = 1, 0, ["startup", "render"]
    if args.output is None:
        args.output = HERE / ".work" / "RESULTS.quick.md" if args.quick else HERE / "RESULTS.md"
    return args


def make_tools(args: argparse.Namespace, work: Path, scratch: Path, rep: Report) -> cli_bench.Tools:
    specify = None
    if args.quick:
        found = shutil.which("specify")
        specify = Path(found) if found else None
    elif "render" in args.only:
        specify, why = cli_bench.find_specify(work)
        if specify is None:
            rep.skip("specify init (spec-kit)", why)
    return cli_bench.Tools(
        python=Path(sys.executable),
        stackprint=cli_bench.console_script("stackprint"),
        copier=cli_bench.console_script("copier"),
        specify=specify,
        repo=REPO,
        work=work,
        scratch=scratch,
        runs=args.runs,
        warmup=args.warmup,
    )


def versions(tools: cli_bench.Tools) -> dict[str, str]:
    tv = machine.tool_version
    found = {
        "Python": sys.version.split()[0],
        "stackprint": tv([str(tools.stackprint), "--version"]),
        "copier": tv([str(tools.copier), "--version"]),
        "specify-cli (spec-kit)": tv([str(tools.specify), "--version"])
        if tools.specify
        else "not used",
        "git": tv(["git", "--version"]),
        "Go": tv(["go", "version"]),
        "Node.js": tv(["node", "--version"]),
        "npm": tv(["npm", "--version"]),
    }
    return {**found, **services.versions(), **lighthouse.versions()}


def run_sections(args: argparse.Namespace, tools: cli_bench.Tools, rep: Report) -> None:
    """Each section in turn; one that cannot run is recorded as not measured, with why."""
    steps: dict[str, Callable[[], None]] = {
        "startup": lambda: cli_bench.startup(tools, rep),
        "render": lambda: cli_bench.new_render(
            tools, rep, ("go-api",) if args.quick else cli_bench.BLUEPRINTS
        ),
        "resources": lambda: cli_bench.new_by_resources(tools, rep),
        "full": lambda: cli_bench.new_full(tools, rep),
        "update": lambda: cli_bench.new_and_update(tools, rep),
        "services": lambda: services.benchmark(
            tools, rep, args.duration, args.connections, tuple(args.services.split(","))
        ),
        "lighthouse": lambda: lighthouse.benchmark(tools, rep),
    }
    loads = []
    sampler = machine.LoadSampler()
    try:
        for name in args.only:
            print(f"== {name}", file=sys.stderr, flush=True)
            start = os.getloadavg()[0]
            sampler.reset()
            try:
                steps[name]()
            except BenchError as exc:
                rep.skip(name, str(exc).strip().replace("\n", " / ")[:1500])
                print(f"   {name} failed: {exc}", file=sys.stderr, flush=True)
            loads.append(f"{name} {start:.1f} (peak {sampler.reset():.1f})")
    finally:
        sampler.stop()
    rep.notes.append(
        f"Load average (1 min) as each section started (and its peak during it), on "
        f"{os.cpu_count()} cores: "
        + ", ".join(loads)
        + ". Other work on the machine slows wall-clock times; paired ratios and CPU "
        "times are less affected."
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = HERE / ".work"
    work.mkdir(exist_ok=True)
    # Outside the repository: Copier calls git for every file it writes inside a git work
    # tree, which a user's new project is not.
    scratch = Path(tempfile.mkdtemp(prefix="stackprint-bench-"))
    rep = Report()
    try:
        tools = make_tools(args, work, scratch, rep)
        machine_lines = machine.describe(versions(tools))
        run_sections(args, tools, rep)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    machine_lines.append(("load average at end (1/5/15 min)", machine.load_average()))
    command = "python benchmarks/run.py" + (" " + " ".join(argv or sys.argv[1:])).rstrip()
    # Sections this run did not measure stay, marked with the run that did.
    keep = results_file.Carried()
    if args.output.is_file() and not args.quick:
        produced = [name for name, _ in reporting.sections(rep)]
        keep = results_file.carried(args.output.read_text(encoding="utf-8"), produced)
    text = reporting.markdown(rep, machine_lines, command.strip(), METHOD, keep)
    args.output.write_text(text, encoding="utf-8")
    print(reporting.text_table(rep))
    print(f"wrote {os.path.relpath(args.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
