"""`stackprint check`: lint the spec documents of a project for CI."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from stackprint.speckit import layout, numbering, placeholders

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from stackprint.speckit.stack import ContextRow

# Finding kinds, in the order a report lists them.
PLACEHOLDER = "placeholder"
CLARIFICATION = "clarification"
MISSING = "missing"
CONTEXT = "context"
KINDS = (PLACEHOLDER, CLARIFICATION, MISSING, CONTEXT)

_ROW = re.compile(r"^\*\*(?P<label>[^*]+)\*\*:\s*(?P<value>.*?)\s*$")


@dataclass(frozen=True)
class Finding:
    """One problem: its kind (see KINDS), the file relative to the project, the 1-based
    line (None when the problem is a missing file) and a one-line message."""

    kind: str
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.kind}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rel(project: Path, path: Path) -> str:
    return path.relative_to(project).as_posix()


def _documents(project: Path) -> list[Path]:
    """The finished documents: the constitution and every file of every feature."""
    docs = []
    constitution = project / layout.CONSTITUTION
    if constitution.is_file():
        docs.append(constitution)
    for feature in numbering.feature_dirs(project):
        docs.extend(sorted(p for p in feature.rglob("*.md") if p.is_file()))
    return docs


def _lint_text(project: Path, path: Path) -> list[Finding]:
    text = path.read_text(encoding="utf-8", errors="replace")
    rel = _rel(project, path)
    out = [
        Finding(PLACEHOLDER, rel, m.line, f"unresolved template placeholder {m.text}")
        for m in placeholders.placeholders(text)
    ]
    out += [
        Finding(CLARIFICATION, rel, m.line, f"open NEEDS CLARIFICATION: {m.text}")
        for m in placeholders.clarifications(text)
    ]
    return out


def _missing(project: Path) -> list[Finding]:
    out = []
    if not (project / layout.CONSTITUTION).is_file():
        out.append(Finding(MISSING, layout.CONSTITUTION, None, "the project has no constitution"))
    for feature in numbering.feature_dirs(project):
        # spec.md and plan.md make a feature; once tasks exist, planning is over and its
        # Phase 0/1 outputs must be there too.
        required = list(layout.FEATURE_CORE)
        if (feature / "tasks.md").exists():
            required += list(layout.FEATURE_DESIGN)
        for name in required:
            if not (feature / name).exists():
                out.append(
                    Finding(
                        MISSING,
                        f"{_rel(project, feature)}/{name}",
                        None,
                        f"feature {feature.name} has no {name}",
                    )
                )
    pointer = layout.read_feature_pointer(project)
    if pointer is not None and not (project / pointer).is_dir():
        out.append(
            Finding(
                MISSING, layout.FEATURE_JSON, None, f"feature_directory {pointer} does not exist"
            )
        )
    return out


def parse_context(text: str) -> dict[str, tuple[int, str]]:
    """`label -> (line, value)` for the `**Label**: value` rows of the Technical Context."""
    rows: dict[str, tuple[int, str]] = {}
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("## "):
            inside = line.strip() == "## Technical Context"
            continue
        match = _ROW.match(line.strip()) if inside else None
        if match:
            rows[match.group("label").strip()] = (number, match.group("value"))
    return rows


def _normal(value: str) -> str:
    return " ".join(value.split()).strip().rstrip(".")


def compare_context(project: Path, plan: Path, expected: Iterable[ContextRow]) -> list[Finding]:
    """Rows of a plan's Technical Context that disagree with what the answers say."""
    rel = _rel(project, plan)
    found = parse_context(plan.read_text(encoding="utf-8", errors="replace"))
    out = []
    for row in expected:
        if not row.from_answers:
            continue  # fixed by the stack, not by an answer: a plan may refine it
        source = f"the recorded answer '{row.answer}'" if row.answer else "the recorded answers"
        if row.label not in found:
            out.append(
                Finding(
                    CONTEXT,
                    rel,
                    None,
                    f"Technical Context has no '{row.label}' ({source}: {row.value})",
                )
            )
            continue
        line, value = found[row.label]
        if _normal(value) != _normal(row.value):
            out.append(
                Finding(
                    CONTEXT,
                    rel,
                    line,
                    f"{row.label} is '{_normal(value)}' but {source} says '{row.value}'",
                )
            )
    return out


def _context_findings(project: Path, trust: bool) -> list[Finding]:
    from stackprint import project as projects
    from stackprint.errors import RefusedError
    from stackprint.speckit import stack

    try:
        recorded = projects.read(project, trust=trust)
    except RefusedError:
        return []  # not generated by stackprint: nothing to compare with
    speckit_dir = recorded.blueprint.speckit_dir
    if not stack.has_stack(speckit_dir):
        return []
    expected = stack.technical_context(speckit_dir, recorded.context, recorded.blueprint.templates)
    plans = [feature / "plan.md" for feature in numbering.feature_dirs(project)]
    plans.append(project / layout.PLAN_OVERRIDE)
    out = []
    for plan in plans:
        if plan.is_file():
            out += compare_context(project, plan, expected)
    return out


def check(project: Path, *, trust: bool = False) -> list[Finding]:
    """Every finding in the spec documents of `project`, sorted by kind, file and line."""
    from stackprint.errors import UsageError

    if not project.is_dir():
        raise UsageError(f"{project} is not a directory")
    findings = []
    for path in _documents(project):
        findings += _lint_text(project, path)
    findings += _missing(project)
    findings += _context_findings(project, trust)
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(findings, key=lambda f: (order[f.kind], f.path, f.line or 0))


def summary(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each kind (every kind listed, zeros included)."""
    return {kind: sum(1 for f in findings if f.kind == kind) for kind in KINDS}
