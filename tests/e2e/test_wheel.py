"""The wheel carries the blueprints: build it, install it in a fresh venv, generate from it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.e2e
def test_wheel_installs_and_generates_both_blueprints(tmp_path: Path) -> None:
    run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(ROOT)])
    (wheel,) = (tmp_path / "dist").glob("stackprint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for blueprint in ("go-api", "nextjs-go"):
        assert f"stackprint/blueprints/{blueprint}/copier.yml" in names
    assert any(n.startswith("stackprint/blueprints/_speckit/") for n in names)
    assert not any("/node_modules/" in n or "__pycache__" in n for n in names)

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)])
    stackprint = str(venv / "bin" / "stackprint")
    assert run([stackprint, "--version"]).stdout.startswith("stackprint ")
    for blueprint in ("go-api", "nextjs-go"):
        dest = tmp_path / f"from-wheel-{blueprint}"
        run(
            [stackprint, "new", str(dest), "--blueprint", blueprint, "--defaults", "--no-generate"],
            cwd=tmp_path,
        )
        answers = (dest / ".copier-answers.yml").read_text()
        assert f"_src_path: stackprint:{blueprint}" in answers
        assert (dest / ".specify" / "memory" / "constitution.md").is_file()
        status = run(["git", "status", "--porcelain"], cwd=dest).stdout
        assert status == ""
