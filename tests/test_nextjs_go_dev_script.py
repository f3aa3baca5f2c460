"""nextjs-go's scripts/dev.sh: when one server dies, nothing it or the other started is left.

The script runs as written in the blueprint (it is not a template) with stand-ins for `go`
and `npm` on PATH: the stand-in `npm run dev` starts a grandchild, as npm starts next dev,
and the stand-in backend exits once that grandchild runs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "blueprints" / "nextjs-go" / "template" / "scripts"

FAKE_NPM = """#!/usr/bin/env bash
# `npm run dev` stand-in: next dev is a grandchild of the script, as with the real npm.
if [ "${1:-}" = run ] && [ "${2:-}" = dev ]; then
  sleep 300 &
  echo $! > "$FAKE_STATE/next.pid"
  wait
fi
"""

FAKE_GO = """#!/usr/bin/env bash
# `go run ./cmd/api` stand-in: the API dies once the web server is up (or, with
# FAKE_API_STAYS, keeps serving).
while [ ! -s "$FAKE_STATE/next.pid" ]; do sleep 0.05; done
if [ -n "${FAKE_API_STAYS:-}" ]; then
  sleep 300 &
  echo $! > "$FAKE_STATE/api.pid"
  wait
fi
echo "api: ping postgres: connection refused" >&2
exit 3
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has stopped; only its reaping is left


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "app"
    shutil.copytree(SCRIPTS, root / "scripts")
    (root / "backend/internal/api/gen").mkdir(parents=True)  # generated code present
    (root / "frontend/node_modules").mkdir(parents=True)  # dependencies installed
    bin_dir, state = tmp_path / "bin", tmp_path / "state"
    bin_dir.mkdir()
    state.mkdir()
    for name, text in (("npm", FAKE_NPM), ("go", FAKE_GO)):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    yield root
    for name in ("next.pid", "api.pid"):
        pid_file = state / name
        if pid_file.exists() and _alive(pid := int(pid_file.read_text())):
            os.kill(pid, signal.SIGKILL)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "FAKE_STATE": str(tmp_path / "state"),
        "DATABASE_URL": "postgres://app:app@127.0.0.1:1/app?sslmode=disable",
        "API_TOKEN": "dev-token",
        **extra,
    }


def test_the_web_server_stops_when_the_backend_dies(project: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    # Output to a file, not a pipe: a process left behind would hold a pipe open.
    log = tmp_path / "dev.log"
    with log.open("wb") as out:
        code = subprocess.run(
            ["bash", "scripts/dev.sh"], cwd=project, env=env, stdout=out, stderr=out, timeout=60
        ).returncode
    assert code == 3, log.read_text()  # the backend's own exit status
    next_pid = int((tmp_path / "state" / "next.pid").read_text())
    assert not _alive(next_pid), "next dev outlived the backend and dev.sh"
    assert "stopping the other" in log.read_text()


def test_ctrl_c_stops_both_servers_and_what_they_started(project: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    with (tmp_path / "dev.log").open("wb") as out:
        dev = subprocess.Popen(
            ["bash", "scripts/dev.sh"],
            cwd=project,
            env=_env(tmp_path, FAKE_API_STAYS="1"),
            stdout=out,
            stderr=out,
            start_new_session=True,  # as in a terminal: Ctrl-C reaches the script alone
        )
        try:
            deadline = time.monotonic() + 30
            while not (state / "api.pid").exists() or not (state / "next.pid").exists():
                assert dev.poll() is None and time.monotonic() < deadline, "servers never ran"
                time.sleep(0.05)
            dev.send_signal(signal.SIGINT)
            assert dev.wait(timeout=30) == 130
        finally:
            if dev.poll() is None:
                os.killpg(dev.pid, signal.SIGKILL)
    for name in ("api.pid", "next.pid"):
        assert not _alive(int((state / name).read_text())), f"{name} outlived dev.sh"
