"""The printed table and RESULTS.md, both from one Report."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from measure import Figure, Report, fmt
from results_file import Carried

HEADER = ("measurement", "median", "min", "max", "runs", "unit", "target", "result")


def row(figure: Figure) -> tuple[str, ...]:
    name = f"{figure.name} ({figure.note})" if figure.note else figure.name
    return (
        name,
        fmt(figure.median),
        fmt(min(figure.samples)),
        fmt(max(figure.samples)),
        str(len(figure.samples)),
        figure.unit,
        str(figure.target) if figure.target else "",
        figure.verdict,
    )


def sections(report: Report) -> list[tuple[str, list[Figure]]]:
    return [(name, list(items)) for name, items in groupby(report.figures, lambda f: f.section)]


def text_table(report: Report) -> str:
    """A plain table for the terminal, one block per section."""
    rows = [row(f) for f in report.figures]
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    lines = []
    for name, figures in sections(report):
        lines.append(f"\n{name}")
        lines.append("  " + "  ".join(h.ljust(w) for h, w in zip(HEADER, widths, strict=True)))
        for figure in figures:
            cells = row(figure)
            lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    for what, why in report.not_measured:
        lines.append(f"\nnot measured: {what}: {why}")
    return "\n".join(lines).rstrip() + "\n"


def markdown_table(figures: Sequence[Figure]) -> list[str]:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for figure in figures:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row(figure)) + " |")
    return lines


def markdown(
    report: Report,
    machine: Sequence[tuple[str, str]],
    command: str,
    method: Sequence[str],
    carried: Carried | None = None,
) -> str:
    """RESULTS.md: where and how it was measured, then each section's table, then the
    sections `carried` over from the file this run replaces (measured by earlier runs)."""
    carried = carried or Carried()
    lines = [
        "# stackprint benchmark results",
        "",
        f"Written by `{command}`. Do not edit by hand: run it again.",
        "",
        "## Machine and versions",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in machine),
        "",
        "## Method",
        "",
        *(f"- {m}" for m in method),
        "",
    ]
    missed = [f for f in report.figures if f.target and not f.target.met(f.median)]
    lines += ["## Targets missed", ""]
    lines += [
        f"- {f.section}: {f.name}: {fmt(f.median)} {f.unit}, target {f.target} "
        f"{f.unit}: {f.verdict}"
        for f in missed
    ]
    lines += carried.missed
    if not missed and not carried.missed:
        lines.append("- none")
    lines.append("")
    for name, figures in sections(report):
        lines += [f"## {name}", "", *markdown_table(figures), ""]
    for _, block in carried.sections:
        lines += [block, ""]
    if report.not_measured:
        lines += ["## Not measured", ""]
        lines += [f"- **{what}**: {why}" for what, why in report.not_measured]
        lines.append("")
    if report.notes:
        lines += ["## Notes", ""]
        lines += [f"- {note}" for note in report.notes]
        lines.append("")
    return "\n".join(lines)
