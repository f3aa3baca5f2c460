"""nextjs-go end to end, backend half: for each variant the generated Go module is
gofmt-clean, vets, builds, tidies and regenerates to the same bytes; its unit, contract and
integration tests really run against PostgreSQL and Redis; the Kubernetes manifests
validate offline; and the built binary serves the API behind its bearer token.

Each variant is rendered once per session by the `generate` fixture (generators included)
and copied before anything writes to it. Go's build and module caches are shared, so the
second variant mostly links.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from stackprint import generators
from tests.e2e.support import (
    THREE_RESOURCES_ANSWERS,
    free_port,
    required_env,
    run,
    tail,
    with_search_path,
)

pytestmark = pytest.mark.e2e


ROOT = Path(__file__).resolve().parents[2]
BLUEPRINT = ROOT / "blueprints" / "nextjs-go"

# name -> (answers, the resources' names, the collection of the first, a valid input of it
# with its required properties)
VARIANTS: dict[str, tuple[dict[str, Any], list[str], str, dict[str, Any], set[str]]] = {
    "default": (
        {},
        ["product"],
        "products",
        {"name": "Lamp", "description": "A desk lamp.", "price_cents": "1999", "in_stock": True},
        {"name", "description", "price_cents", "in_stock"},
    ),
    "three-resources": (
        THREE_RESOURCES_ANSWERS,
        ["customer", "line_item", "invoice"],
        "customers",
        {"name": "Ada", "email": None, "tier": "pro", "notes": None, "joined_on": "2030-01-02"},
        {"name", "tier", "joined_on"},
    ),
}

# Tests that must PASS (not skip) in every variant: the integration tests need the real
# PostgreSQL and Redis, the contract tests the OpenAPI document.
MUST_PASS = [
    "TestMigrationsAreIdempotent",
    "TestCRUDThroughHTTPWithCache",
    "TestEveryFieldKeepsItsEdgeValues",
    "TestRepositoryErrors",
    "TestPagingAgainstPostgres",
    "TestReadiness",
    "TestQueriesAreTraced",
    "TestRunServesAndShutsDownGracefully",
    "TestResponsesMatchTheContract",
    "TestNotReadyIsADocumentedProblem",
    "TestCRUD",
    "TestListPagesByCursor",
    "TestErrorsAreProblems",
    "TestBearer",
    "TestManifests",
    # The contract as a fuzzer reads it (issue 14).
    "TestWrongMethodListsTheAllowedOnes",
    "TestBodyMustBeJSON",
    "TestMalformedParametersAreNamed",
    "TestRouteNamesAreBounded",
    "TestClientHangUpIsNoServerError",
    "TestEveryCursorOfTheContractsFormIsAPosition",
]
# ...and in the three-resource project, the reference's own.
MUST_PASS_WITH_REFERENCES = ["TestInvoiceCustomerIDReference"]

Variant = tuple[Path, list[str], str, dict[str, Any], set[str]]


@pytest.fixture(scope="module", params=list(VARIANTS))
def variant(
    request: pytest.FixtureRequest, generate: Any, tmp_path_factory: pytest.TempPathFactory
) -> Variant:
    """A private copy of the generated project (the generated one is shared)."""
    answers, names, plural, sample, required = VARIANTS[request.param]
    generated: Path = generate("nextjs-go", answers)
    copy = tmp_path_factory.mktemp(f"nextjs-go-backend-{request.param}") / generated.name
    shutil.copytree(
        generated, copy, symlinks=True, ignore=shutil.ignore_patterns("node_modules", ".next")
    )
    return copy, names, plural, sample, required


def test_generated_code_comes_from_the_generators(variant: Variant) -> None:
    project, names, _, _, _ = variant
    generated = {
        project / "backend/internal/api/gen/api.gen.go": "oapi-codegen",
        project / "backend/internal/persistence/sqlcgen/db.go": "sqlc",
    }
    for name in names:
        generated[project / f"backend/pkg/gen/{name}/v1/{name}.pb.go"] = "protoc-gen-go"
    for path, tool in generated.items():
        assert path.is_file(), f"{path} missing: make generate-go did not run"
        head = path.read_text()[:1500]
        assert "Code generated" in head and tool in head, f"{path} is not {tool} output"
    # ...and none of it is shipped in the blueprint itself.
    for pattern in ("*.pb.go", "*.gen.go", "db.go", "models.go"):
        assert not list(BLUEPRINT.rglob(pattern)), f"blueprint ships generated {pattern}"
    # Committed by stackprint, with nothing left over.
    status = run(["git", "status", "--porcelain"], project).stdout
    assert status == "", f"generated project is not committed clean:\n{status}"


def test_gofmt_vet_build(variant: Variant) -> None:
    backend = variant[0] / "backend"
    unformatted = run(["gofmt", "-l", "."], backend).stdout
    assert unformatted == "", f"gofmt needed:\n{unformatted}"
    run(["go", "vet", "./..."], backend)
    run(["go", "build", "./..."], backend)


GOSEC = "github.com/securego/gosec/v2/cmd/gosec@v2.30.0"


def test_make_lint_and_gosec_report_nothing(generate: Any, tmp_path: Path) -> None:
    """staticcheck (in `make lint-backend`) and gosec find nothing in either Go module of
    the three-resource project, which has every field type."""
    generated: Path = generate("nextjs-go", THREE_RESOURCES_ANSWERS)
    project = tmp_path / generated.name
    shutil.copytree(
        generated, project, symlinks=True, ignore=shutil.ignore_patterns("node_modules")
    )
    run(["make", "lint-backend"], project)
    for module in ("backend", "infrastructure/k8s"):
        run(["go", "run", GOSEC, "-quiet", "-exclude-generated", "./..."], project / module)


def test_regenerate_and_tidy_change_nothing(variant: Variant) -> None:
    project = variant[0]
    # With stackprint's protoc, as `new` ran it: a machine need not have protoc on PATH.
    run(["make", "generate-go"], project, env=generators.toolchain_env())
    status = run(["git", "status", "--porcelain"], project).stdout
    assert status == "", f"a second `make generate-go` changed files:\n{status}"
    run(["go", "mod", "tidy"], project / "backend")
    status = run(["git", "status", "--porcelain"], project).stdout
    assert status == "", f"`go mod tidy` changed go.mod/go.sum:\n{status}"


def test_go_tests_pass_against_postgres_and_redis(variant: Variant) -> None:
    database_url = required_env("TEST_DATABASE_URL")
    redis_url = required_env("TEST_REDIS_URL")
    project = variant[0]
    env = {"CI": "true", "TEST_DATABASE_URL": database_url, "TEST_REDIS_URL": redis_url}
    out = run(["go", "test", "-count=1", "-v", "./..."], project / "backend", env=env).stdout
    out += run(["go", "test", "-count=1", "-v", "./..."], project / "infrastructure/k8s").stdout
    assert "--- SKIP" not in out, tail(out)
    must_pass = MUST_PASS + (MUST_PASS_WITH_REFERENCES if "invoice" in variant[1] else [])
    for name in must_pass:
        assert f"--- PASS: {name} " in out, f"{name} did not pass:\n{tail(out)}"
    if shutil.which("terraform"):
        run(["terraform", "fmt", "-check", "-recursive", "infrastructure/terraform"], project)


def _request(
    method: str, url: str, token: str | None = None, body: dict[str, Any] | None = None
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def test_binary_serves_the_api_behind_the_token(variant: Variant) -> None:
    database_url = required_env("TEST_DATABASE_URL")
    redis_url = required_env("TEST_REDIS_URL")
    project, _, plural, sample, required = variant
    psql = shutil.which("psql")
    if psql is None:
        pytest.fail("psql is needed to create the isolated schema of this check")

    run(["make", "build-backend"], project)
    binary = project / "backend/bin/api"
    assert binary.is_file()

    schema = f"e2e_{secrets.token_hex(5)}"
    run([psql, database_url, "-v", "ON_ERROR_STOP=1", "-c", f"CREATE SCHEMA {schema}"], project)
    token = secrets.token_hex(16)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": with_search_path(database_url, schema),
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": f"{schema}:",
        "API_TOKEN": token,
        "HTTP_ADDR": f"127.0.0.1:{port}",
    }
    log_path = project / "api.log"  # a file, not a pipe: a full pipe would block the server
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [str(binary)], cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _request("GET", f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, f"api exited: {log_path.read_text()[-3000:]}"
            assert time.monotonic() < deadline, "api did not become healthy in 30s"
            time.sleep(0.2)

        collection = f"{base}/v1/{plural}"
        assert _request("GET", f"{base}/readyz")[0] == 200
        status, problem = _request("GET", collection)
        assert status == 401 and problem["status"] == 401, problem
        assert _request("GET", collection, token="wrong-token")[0] == 401
        assert _request("POST", collection, body=sample)[0] == 401

        status, listing = _request("GET", collection, token=token)
        assert (status, listing) == (200, {"items": [], "next_cursor": None})

        status, created = _request("POST", collection, token=token, body=sample)
        assert status == 201, created
        assert {k: created[k] for k in sample} == sample
        item = f"{collection}/{created['id']}"

        assert _request("GET", item)[0] == 401
        status, fetched = _request("GET", item, token=token)
        assert (status, fetched) == (200, created)
        status, listing = _request("GET", collection, token=token)
        assert (status, listing) == (200, {"items": [created], "next_cursor": None})

        status, problem = _request("POST", collection, token=token, body={})
        assert status == 422 and {e["field"] for e in problem["errors"]} == required
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
            log.close()
            subprocess.run(
                [psql, database_url, "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE"],
                capture_output=True,
                check=False,
            )
    assert code == 0, f"api did not shut down cleanly (exit {code}): {log_path.read_text()[-3000:]}"
