"""A fleet of twelve projects updated as multi-gitter would, then updated once more.

Round 1: each project is cloned, updated on a branch to a newer copy of its blueprint and
tested there; ten merge cleanly and pass, two conflict in exactly the files whose lines
their teams and the blueprint both changed; no project's main changes. The clean branches
are squash-merged, and in round 2 a still newer blueprint merges without a conflict
wherever nobody edited. The fleet and its driver are benchmarks/fleet.py, which also times
them.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def fleet_module() -> ModuleType:
    """benchmarks/fleet.py as `python benchmarks/fleet.py` loads it: with its directory on
    the path, for its sibling modules (results_file)."""
    benchmarks = str(ROOT / "benchmarks")
    spec = importlib.util.spec_from_file_location("fleet", Path(benchmarks) / "fleet.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fleet"] = module  # dataclasses look their module up
    sys.path.insert(0, benchmarks)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(benchmarks)
    return module


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_fleet_update_round_after_round(tmp_path: Path) -> None:
    for var in ("TEST_DATABASE_URL", "TEST_REDIS_URL"):
        if not os.environ.get(var):
            pytest.fail(f"{var} is not set: start the services (see .ci/services.sh)")
    fleet = fleet_module()
    projects, rounds = fleet.run_rounds(tmp_path)
    print({phase: round(sec, 1) for phase, sec in rounds.seconds.items()})

    first = {o.member.name: o for o in rounds.first}
    clean = [name for name, o in first.items() if o.code == 0]
    conflicted = [name for name, o in first.items() if o.code == 1]
    assert len(first) == 12 and len(clean) == 10
    assert conflicted == ["g09-retitled", "n12-db-notes"]
    for name in clean:
        outcome = first[name]
        assert outcome.report["conflicts"] == []
        assert outcome.tests_passed is True, name
        assert "docs/fleet/v2.md" in outcome.report["files"]["added"]
    for name in conflicted:
        outcome = first[name]
        assert outcome.report["conflicts"] == list(outcome.member.conflicts), name
        assert outcome.report["branch"] == "stackprint/update-v2"
        remote = projects.remotes[name]
        for path in outcome.member.conflicts:  # committed with the markers, for the PR
            assert "<<<<<<< " in git(remote, "show", f"stackprint/update-v2:{path}")
    assert all(rounds.untouched.values()), rounds.untouched

    second = {o.member.name: o for o in rounds.second}
    for name in clean:  # squash-merged: the base is round 1's render, not the first one
        report = second[name].report
        assert second[name].code == 0 and report["conflicts"] == [], name
        assert report["files"]["added"] == ["docs/fleet/v3.md"], name
    for name in conflicted:  # not merged: conflicts only where the team edited
        report = second[name].report
        assert report["conflicts"], name
        assert set(report["conflicts"]) <= set(first[name].member.edited), name
