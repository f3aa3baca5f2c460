"""Detection of spec-kit template placeholders and NEEDS CLARIFICATION markers."""

from __future__ import annotations

import pytest

from stackprint.speckit.placeholders import clarifications, placeholders


@pytest.mark.parametrize(
    "line",
    [
        "# Implementation Plan: [FEATURE]",
        "# Feature Specification: [FEATURE NAME]",
        "**Branch**: `[###-feature-name]` | **Date**: 2025-01-01",
        "**Date**: [DATE]",
        "**Spec**: [link]",
        "  ACTION REQUIRED: Replace the content in this section",
        "**Target Platform**: [e.g., Linux server or NEEDS CLARIFICATION]",
        "[Extract from feature spec: primary requirement + technical approach from research]",
        "### User Story 1 - [Brief Title] (Priority: P1)",
        "1. **Given** [initial state], **When** [action], **Then** [expected outcome]",
        "# [PROJECT_NAME] Constitution",
        "[Gates determined based on constitution file]",
        '**Input**: User description: "$ARGUMENTS"',
        "filled in by the `__SPECKIT_COMMAND_PLAN__` command",
    ],
)
def test_template_placeholders_are_found(line: str) -> None:
    assert placeholders(f"intro\n{line}\n"), line
    assert placeholders(f"intro\n{line}\n")[0].line == 2


def test_placeholders_in_code_blocks_are_found_when_spec_kit_puts_them_there() -> None:
    text = "```text\nspecs/[###-feature]/\n└── plan.md\n```\n"
    assert [m.text for m in placeholders(text)] == ["[###-feature]"]


@pytest.mark.parametrize(
    "line",
    [
        "See [spec.md](./spec.md) and [contracts/](./contracts/README.md).",
        "- [ ] T001 [P] [US1] Create the model in `internal/models/product.go`",
        "- [X] T002 [US2] Done",
        "- **SC-001**: [NEEDS CLARIFICATION: a measurable outcome]",
        "The type is `map[string]any` or `[]byte`.",
        "[1]: https://example.com",
    ],
)
def test_finished_text_has_no_placeholder(line: str) -> None:
    assert placeholders(line + "\n") == []


def test_brackets_inside_code_blocks_are_code() -> None:
    assert placeholders("```go\nvar m map[string]int\nx := a[Index Of]\n```\n") == []


def test_each_placeholder_of_a_line_counts() -> None:
    marks = placeholders("**Branch**: `[###-feature-name]` | **Date**: [DATE] | **Spec**: [link]\n")
    assert [m.text for m in marks] == ["[###-feature-name]", "[DATE]", "[link]"]


def test_clarifications_are_counted_with_their_lines() -> None:
    text = "ok\n**Performance Goals**: NEEDS CLARIFICATION\nx [NEEDS CLARIFICATION: a] [NEEDS CLARIFICATION: b]\n"
    marks = clarifications(text)
    assert [m.line for m in marks] == [2, 3, 3]
