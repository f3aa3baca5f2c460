"""A project's CI workflows, moved to the top of a larger repository and confined to it."""

from __future__ import annotations

from pathlib import Path

import pytest
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
    # What the project ignored stays ignored, as negated patterns of the one filter.
    assert triggers["push"] == {
        "branches": ["main"],
        "paths": ["services/billing/**", "!services/billing/docs/**", path],
    }
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


def test_comments_order_and_quoting_are_kept() -> None:
    text = workflows.rewrite(CI, "services/billing", ".github/workflows/services-billing-ci.yml")
    assert "# The project's checks.\n" in text
    assert '    - cron: "0 3 * * *"\n' in text  # untouched lines stay byte for byte
    assert "    branches: [main]\n" in text
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert keys == ["name", "on", "concurrency", "env", "defaults", "jobs"]


def test_an_inline_comment_of_a_rewritten_value_is_kept() -> None:
    flow = """\
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-go@v5
        with:
          go-version-file: go.mod # the toolchain of the module
      - run: | # the whole suite
          go test ./...
        working-directory: ./api
"""
    text = workflows.rewrite(flow, "svc", ".github/workflows/svc-ci.yml")
    assert "go-version-file: svc/go.mod # the toolchain of the module\n" in text
    assert "- run: | # the whole suite\n" in text
    steps = yaml.safe_load(text)["jobs"]["test"]["steps"]
    assert steps[1] == {"run": "go test ./...\n", "working-directory": "svc/api"}
    assert yaml.safe_load(text)[True] == {
        "push": {"paths": ["svc/**", ".github/workflows/svc-ci.yml"]}
    }


def test_hash_files_patterns_and_local_actions_are_rebased() -> None:
    flow = """\
name: build
on:
  pull_request:
    paths: ["api/**", "!api/**/*.md"]
jobs:
  build:
    if: hashFiles('go.sum') != ''
    runs-on: ubuntu-latest
    steps:
      - uses: actions/cache@v4
        with:
          path: ~/go/pkg/mod
          key: go-${{ hashFiles('**/go.sum', '!vendor/**') }}-${{ hashFiles(env.LOCK) }}
      - uses: ./.github/actions/setup
      - uses: docker://alpine:3.20
      - run: echo "${{ hashFiles('it''s.txt') }}"
  shared:
    uses: ./.github/workflows/reusable.yml
"""
    text = workflows.rewrite(flow, "apps/shop", ".github/workflows/apps-shop-build.yml")
    parsed = yaml.safe_load(text)
    build = parsed["jobs"]["build"]
    assert build["if"] == "hashFiles('apps/shop/go.sum') != ''"
    assert build["steps"][0]["with"] == {
        "path": "~/go/pkg/mod",
        "key": "go-${{ hashFiles('apps/shop/**/go.sum', '!apps/shop/vendor/**') }}"
        "-${{ hashFiles(env.LOCK) }}",
    }
    assert build["steps"][1]["uses"] == "./apps/shop/.github/actions/setup"
    assert build["steps"][2]["uses"] == "docker://alpine:3.20"
    assert build["steps"][3]["run"] == "echo \"${{ hashFiles('apps/shop/it''s.txt') }}\""
    # A reusable workflow of the project moved to the top with the others, renamed.
    assert parsed["jobs"]["shared"]["uses"] == "./.github/workflows/apps-shop-reusable.yml"
    # The project's own path filter, rebased: still only its API.
    assert parsed[True]["pull_request"]["paths"] == [
        "apps/shop/api/**",
        "!apps/shop/api/**/*.md",
        ".github/workflows/apps-shop-build.yml",
    ]


