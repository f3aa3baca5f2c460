"""The benchmark command runs and writes its results file.

Only a smoke test: `--quick` takes one run of the start-up and render figures. Timings are
never asserted here; they belong to `python benchmarks/run.py` and its RESULTS.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def test_quick_benchmark_writes_results(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = output.read_text(encoding="utf-8")
    for heading in ("## Machine and versions", "## Method", "## start-up", "## Targets missed"):
        assert heading in text
    assert "| measurement | median | min | max | runs | unit | target | result |" in text
    assert "| stackprint --version |" in text
    assert "| stackprint / copier (paired runs) |" in text
    assert "stackprint --version" in proc.stdout  # the table is printed too
