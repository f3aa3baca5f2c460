"""A generated project stays usable by spec-kit's own `specify` CLI and scripts.

spec-kit is the PyPI package `specify-cli` (GitHub's spec-kit). It is taken from PATH when
installed, else installed once per session into a throwaway virtualenv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from stackprint.speckit import check, layout
from tests.e2e.conftest import Generate

pytestmark = pytest.mark.e2e

SPECIFY_VERSION = "1.2.3"
BLUEPRINTS = ["go-api", "nextjs-go"]


@pytest.fixture(scope="session")
def specify(tmp_path_factory: pytest.TempPathFactory) -> Path:
    found = shutil.which("specify")
    if found:
        return Path(found)
    env_dir = tmp_path_factory.mktemp("specify-venv")
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"specify-cli=={SPECIFY_VERSION}"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode != 0:
        reason = f"cannot install specify-cli from PyPI: {install.stderr.strip()[-300:]}"
        if os.environ.get("CI"):  # CI reaches PyPI: there the failure is real
            pytest.fail(reason)
        pytest.skip(reason)
    return env_dir / "bin" / "specify"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _json_line(output: str) -> dict[str, object]:
    return dict(json.loads(next(line for line in output.splitlines() if line.startswith("{"))))


def _stackprint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "stackprint", *args], cwd)


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_specify_cli_works_in_a_generated_project(
    generate: Generate, specify: Path, tmp_path: Path, blueprint: str
) -> None:
    project = tmp_path / "project"
    shutil.copytree(generate(blueprint), project, symlinks=True)
    assert check(project) == []
    ours = {
        rel: (project / rel).read_bytes()
        for rel in (layout.CONSTITUTION, layout.PLAN_OVERRIDE, layout.FEATURE_JSON)
    }
    feature = layout.read_feature_pointer(project)
    assert feature is not None and feature.startswith("specs/001-")

    # spec-kit adds its scripts and templates around ours and keeps ours.
    _run(
        [
            str(specify),
            "init",
            "--here",
            "--force",
            "--non-interactive",
            "--ignore-agent-tools",
            "--script",
            "sh",
            "--integration",
            "generic",
            "--integration-options=--commands-dir .agent/commands/",
        ],
        project,
    )
    for rel, content in ours.items():
        assert (project / rel).read_bytes() == content, f"specify init changed {rel}"
    scripts = project / ".specify" / "scripts" / "bash"

    # Its template resolution finds the stack's plan template first.
    resolved = _run(["bash", str(scripts / "resolve-template.sh"), "plan-template"], project).stdout
    assert resolved == ours[layout.PLAN_OVERRIDE].decode()

    # Its prerequisite check finds the first feature and every document of it.
    prereq = _json_line(
        _run(
            ["bash", str(scripts / "check-prerequisites.sh"), "--json", "--include-tasks"], project
        ).stdout
    )
    assert prereq["FEATURE_DIR"] == str(project / feature)
    docs = prereq["AVAILABLE_DOCS"]
    assert isinstance(docs, list)
    assert {"research.md", "data-model.md", "contracts/", "quickstart.md", "tasks.md"} <= set(docs)

    # Its create-new-feature and `stackprint feature` agree on the next feature.
    theirs = _json_line(
        _run(
            [
                "bash",
                str(scripts / "create-new-feature.sh"),
                "--json",
                "--dry-run",
                "Add invoice export",
            ],
            project,
        ).stdout
    )
    _run(["git", "add", "--all"], project)
    _run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "spec-kit"], project)
    mine = json.loads(_stackprint("feature", "Add invoice export", "--json", cwd=project).stdout)
    assert mine["BRANCH_NAME"] == theirs["BRANCH_NAME"] == "002-invoice-export"
    assert mine["FEATURE_NUM"] == theirs["FEATURE_NUM"] == "002"

    # /speckit.plan's setup finds the new feature through feature.json and keeps our plan.
    plan = project / "specs" / "002-invoice-export" / "plan.md"
    before = plan.read_bytes()
    setup = _json_line(_run(["bash", str(scripts / "setup-plan.sh"), "--json"], project).stdout)
    assert setup["IMPL_PLAN"] == str(plan)
    assert plan.read_bytes() == before

    # Only the new spec's open questions remain for `check` to report.
    result = subprocess.run(
        [sys.executable, "-m", "stackprint", "check", "--json"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert {f["kind"] for f in report["findings"]} == {"clarification"}
