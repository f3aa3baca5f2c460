"""A generated project on a bare machine: fresh HOME and caches, and a PATH holding only
the toolchain its README lists (Go, Node/npm, git, make and the basic shell tools; no
stackprint, no protoc, no C compiler, no redis-server, no database).

There `make generate` must work and change nothing, and `make test` must run the
PostgreSQL integration tests for real (an embedded server), saying last what it skipped.
PostgreSQL refuses to run as root, so as root the project runs as `nobody`, the way a
developer's machine runs it as a regular user.

go-api stands for both blueprints: their database bootstrap (`internal/testdb`) and
protoc fetcher are the same files (`tests/test_delivery_files.py` keeps them so), and a
bare nextjs-go (building sqlc and installing the frontend from nothing) would take a
quarter of CI's time budget on its own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Generate
from tests.e2e.support import tail

pytestmark = pytest.mark.e2e

# What a bare machine has besides the listed toolchain: a shell, coreutils and the other
# basic tools every Unix has.
TOOLCHAIN = ["go", "gofmt", "node", "npm", "npx", "git", "make"]
COREUTILS = [
    *("basename", "cat", "chmod", "cp", "cut", "date", "dirname", "echo", "env", "expr"),
    *("false", "head", "id", "ln", "ls", "mkdir", "mktemp", "mv", "nproc", "od", "printf"),
    *("pwd", "readlink", "realpath", "rm", "rmdir", "seq", "sha256sum", "sleep", "sort"),
    *("stat", "tail", "tee", "test", "timeout", "touch", "tr", "true", "uname", "uniq", "wc"),
    "[",
]
SHELL_TOOLS = ["sh", "bash", "sed", "grep", "awk", "find", "xargs", "cmp", *COREUTILS]
NOBODY = 65534
MACHINE_SETTINGS = {"NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR"}


@pytest.fixture(scope="module")
def bare() -> Iterator[tuple[Path, dict[str, str]]]:
    """A scratch directory owned by whoever runs the project, and its environment."""
    base = Path(tempfile.mkdtemp(prefix="stackprint-bare-"))
    bindir = base / "bin"
    bindir.mkdir()
    for tool in TOOLCHAIN + SHELL_TOOLS:
        found = shutil.which(tool)
        if found is None:
            assert tool not in TOOLCHAIN, f"{tool} is needed by the e2e suite"
            continue
        (bindir / tool).symlink_to(os.path.realpath(found) if tool in TOOLCHAIN else found)
    home = base / "home"
    home.mkdir()
    env = {
        "PATH": str(bindir),
        "HOME": str(home),
        "GOPATH": str(home / "go"),
        "GOCACHE": str(home / ".cache" / "go-build"),
        "npm_config_cache": str(home / ".npm"),
        "NEXT_TELEMETRY_DISABLED": "1",
        "LANG": "C.UTF-8",
    }
    # The machine's own network settings (certificate authorities, proxies) are not
    # part of the toolchain: keep them.
    for name, value in os.environ.items():
        if name in MACHINE_SETTINGS or name.lower().endswith("_proxy"):
            env[name] = value
    if os.geteuid() == 0:
        _chown(base)
    yield base, env
    # Go makes its module cache read-only.
    for root, dirs, _ in os.walk(base):
        for name in dirs:
            (Path(root) / name).chmod(0o755)
    shutil.rmtree(base, ignore_errors=True)


def _chown(path: Path) -> None:
    os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(Path(root) / name, NOBODY, NOBODY, follow_symlinks=False)


def _copy(project: Path, base: Path) -> Path:
    dest = base / project.name
    shutil.copytree(project, dest, symlinks=True)
    if os.geteuid() == 0:
        _chown(dest)
    return dest


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    prefix = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "running as root needs setpriv (util-linux) to drop to nobody"
        prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    result = subprocess.run(
        prefix + cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=2400, check=False
    )
    assert result.returncode == 0, (
        f"`{' '.join(cmd)}` failed in {cwd} with exit code {result.returncode}\n"
        f"--- stdout (tail)\n{tail(result.stdout)}\n--- stderr (tail)\n{tail(result.stderr)}"
    )
    return result


def _results(output: str) -> dict[str, str]:
    """Test name -> PASS/FAIL/SKIP from `go test -v` output (top-level tests)."""
    return dict(
        (m[2], m[1]) for m in re.finditer(r"^--- (PASS|FAIL|SKIP): (Test\w+)", output, re.M)
    )


def _generate_without_diff(project: Path, env: dict[str, str]) -> None:
    _run(["make", "generate"], project, env)
    status = _run(["git", "status", "--porcelain"], project, env).stdout
    assert status == "", f"make generate on a bare machine changed files:\n{status}"


def test_go_api_generates_and_runs_postgres_tests_on_a_bare_machine(
    generate: Generate, bare: tuple[Path, dict[str, str]]
) -> None:
    base, env = bare
    project = _copy(generate("go-api"), base)
    _generate_without_diff(project, env)

    out = _run(["make", "test"], project, {**env, "GOFLAGS": "-v"}).stdout
    results = _results(out)
    for name in ("TestAutoMigrateIsIdempotent", "TestReadiness", "TestStacksAreIsolated"):
        assert results.get(name) == "PASS", f"{name}: {results.get(name)}\n{tail(out)}"
    assert "SKIP" not in results.values(), tail(out)
    assert "SKIPPED:" not in out, tail(out)
