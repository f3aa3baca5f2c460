"""`stackprint check`: clean on a fresh project, each kind of finding when one is planted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from stackprint.cli import main
from stackprint.speckit import check, layout, summary
from tests.speckit_support import feature_dir, make_project


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    return int(exit_info.value.code or 0), capsys.readouterr().out


@pytest.mark.parametrize("blueprint", ["go-api", "nextjs-go"])
def test_fresh_project_is_clean(tmp_path: Path, blueprint: str) -> None:
    assert check(make_project(tmp_path, blueprint, git=False)) == []


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_planted_placeholder_is_found_with_its_line(tmp_path: Path) -> None:
    project = make_project(tmp_path, git=False)
    spec = feature_dir(project) / "spec.md"
    lines = spec.read_text().splitlines()
    lines.insert(4, "**Owner**: [e.g., the payments team]")
    spec.write_text("\n".join(lines) + "\n")
    findings = check(project)
    assert [(f.kind, f.path, f.line) for f in findings] == [
        ("placeholder", "specs/001-products-api/spec.md", 5)
    ]


def test_placeholder_in_the_constitution_is_found(tmp_path: Path) -> None:
    project = make_project(tmp_path, git=False)
    _replace(project / layout.CONSTITUTION, "## Governance", "## [SECTION_3_NAME]\n\n## Governance")
    assert [f.kind for f in check(project)] == ["placeholder"]


def test_open_clarifications_are_counted_and_listed(tmp_path: Path) -> None:
    project = make_project(tmp_path, git=False)
    research = feature_dir(project) / "research.md"
    research.write_text(
        research.read_text()
        + "\n- Retention: [NEEDS CLARIFICATION: how long?]\n- Export: [NEEDS CLARIFICATION: format]\n"
    )
    findings = check(project)
    assert summary(findings) == {"placeholder": 0, "clarification": 2, "missing": 0, "context": 0}
    assert all(f.path == "specs/001-products-api/research.md" and f.line for f in findings)


@pytest.mark.parametrize(
    "name", ["spec.md", "plan.md", "research.md", "data-model.md", "quickstart.md", "contracts"]
)
def test_missing_file_of_a_feature_is_found(tmp_path: Path, name: str) -> None:
    project = make_project(tmp_path, git=False)
    target = feature_dir(project) / name
    if target.is_dir():
        for child in target.iterdir():
            child.unlink()
        target.rmdir()
    else:
        target.unlink()
    findings = check(project)
    assert [(f.kind, f.path, f.line) for f in findings] == [
        ("missing", f"specs/001-products-api/{name}", None)
    ]


def test_missing_constitution_and_dangling_feature_pointer(tmp_path: Path) -> None:
    project = make_project(tmp_path, git=False)
    (project / layout.CONSTITUTION).unlink()
    layout.write_feature_pointer(project, "specs/009-gone")
    assert sorted(f.path for f in check(project)) == sorted(
        [layout.CONSTITUTION, layout.FEATURE_JSON]
    )


def test_plan_that_disagrees_with_the_answers(tmp_path: Path) -> None:
    project = make_project(tmp_path, git=False)
    plan = feature_dir(project) / "plan.md"
    _replace(
        plan, "**Performance Goals**: 1000 req/s, p99 < 200ms", "**Performance Goals**: 5 req/s"
    )
    findings = check(project)
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.kind, finding.path) == ("context", "specs/001-products-api/plan.md")
    assert plan.read_text().splitlines()[finding.line - 1] == "**Performance Goals**: 5 req/s"
    assert "performance_goals" in finding.message


def test_changed_answer_makes_every_plan_disagree(tmp_path: Path) -> None:
    project = make_project(tmp_path, "nextjs-go", git=False)
    answers_file = project / ".copier-answers.yml"
    recorded = yaml.safe_load(answers_file.read_text())
    recorded["styling"] = "css-modules"
    answers_file.write_text(yaml.safe_dump(recorded))
    findings = check(project)
    assert {(f.kind, f.path) for f in findings} == {
        ("context", "specs/001-manage-products/plan.md"),
        ("context", layout.PLAN_OVERRIDE),
    }
    assert all("Primary Dependencies" in f.message for f in findings)


def test_removed_context_row_is_reported(tmp_path: Path) -> None:
    project = make_project(tmp_path, git=False)
    _replace(
        feature_dir(project) / "plan.md", "**Scale/Scope**: 10k users, 100k requests/day\n", ""
    )
    assert [(f.kind, f.line) for f in check(project)] == [("context", None)]


def test_check_cli_exit_codes_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, git=False)
    code, out = _run(["check", str(project)], capsys)
    assert (code, out) == (0, "The spec documents are clean.\n")
    code, out = _run(["check", str(project), "--json"], capsys)
    assert code == 0 and json.loads(out)["clean"] is True

    spec = feature_dir(project) / "spec.md"
    spec.write_text(spec.read_text() + "\n- [NEEDS CLARIFICATION: who?]\n**Date**: [DATE]\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(project)])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 1
    assert "specs/001-products-api/spec.md:" in out
    assert err == "error: 2 findings: 1 placeholder, 1 clarification\n"
    code, out = _run(["check", str(project), "--json"], capsys)
    report = json.loads(out)
    assert code == 1 and report["clean"] is False
    assert report["counts"] == {"placeholder": 1, "clarification": 1, "missing": 0, "context": 0}
    assert {f["kind"] for f in report["findings"]} == {"placeholder", "clarification"}
    assert all(set(f) == {"kind", "path", "line", "message"} for f in report["findings"])


def test_check_cli_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _run(["check", str(tmp_path / "nope")], capsys)
    assert code == 2


def test_check_cli_unknown_flag_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _run(["check", "--bogus"], capsys)
    assert code == 2


def test_check_from_a_subdirectory_finds_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path, git=False)
    monkeypatch.chdir(project / "services")
    code, out = _run(["check"], capsys)
    assert (code, out) == (0, "The spec documents are clean.\n")
