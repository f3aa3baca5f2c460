"""`stackprint add resource` on nextjs-go projects with 5 and 20 resources, beside `update`.

    python benchmarks/grow.py                                   # print the times
    python benchmarks/grow.py --results benchmarks/RESULTS.md   # also write its section

Each project is generated with everything on (generators included), so the Go module and
npm caches and the generator tools are warm. Each run then starts from the generated
commit: `add resource` (spec-kit feature and its branch included, as a user runs it) and,
for comparison, `update --data project_description=...` (a changed answer: a render, the
generator steps whose inputs did not change reused, a merge). The first run of each is a
warm-up and is not counted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import results_file

HERE = Path(__file__).resolve().parent
STACKPRINT = str(Path(sys.executable).with_name("stackprint"))
SECTION = "## add resource nextjs-go (5 and 20 resources)"
TARGET_S = 3.0
NAMES = (
    *("customer", "product", "supplier", "warehouse", "shipment", "invoice", "payment"),
    *("refund", "coupon", "category", "review", "address", "carrier", "employee"),
    *("department", "project", "task", "ticket", "comment", "badge"),
)
ADDED = "note=title:string,body:text?,pinned:bool"


def run(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True)
    return time.perf_counter() - start


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def generate(root: Path, count: int) -> Path:
    project = root / f"shop{count}"
    flags = []
    for name in NAMES[:count]:
        flags += ["--resource", f"{name}=name:string,amount:float?,active:bool"]
    run([STACKPRINT, "new", str(project), "-b", "nextjs-go", "--defaults", "-q", *flags], root)
    return project


def reset(project: Path, start: str) -> None:
    git(project, "switch", "-q", "--force", "main")
    git(project, "reset", "-q", "--hard", start)
    for branch in git(project, "branch", "--format=%(refname:short)").split():
        if branch != "main":
            git(project, "branch", "-q", "-D", branch)


def measure(project: Path, runs: int) -> dict[str, list[float]]:
    start = git(project, "rev-parse", "HEAD")
    times: dict[str, list[float]] = {"add resource": [], "update": []}
    for i in range(runs + 1):
        reset(project, start)
        added = run([STACKPRINT, "add", "resource", ADDED, "-q"], project)
        reset(project, start)
        description = f"A shop, benchmark run {i}"
        updated = run(
            [STACKPRINT, "update", "-q", "--data", f"project_description={description}"], project
        )
        if i:  # the first run warms up
            times["add resource"].append(added)
            times["update"].append(updated)
    reset(project, start)
    return times


def section(
    results: dict[int, dict[str, list[float]]], runs: int, load: tuple[float, float]
) -> list[str]:
    lines = [
        SECTION,
        "",
        "`python benchmarks/grow.py`: nextjs-go projects generated with everything on, so",
        "every cache is warm; each run starts from the generated commit. `add resource`",
        "adds a three-field resource with its spec-kit feature and branch; `update` changes",
        "one answer, `project_description`, which the OpenAPI contract carries, so both",
        "commands run both generator steps (Go and TypeScript) before their merge.",
        f"{runs} runs after a warm-up; target for `add resource`: <= {TARGET_S:.0f} s.",
        f"Load average (1 min) at the start and the end: {load[0]:.1f} and {load[1]:.1f}, "
        f"on {os.cpu_count()} cores.",
        "",
        "| resources | command | median s | min s | max s | target | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for count, times in results.items():
        for command, values in times.items():
            median = statistics.median(values)
            target, verdict = "", ""
            if command == "add resource":
                target = f"<= {TARGET_S:.1f}"
                verdict = "met" if median <= TARGET_S else "missed"
            lines.append(
                f"| {count} | {command} | {median:.2f} | {min(values):.2f} | "
                f"{max(values):.2f} | {target} | {verdict} |"
            )
    return [*lines, ""]


def missed(results: dict[int, dict[str, list[float]]]) -> list[str]:
    """The lines of 'Targets missed' for the sizes whose `add resource` is over target."""
    lines = []
    for count, times in results.items():
        median = statistics.median(times["add resource"])
        if median > TARGET_S:
            lines.append(
                f"- {SECTION[3:]}: add resource with {count} resources: {median:.2f} s, "
                f"target <= {TARGET_S:.1f} s: MISSED: {median - TARGET_S:.2f} s over"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, help="write the section into this file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 20])
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="stackprint-grow-"))
    start_load = os.getloadavg()[0]
    try:
        results = {count: measure(generate(root, count), args.runs) for count in args.sizes}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    lines = section(results, args.runs, (start_load, os.getloadavg()[0]))
    print("\n".join(lines))
    if args.results:
        text = args.results.read_text(encoding="utf-8")
        block = "\n".join(lines)
        text = results_file.put_section(text, SECTION[3:], block, missed(results))
        args.results.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
