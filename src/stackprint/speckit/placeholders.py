"""Finding what a spec-kit template leaves for a human or an agent to fill in.

Two kinds of marks: template placeholders (`[FEATURE]`, `[###-feature-name]`, `[DATE]`,
`[link]`, `ACTION REQUIRED` comments, `[e.g., ...]`, `[Brief Title]`, ...) that must never
reach a finished document, and `NEEDS CLARIFICATION` markers, which are legitimate open
questions but are counted so CI can refuse them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLARIFICATION = re.compile(r"NEEDS CLARIFICATION")

# Placeholders recognised anywhere, code spans and blocks included: spec-kit's templates
# put `[###-feature-name]` inside backticks and `specs/[###-feature]/` inside a code block.
_ANYWHERE = [
    re.compile(r"\[###-feature(?:-name)?\]"),
    re.compile(r"\[(?:FEATURE(?: NAME)?|DATE|link)\]"),
    re.compile(r"ACTION REQUIRED"),
    re.compile(r"\[e\.g\.,?"),
    re.compile(r"\$ARGUMENTS"),
    re.compile(r"__SPECKIT_[A-Z_]+__"),
    re.compile(r"\[REMOVE IF UNUSED\]"),
]
# In prose only: a bracketed phrase that is not a link, a checkbox, a task tag
# ([P], [US1]) or a NEEDS CLARIFICATION marker, e.g. [PROJECT_NAME], [Brief Title],
# [initial state], [Extract from feature spec: ...].
_BRACKETED = re.compile(r"(?<![\w\]\\!`])\[([^\[\]\n]{2,})\](?![(\[:])")
_NOT_PLACEHOLDER = re.compile(r"^(?:US\d+|T\d+|NEEDS CLARIFICATION.*|[xX ]|P\d?)$")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    text: str


def _prose(line: str) -> str:
    return _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)


def placeholders(text: str) -> list[Mark]:
    """Template placeholders left in a document, one per occurrence, in order."""
    marks: list[Mark] = []
    in_code = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        found: list[tuple[int, str]] = []
        for pattern in _ANYWHERE:
            found.extend((m.start(), m.group(0)) for m in pattern.finditer(line))
        if not in_code:
            for m in _BRACKETED.finditer(_prose(line)):
                inner = m.group(1).strip()
                if _NOT_PLACEHOLDER.match(inner) or any(start == m.start() for start, _ in found):
                    continue
                found.append((m.start(), line[m.start() : m.end()]))
        marks.extend(Mark(number, snippet) for _, snippet in sorted(found))
    return marks


def clarifications(text: str) -> list[Mark]:
    """`NEEDS CLARIFICATION` markers, one per occurrence, with the rest of their line."""
    marks = []
    for number, line in enumerate(text.splitlines(), start=1):
        for _ in CLARIFICATION.finditer(line):
            marks.append(Mark(number, line.strip()))
    return marks
