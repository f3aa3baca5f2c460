"""RESULTS.md keeps what a partial benchmark run did not measure again.

`benchmarks/run.py --only ...`, `grow.py` and `fleet.py` each rewrite their own sections;
the others stay, marked with the run that measured them, and so do their missed targets.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

OLD = """\
# stackprint benchmark results

Written by `python benchmarks/run.py`. Do not edit by hand: run it again.

## Machine and versions

| | |
|---|---|
| date (UTC) | 2026-11-30 10:00 |

## Method

- old method

## Targets missed

- start-up: stackprint --help: 1,059 ms, target <= 150 ms: MISSED: 909 ms (606%) over
- service go-api: get by id: ratio 0.49, target >= 0.6 ratio: MISSED: 0.11 ratio under
- add resource nextjs-go (5 and 20 resources): add resource with 5 resources: 4.89 s, target <= 3.0 s: MISSED: 1.89 s over

## start-up

| measurement | median |
|---|---|
| stackprint --help | 1,059 |

## service go-api

| measurement | median |
|---|---|
| get by id | 5,963 |

## fleet update (12 projects)

| phase | seconds |
|---|---|
| **total** | **80.0** |

## add resource nextjs-go (5 and 20 resources)

| resources | command | median s |
|---|---|---|
| 5 | add resource | 4.89 |

## Notes

- old note
"""


@pytest.fixture(scope="module")
def bench() -> Iterator[tuple[ModuleType, ModuleType, ModuleType]]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import measure
        import report
        import results_file

        yield measure, report, results_file
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_a_partial_run_keeps_the_other_sections_dated_with_their_missed_targets(
    bench: tuple[ModuleType, ModuleType, ModuleType],
) -> None:
    measure, report, results_file = bench
    rep = measure.Report()
    rep.add(
        measure.Figure("start-up", "stackprint --help", "ms", [120.0], measure.Target("<=", 150))
    )
    kept = results_file.carried(OLD, [name for name, _ in report.sections(rep)])
    text = report.markdown(rep, [("date (UTC)", "2026-12-02 08:00")], "run.py", ["m"], kept)

    headings = [name for name, _ in results_file.split(text) if name]
    assert headings == [
        "Machine and versions",
        "Method",
        "Targets missed",
        "start-up",
        "service go-api",
        "fleet update (12 projects)",
        "add resource nextjs-go (5 and 20 resources)",
    ]
    assert "1,059" not in text  # start-up was measured again: only the new figure
    assert text.count("_Measured by the run of 2026-11-30 10:00; not re-run since._") == 3
    missed = results_file.missed_lines
    assert missed(text, "start-up") == []  # met this time
    assert missed(text, "service go-api") == [
        "- service go-api: get by id: ratio 0.49, target >= 0.6 ratio: MISSED: 0.11 ratio "
        "under (run of 2026-11-30 10:00)"
    ]

    # Carried again by a later run, each section keeps the date of the run that measured it.
    again = results_file.carried(text, ["service go-api"])
    assert [name for name, _ in again.sections] == [
        "start-up",
        "fleet update (12 projects)",
        "add resource nextjs-go (5 and 20 resources)",
    ]
    start_up = dict(again.sections)["start-up"]
    assert "_Measured by the run of 2026-12-02 08:00; not re-run since._" in start_up
    fleet = dict(again.sections)["fleet update (12 projects)"]
    assert fleet.count("_Measured by the run of") == 1 and "2026-11-30 10:00" in fleet
    assert all(line.count("(run of ") == 1 for line in again.missed)


def test_a_script_puts_its_section_in_place_with_its_missed_targets(
    bench: tuple[ModuleType, ModuleType, ModuleType],
) -> None:
    _, _, results_file = bench
    heading = "add resource nextjs-go (5 and 20 resources)"
    block = f"## {heading}\n\n| resources | command | median s |\n|---|---|---|\n| 5 | add resource | 2.10 |"

    text = results_file.put_section(OLD, heading, block, [])

    sections = results_file.split(text)
    assert [name for name, _ in sections] == [name for name, _ in results_file.split(OLD)]
    assert dict(sections)[heading] == block
    assert results_file.missed_lines(text, heading) == []
    assert len(results_file.missed_lines(text, "start-up")) == 1  # the others' stay
    assert dict(sections)["Notes"] == "## Notes\n\n- old note"

    new = results_file.put_section(
        text, "new section", "## new section\n\nbody", ["- new section: x: MISSED"]
    )
    names = [name for name, _ in results_file.split(new)]
    assert names[-2:] == ["new section", "Notes"]  # inserted before the notes
    assert results_file.missed_lines(new, "new section") == ["- new section: x: MISSED"]

    alone = "## Targets missed\n\n- a: MISSED\n\n## a\n\nx\n"
    cleared = results_file.put_section(alone, "a", "## a\n\ny", [])
    assert dict(results_file.split(cleared))["Targets missed"] == "## Targets missed\n\n- none"


def test_a_run_at_other_settings_replaces_the_section_it_measures_again(
    bench: tuple[ModuleType, ModuleType, ModuleType],
) -> None:
    _, _, results_file = bench
    old = OLD.replace("## service go-api", "## service go-api (64 connections, 20 s)").replace(
        "- service go-api:", "- service go-api (64 connections, 20 s):"
    )
    assert "(64 connections, 20 s)" in old

    kept = results_file.carried(old, ["service go-api (64 connections, 10 s)", "start-up"])
    assert [name for name, _ in kept.sections] == [
        "fleet update (12 projects)",
        "add resource nextjs-go (5 and 20 resources)",
    ]
    assert not any("service go-api" in line for line in kept.missed)

    heading, before = (
        "add resource nextjs-go (5 resources)",
        "add resource nextjs-go (5 and 20 resources)",
    )
    assert len(results_file.missed_lines(old, before)) == 1
    text = results_file.put_section(old, heading, f"## {heading}\n\n| a | b |", [])
    names = [name for name, _ in results_file.split(text)]
    assert heading in names and before not in names
    assert results_file.missed_lines(text, before) == []