def test_the_paths_of_artifact_and_cache_actions_are_rebased_but_not_checkouts() -> None:
    flow = """\
on: push
jobs:
  e2e:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          path: src
      - uses: actions/cache/restore@v4
        with:
          path: |
            frontend/.next/cache
            ~/.npm
          key: next
      - uses: actions/upload-artifact@v4
        with:
          name: report
          path: |
            frontend/playwright-report/
            !frontend/playwright-report/**/*.zip
      - uses: someone/deploy@v1
        with:
          path: dist
"""
    steps = yaml.safe_load(workflows.rewrite(flow, "shop", ".github/workflows/shop-ci.yml"))[
        "jobs"
    ]["e2e"]["steps"]
    assert steps[0]["with"] == {"path": "src"}
    assert steps[1]["with"]["path"] == "shop/frontend/.next/cache\n~/.npm\n"
    assert steps[2]["with"]["path"] == (
        "shop/frontend/playwright-report/\n!shop/frontend/playwright-report/**/*.zip\n"
    )
    assert steps[3]["with"] == {"path": "dist"}  # an action whose inputs we cannot know


@pytest.mark.parametrize(
    "trigger",
    [
        "on:\n  workflow_run:\n    workflows: [CI, 'Nightly: e2e']\n    types: [completed]\n",
        "on: {workflow_run: {workflows: [CI, 'Nightly: e2e'], types: [completed]}}\n",
    ],
)
def test_a_workflow_run_trigger_follows_the_renamed_workflows(trigger: str) -> None:
    flow = (
        trigger
        + "jobs:\n  report:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make report\n"
    )
    parsed = yaml.safe_load(workflows.rewrite(flow, "shop", ".github/workflows/shop-report.yml"))
    assert parsed[True]["workflow_run"] == {
        "workflows": ["shop: CI", "shop: Nightly: e2e"],
        "types": ["completed"],
    }


def test_short_forms_of_the_triggers_and_defaults_are_written_out() -> None:
    flow = """\
on: [push, workflow_dispatch]
defaults: {run: {shell: bash}}
jobs:
  lint:
    runs-on: ubuntu-latest
    concurrency: lint-${{ github.ref }}
    steps:
      - run: make lint
"""
    text = workflows.rewrite(flow, "tools", ".github/workflows/tools-lint.yml")
    parsed = yaml.safe_load(text)
    assert "\non:\n" in text
    assert parsed["name"] == "tools"
    assert parsed[True] == {
        "push": {"paths": ["tools/**", ".github/workflows/tools-lint.yml"]},
        "workflow_dispatch": None,
    }
    assert parsed["defaults"] == {"run": {"shell": "bash", "working-directory": "tools"}}
    assert parsed["jobs"]["lint"]["concurrency"] == "tools-lint-${{ github.ref }}"


def test_the_blueprints_workflows_keep_their_comments_when_moved(tmp_path: Path) -> None:
    from stackprint.paths import blueprints_root

    for flow in sorted(blueprints_root().glob("*/template/*.github*/workflows/*.yml")):
        text = flow.read_text()
        comments = [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]
        assert comments, f"{flow} has comments to keep"
        moved = workflows.rewrite(text, "services/billing", ".github/workflows/x.yml")
        assert all(comment in moved for comment in comments), flow
        assert yaml.safe_load(moved)["defaults"]["run"]["working-directory"] == "services/billing"


def test_anchors_and_tags_of_rewritten_values_stay() -> None:
    flow = """\
on: push
jobs:
  web:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: &web web
    steps:
      - run: npm ci
        working-directory: *web
      - uses: actions/setup-node@v4
        with:
          cache-dependency-path: !!str web/package-lock.json
"""
    job = yaml.safe_load(workflows.rewrite(flow, "apps/shop", ".github/workflows/x.yml"))["jobs"]
    assert job["web"]["defaults"]["run"]["working-directory"] == "apps/shop/web"
    assert job["web"]["steps"][0]["working-directory"] == "apps/shop/web"  # once, by its anchor
    assert job["web"]["steps"][1]["with"]["cache-dependency-path"] == (
        "apps/shop/web/package-lock.json"
    )
