"""The scheduled workflow each generated project carries: update on a branch, test, PR."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

import stackprint

WORKFLOW = ".github/workflows/stackprint-update.yml"
TESTS = {"go-api": "go vet ./... && go test ./...", "nextjs-go": "cd backend && go vet ./..."}


def steps_of(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    steps = workflow["jobs"]["update"]["steps"]
    return {step.get("name", step.get("uses")): step for step in steps}


@pytest.mark.parametrize("blueprint", ["go-api", "nextjs-go"])
def test_workflow_updates_on_a_branch_tests_and_opens_a_pull_request(
    blueprint: str, tmp_path: Path
) -> None:
    project = stackprint.new(
        tmp_path / "p", blueprint=blueprint, defaults=True, git=False, generate=False
    ).path
    workflow = yaml.safe_load((project / WORKFLOW).read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    steps = steps_of(workflow)
    assert "pip install --upgrade stackprint" in steps["Install the newest stackprint"]["run"]
    assert "stackprint update --check" in steps["Is there an update?"]["run"]
    assert 'stackprint update --branch "$BRANCH" --json' in steps["Update on a branch"]["run"]
    assert TESTS[blueprint] in steps["Run the tests on the branch"]["run"]
    assert "gh pr create" in steps["Open or refresh the pull request"]["run"]
    # The new baseline's tag goes along: a squash merge of the pull request drops the
    # pristine commit, and the next update finds it through the tag.
    assert (
        'git push --force --follow-tags origin "$BRANCH"'
        in (steps["Open or refresh the pull request"]["run"])
    )
    assert steps["actions/checkout@v4"]["with"]["fetch-depth"] == 0  # history and tags
    go_mod = steps["actions/setup-go@v5"]["with"]["go-version-file"]
    assert (project / go_mod).is_file()
    for name, step in steps.items():  # every script is valid bash
        if "run" in step:
            check = subprocess.run(["bash", "-n"], input=step["run"], text=True, check=False)
            assert check.returncode == 0, name


def test_workflow_is_left_out_when_the_answer_is_no(tmp_path: Path) -> None:
    result = stackprint.new(
        tmp_path / "p",
        blueprint="go-api",
        defaults=True,
        git=False,
        generate=False,
        data={"update_workflow": "no"},
    )
    assert not (result.path / WORKFLOW).exists()
    # The project's own CI stays: only the scheduled update is left out.
    assert [p.name for p in (result.path / ".github" / "workflows").iterdir()] == ["ci.yml"]
