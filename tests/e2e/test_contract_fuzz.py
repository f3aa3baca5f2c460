"""Each generated service keeps its own contract under a fuzzer: schemathesis, with every
check it has, runs the project's OpenAPI document against the built server (go-api:
`api/openapi.yaml`; nextjs-go: `contracts/openapi/openapi.yaml`) and must report nothing.

Both projects serve the three resources of the e2e suites, a reference among them, with
bearer auth on, against the local PostgreSQL (and Redis for nextjs-go), each in a schema
of its own. The checks include positive and negative data (what the contract allows is
accepted, what it forbids is refused), the documented statuses, headers and bodies, 405
with `Allow` for every undeclared method, auth that is not ignored, and resources that are
gone after a DELETE. The request count is bounded (`--max-examples`, a fixed seed) so a run
stays within a few minutes per service.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from stackprint import generators
from tests.e2e.support import (
    THREE_RESOURCES,
    THREE_RESOURCES_ANSWERS,
    required_env,
    run,
    tail,
    with_search_path,
)

from .service_harness import Server, log_problems, pg_schema

pytestmark = pytest.mark.e2e

TOKEN = "fuzz-token-0123456789abcdef"
MAX_EXAMPLES = 40
SEED = 14

# The cursor of a list is an opaque token only the server issues: no schema can say
# which strings are valid, so the fuzzer sends the first page's (empty) one instead of
# inventing tokens the server rightly refuses. Every other input is fuzzed.
CONFIG = """\
[parameters]
"query.cursor" = ""
"""


@dataclass
class Service:
    name: str
    contract: Path
    binary: Path
    env: dict[str, str]


def _go_api(generate: Any, work: Path) -> Service:
    root = generate(
        "go-api",
        {"module_path": "example.org/acme/billing", "resources": THREE_RESOURCES, "auth": True},
    )
    binary = work / "api"
    run(["go", "build", "-o", str(binary), "./cmd/api"], root)
    return Service("go-api", root / "api" / "openapi.yaml", binary, {})


def _nextjs_go(generate: Any, work: Path) -> Service:
    # Only the Go generators: the frontend's npm install is not needed here.
    generated = generate("nextjs-go", THREE_RESOURCES_ANSWERS, run_generators=False)
    root = work / generated.name
    shutil.copytree(generated, root, symlinks=True)
    run(["make", "generate-go"], root, env=generators.toolchain_env())
    binary = work / "api"
    run(["go", "build", "-o", str(binary), "./cmd/api"], root / "backend")
    env = {
        "REDIS_URL": required_env("TEST_REDIS_URL"),
        "REDIS_KEY_PREFIX": f"fuzz-{work.name}:",
        "CACHE_TTL": "60s",
    }
    return Service("nextjs-go", root / "contracts" / "openapi" / "openapi.yaml", binary, env)


def _schemathesis() -> str:
    """The schemathesis of this interpreter's environment (a `dev` extra), else PATH's."""
    found = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    found = found or shutil.which("schemathesis")
    assert found, "schemathesis is not installed: pip install -e '.[dev]'"
    return found


@pytest.mark.parametrize("blueprint", ["go-api", "nextjs-go"])
def test_schemathesis_finds_nothing(
    blueprint: str, generate: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    database_url = required_env("TEST_DATABASE_URL")
    work = tmp_path_factory.mktemp(f"fuzz-{blueprint}")
    service = (_go_api if blueprint == "go-api" else _nextjs_go)(generate, work)
    config = work / "schemathesis.toml"
    config.write_text(CONFIG)

    with pg_schema(database_url) as schema:
        env = {
            **service.env,
            "DATABASE_URL": with_search_path(database_url, schema),
            "API_TOKEN": TOKEN,
        }
        server = Server(service.binary, env, work / "api.log").start()
        try:
            result = subprocess.run(
                [
                    _schemathesis(),
                    "--config-file",
                    str(config),
                    "run",
                    str(service.contract),
                    "--url",
                    f"http://127.0.0.1:{server.port}",
                    "--checks",
                    "all",
                    "--header",
                    f"Authorization: Bearer {TOKEN}",
                    "--max-examples",
                    str(MAX_EXAMPLES),
                    "--seed",
                    str(SEED),
                    # Hypothesis' example database would carry failures between runs.
                    "--generation-database",
                    "none",
                    "--workers",
                    "1",
                    "--no-color",
                ],
                cwd=work,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
        finally:
            server.stop()

    report = tail(result.stdout + result.stderr, 150)
    assert result.returncode == 0, f"schemathesis found failures on {blueprint}:\n{report}"
    assert "Tested: 0" not in result.stdout, f"schemathesis tested nothing:\n{report}"
    problems = log_problems(server, [TOKEN])
    assert not problems, "\n".join(problems[:20])
