"""RESULTS.md as a list of `## ` sections, so each benchmark script rewrites only its own.

`run.py` writes the whole file, but with `--only` it re-measures some sections: the others
(and the sections of `grow.py` and `fleet.py`) are carried over from the file it replaces,
each marked with the date of the run that measured it, and their missed targets stay
listed. `grow.py` and `fleet.py` put their one section into the file in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Sections about the run itself, which every run writes afresh.
RUN_SECTIONS = ("Machine and versions", "Method", "Targets missed", "Not measured", "Notes")
MISSED = "Targets missed"
_DATE = re.compile(r"^\| date \(UTC\) \| (.+?) \|$", re.MULTILINE)
_CARRIED = re.compile(r"^_Measured by the run of (.+?); not re-run since\._$", re.MULTILINE)
_RUN_OF = re.compile(r" \(run of [^()]+\)$")
_SETTINGS = re.compile(r"\s*\([^()]*\)$")


def split(text: str) -> list[tuple[str, str]]:
    """[(heading, block)] in order; the text before the first section has heading ''.
    Each block is its lines, heading included, without the blank line that ends it."""
    parts = re.split(r"(?m)^(?=## )", text)
    out = []
    for part in parts:
        if not part:
            continue
        heading = part.split("\n", 1)[0][3:].strip() if part.startswith("## ") else ""
        out.append((heading, part.rstrip("\n")))
    return out


def identity(heading: str) -> str:
    """What a section measures, without the settings in its closing parentheses: a run
    at other settings ("64 connections, 10 s") replaces the section, not adds to it."""
    return _SETTINGS.sub("", heading)


def join(sections: Sequence[tuple[str, str]]) -> str:
    return "\n\n".join(block for _, block in sections) + "\n"


def missed_lines(text: str, heading: str) -> list[str]:
    """The lines of 'Targets missed' that belong to the section `heading`."""
    for name, block in split(text):
        if name == MISSED:
            return [line for line in block.splitlines() if line.startswith(f"- {heading}:")]
    return []


def put_section(text: str, heading: str, block: str, missed: Iterable[str] = ()) -> str:
    """`text` with the section `heading` replaced by `block` (or inserted before Notes), and
    that section's lines of 'Targets missed' replaced by `missed`."""
    sections = split(text)
    names = [identity(name) for name, _ in sections]
    replaced = []
    if identity(heading) in names:
        at = names.index(identity(heading))
        replaced.append(sections[at][0])
        sections[at] = (heading, block.rstrip("\n"))
    else:
        at = names.index("Notes") if "Notes" in names else len(sections)
        sections.insert(at, (heading, block.rstrip("\n")))
    missed = list(missed)
    for i, (name, old) in enumerate(sections):
        if name != MISSED:
            continue
        kept = [
            line
            for line in old.splitlines()[1:]
            if line.strip()
            and line != "- none"
            and not any(line.startswith(f"- {name}:") for name in [heading, *replaced])
        ]
        items = kept + missed
        sections[i] = (MISSED, "\n".join([f"## {MISSED}", "", *(items or ["- none"])]))
    return join(sections)


@dataclass
class Carried:
    """What a new run keeps of the RESULTS.md it replaces."""

    sections: list[tuple[str, str]] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


def carried(old: str, produced: Iterable[str]) -> Carried:
    """The sections of `old` that are neither about its run nor measured again (`produced`),
    each marked with the date of the run that measured it, and their missed targets."""
    produced = {identity(name) for name in produced}
    found = _DATE.search(old)
    date = found.group(1) if found else "an earlier run"
    out = Carried()
    for heading, block in split(old):
        if not heading or heading in RUN_SECTIONS or identity(heading) in produced:
            continue
        mark = _CARRIED.search(block)
        when = mark.group(1) if mark else date
        if mark is None:
            head, _, body = block.partition("\n")
            block = f"{head}\n\n_Measured by the run of {when}; not re-run since._\n{body}"
        out.sections.append((heading, block))
        for line in missed_lines(old, heading):
            out.missed.append(line if _RUN_OF.search(line) else f"{line} (run of {when})")
    return out
