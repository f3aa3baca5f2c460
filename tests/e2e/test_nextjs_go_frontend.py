"""nextjs-go frontend end to end, once per styling variant: the generated Next.js app is
installed exactly from its lock (as `make dev` installs it), regenerates its OpenAPI types to
the same bytes, type-checks, lints, builds, passes Jest, and passes Playwright against the
real Go API binary and `next start`, with PostgreSQL and Redis behind the API.

Each variant is rendered once per session by the `generate` fixture; the chain runs on a
copy because it writes build output.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.e2e.support import THREE_RESOURCES_ANSWERS, required_env, run, tail

# The same answers as test_nextjs_go_backend.py's variants, so a worker that runs both files
# renders (and runs the generators for) each project once.
VARIANTS: dict[str, dict[str, Any]] = {"tailwind": {}, "css-modules": THREE_RESOURCES_ANSWERS}

# Every platform's native packages (SWC, Tailwind's oxide, resolvers) must be in the lock,
# or `npm ci` on macOS/Windows/arm64 silently goes without them.
PLATFORM_PACKAGE = re.compile(r"(darwin|win32|linux)-(x64|arm64)")


def _require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        message = f"missing {', '.join(missing)}: the frontend chain needs them"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _free_ports(count: int) -> list[int]:
    """Ports nothing listens on now; held together so they differ from each other."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture(params=list(VARIANTS), ids=list(VARIANTS))
def variant(request: pytest.FixtureRequest, generate: Any) -> tuple[str, Path]:
    _require("node", "npm", "go", "make")
    return request.param, generate("nextjs-go", VARIANTS[request.param])


@pytest.fixture
def database_url() -> Iterator[str]:
    """A database of its own, so other tests' rows and truncations never meet these."""
    base = required_env("TEST_DATABASE_URL")
    if shutil.which("psql") is None:
        yield base
        return
    name = f"sp_frontend_{uuid.uuid4().hex[:10]}"
    run(["psql", base, "-qc", f'CREATE DATABASE "{name}"'], Path.cwd())
    parts = urlsplit(base)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        subprocess.run(
            ["psql", base, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
            capture_output=True,
            check=False,
        )


def _copy(project: Path, dest: Path) -> Path:
    """A copy with the frontend's dependencies installed as a user's `make dev` installs them
    (generating the project installs none: its types come from a shared tool install)."""
    shutil.copytree(project, dest, symlinks=True)
    assert not (dest / "frontend" / "node_modules").exists()
    run([str(dest / "scripts" / "ensure-frontend-deps.sh")], dest)
    return dest


@pytest.mark.e2e
def test_package_json_is_pinned_and_locked_for_every_platform(variant: tuple[str, Path]) -> None:
    name, project = variant
    frontend = project / "frontend"
    package = json.loads((frontend / "package.json").read_text())
    lock = json.loads((frontend / "package-lock.json").read_text())

    specs = {**package["dependencies"], **package["devDependencies"]}
    loose = {dep: spec for dep, spec in specs.items() if not re.fullmatch(r"\d+\.\d+\.\d+", spec)}
    assert not loose, f"versions must be pinned exactly: {loose}"
    assert lock["name"] == package["name"] == "my-app-frontend"
    root = lock["packages"][""]
    assert root["dependencies"] == package["dependencies"]
    assert root["devDependencies"] == package["devDependencies"]
    has_tailwind = "tailwindcss" in specs
    assert has_tailwind == (name == "tailwind"), "only the tailwind variant depends on Tailwind"
    assert (frontend / "postcss.config.mjs").exists() == has_tailwind
    assert (frontend / "styles" / "ui.module.css").exists() == (not has_tailwind)

    missing = []
    for key, entry in lock["packages"].items():
        for dep in entry.get("optionalDependencies", {}):
            if PLATFORM_PACKAGE.search(dep) and not any(
                f"{prefix}node_modules/{dep}" in lock["packages"] for prefix in (f"{key}/", "")
            ):
                missing.append(f"{key or '(root)'} -> {dep}")
    assert not missing, "lock lacks native packages of other platforms:\n" + "\n".join(missing)


@pytest.mark.e2e
def test_frontend_chain_and_playwright(
    variant: tuple[str, Path], database_url: str, tmp_path: Path
) -> None:
    name, project = variant
    redis_url = required_env("TEST_REDIS_URL")
    chromium = required_env("PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH")
    frontend = project / "frontend"
    assert (frontend / "lib" / "api" / "schema.d.ts").is_file(), "`npm run generate` did not run"

    copy = _copy(project, tmp_path / project.name)
    web = copy / "frontend"
    assert run(["git", "status", "--porcelain"], copy).stdout == ""

    # The install matches package.json and the lock exactly, and the project's own
    # openapi-typescript writes the same types as the shared install `new` used.
    run(["npm", "ls", "--all"], web)
    run(["npm", "run", "generate"], web)
    status = run(["git", "status", "--porcelain"], copy).stdout
    assert status == "", f"`npm run generate` with the project's own install changed:\n{status}"

    run(["npm", "run", "typecheck"], web)
    run(["npm", "run", "lint"], web)
    run(["npm", "run", "build"], web)
    jest = run(["npm", "test", "--", "--ci"], web)
    assert re.search(r"^Tests:\s+\d+ passed, \d+ total", jest.stderr, re.M), tail(jest.stderr)

    # The API token is read on the server only: nothing shipped to the browser names it.
    leaks = [
        path.relative_to(web).as_posix()
        for path in (web / ".next" / "static").rglob("*.js")
        if "API_TOKEN" in path.read_text(errors="replace")
    ]
    assert not leaks, f"client bundles mention API_TOKEN: {leaks}"

    run(["make", "build-backend"], copy)
    api_port, web_port = _free_ports(2)
    e2e = run(
        ["npm", "run", "test:e2e"],
        web,
        env={
            "CI": "true",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "API_TOKEN": f"e2e-{uuid.uuid4().hex}",
            "PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH": chromium,
            "E2E_API_PORT": str(api_port),
            "E2E_WEB_PORT": str(web_port),
        },
    )
    summary = re.search(r"^\s*(\d+) passed", e2e.stdout, re.M)
    assert summary and int(summary.group(1)) >= 3, tail(e2e.stdout)
    assert not re.search(r"^\s*\d+ (failed|flaky|skipped)", e2e.stdout, re.M), tail(e2e.stdout)
    if VARIANTS[name].get("resources"):
        # The list of a resource with a reference filters by it, from a select and from
        # the target's page, and keeps the filter in the URL.
        assert "filter the invoices by customer, from the list" in e2e.stdout, tail(e2e.stdout)

    # Building and testing left every tracked file as generated.
    status = run(["git", "status", "--porcelain"], copy).stdout
    assert status == "", f"the chain changed tracked files:\n{status}"
