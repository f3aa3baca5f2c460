"""A project's CI workflows, moved to the top of a larger repository and confined to it."""

from __future__ import annotations

from pathlib import Path

import yaml

from stackprint import workflows

CI = """\
# The project's checks.
name: ci

on:
  push:
    branches: [main]
    paths-ignore: ["docs/**"]
  pull_request:
  schedule:
    - cron: "0 3 * * *"

concurrency:
  group: ci-${{ github.ref }}
  cancel-in-progress: true

env:
  BRANCH: stackprint/update

jobs:
  backend:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
        with:
          go-version-file: backend/go.mod
          cache-dependency-path: |
            backend/go.sum
            tools/go.sum
      - name: Test
        run: |
          make test
          echo done
  frontend:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: frontend
    steps:
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache-dependency-path: ./frontend/package-lock.json
      - run: npm ci
        working-directory: ./web
"""


def test_a_workflow_is_confined_to_its_project_directory() -> None:
    path = ".github/workflows/services-billing-ci.yml"
    text = workflows.rewrite(CI, "services/billing", path)
    assert "\non:\n" in text  # spelled as GitHub spells it
    flow = yaml.safe_load(text)
    triggers = flow[True]
    assert triggers["push"] == {"branches": ["main"], "paths": ["services/billing/**", path]}
    assert triggers["pull_request"] == {"paths": ["services/billing/**", path]}
    assert triggers["schedule"] == [{"cron": "0 3 * * *"}]  # no paths for a schedule
    assert flow["name"] == "services/billing: ci"
    assert flow["concurrency"]["group"] == "services/billing-ci-${{ github.ref }}"
    assert flow["env"]["BRANCH"] == "stackprint/update-services-billing"
    assert flow["defaults"] == {"run": {"working-directory": "services/billing"}}
    backend = flow["jobs"]["backend"]["steps"]
    assert backend[1]["with"] == {
        "go-version-file": "services/billing/backend/go.mod",
        "cache-dependency-path": "services/billing/backend/go.sum\nservices/billing/tools/go.sum\n",
    }
    assert backend[2]["run"] == "make test\necho done\n"
    assert "run: |\n" in text  # scripts stay readable blocks
    frontend = flow["jobs"]["frontend"]
    assert frontend["defaults"]["run"]["working-directory"] == "services/billing/frontend"
    assert frontend["steps"][0]["with"]["cache-dependency-path"] == (
        "services/billing/frontend/package-lock.json"
    )
    assert frontend["steps"][0]["with"]["node-version"] == 20
    assert frontend["steps"][1]["working-directory"] == "services/billing/web"


def test_relocate_moves_the_workflows_out_of_the_project(tmp_path: Path) -> None:
    project = tmp_path / "billing"
    (project / ".github" / "workflows").mkdir(parents=True)
    (project / ".github" / "workflows" / "ci.yml").write_text(CI)
    (project / "README.md").write_text("hi\n")
    dest = tmp_path / "top" / ".github" / "workflows"

    assert workflows.relocate(project, dest, "billing") == ["billing-ci.yml"]

    assert not (project / ".github").exists()
    assert yaml.safe_load((dest / "billing-ci.yml").read_text())["name"] == "billing: ci"
    assert workflows.relocate(project, dest, "billing") == []
