"""Projects generated before resources were typed are carried forward by `stackprint update`.

The stackprint of commit `LEGACY` (the last one whose answers held one `resource`, its
`resource_plural` and `fields`) is installed into a virtualenv of its own and generates a
project of each blueprint with its defaults and its generators. The team edits it and
commits, and the OLD project's own server migrates a real PostgreSQL schema and fills it
through its API. Then this checkout's `stackprint update` runs in it: the merge must be
clean, the edits kept, the project must build and pass its tests, every migration file it
had must be byte-identical, and the filled database must migrate forward with the NEW
server and keep every row.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from stackprint.generators import toolchain_env
from tests.e2e.service_harness import Server, pg_schema
from tests.e2e.support import required_env, run, with_search_path

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
LEGACY = "956d938938869c917a9ee41be31c8da3fb58da27"
GIT_USER = ["-c", "user.name=Team", "-c", "user.email=team@example.test"]

# The rows the old server stores: the old default resource is `product` with
# name:string,description:text,price_cents:int,in_stock:bool in both blueprints.
# The last price is the old `int`'s maximum: 32-bit in go-api, 64-bit in nextjs-go.
INT_MAX = {"go-api": 2**31 - 1, "nextjs-go": 2**63 - 1}


def products(blueprint: str) -> list[dict[str, object]]:
    return [
        {"name": "Kettle", "description": "Boils water", "price_cents": 2599, "in_stock": True},
        {"name": "Ünïcode mug 😀", "description": "", "price_cents": 0, "in_stock": False},
        {
            "name": "Espresso machine",
            "description": "x" * 500,
            "price_cents": INT_MAX[blueprint],
            "in_stock": True,
        },
    ]


COLUMNS = "id, name, description, price_cents, in_stock, created_at, updated_at"


@dataclass(frozen=True)
class Layout:
    """Where the parts of a blueprint's project are."""

    module: str  # the Go module, relative to the project
    edited: str  # a generated Go file the team comments
    migrations: str | None  # the SQL migration directory, if the project keeps one


LAYOUTS = {
    "go-api": Layout(".", "services/product_service.go", None),
    "nextjs-go": Layout(
        "backend", "backend/internal/domain/product.go", "backend/internal/persistence/migrations"
    ),
}
TEAM_COMMENT = "// Team note: prices are in euro cents; finance owns the rounding rules."
TEAM_README = "Team note: the on-call rota lives in the wiki, not here."


@pytest.fixture(scope="session")
def legacy_stackprint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `stackprint` executable of commit LEGACY, installed into a virtualenv of its own."""
    known = subprocess.run(["git", "cat-file", "-e", f"{LEGACY}^{{commit}}"], cwd=ROOT, check=False)
    assert known.returncode == 0, f"commit {LEGACY} is not in this clone (shallow clone?)"
    base = tmp_path_factory.mktemp("legacy-stackprint")
    source = base / "source"
    archive = subprocess.run(
        ["git", "archive", LEGACY], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(source, filter="data")
    venv = base / "venv"
    run([sys.executable, "-m", "venv", str(venv)], base)
    run([str(venv / "bin" / "pip"), "install", "-q", str(source)], base)
    return venv / "bin" / "stackprint"


def git(project: Path, *args: str) -> str:
    return run(["git", *GIT_USER, *args], project).stdout


def psql_rows(database_url: str, sql: str) -> list[list[str]]:
    """The rows of a query as text, one list per row (NULL as the empty string)."""
    result = run(["psql", database_url, "-X", "-A", "-t", "-F", "\x1f", "-c", sql], Path.cwd())
    return [line.split("\x1f") for line in result.stdout.splitlines() if line]


def request(
    port: int, method: str, path: str, token: str, body: object | None = None
) -> tuple[int, object]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
    finally:
        conn.close()
    return resp.status, json.loads(raw) if raw else None


@dataclass
class Database:
    url: str  # the server's DATABASE_URL (search_path set to `schema`)
    admin_url: str  # for psql, which does not take search_path in the URL
    schema: str
    env: dict[str, str]
    token: str


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    admin = required_env("TEST_DATABASE_URL")
    token = f"tok-{secrets.token_hex(16)}"
    with pg_schema(admin) as schema:
        env = {
            "DATABASE_URL": with_search_path(admin, schema),
            "API_TOKEN": token,
            "REDIS_URL": required_env("TEST_REDIS_URL"),
            "REDIS_KEY_PREFIX": f"legacy-{secrets.token_hex(4)}:",
            "CACHE_TTL": "60s",
        }
        yield Database(with_search_path(admin, schema), admin, schema, env, token)


def build_server(module: Path, binary: Path) -> Path:
    run(["go", "build", "-o", str(binary), "./cmd/api"], module, toolchain_env())
    return binary


def fill_through_old_api(
    project: Path, layout: Layout, db: Database, rows: list[dict[str, object]], tmp: Path
) -> None:
    """The old project's own server migrates the schema; its API stores `rows`."""
    binary = build_server(project / layout.module, tmp / "old-api")
    server = Server(binary, db.env, tmp / "old-api.log").start(timeout=120)
    try:
        for product in rows:
            status, body = request(server.port, "POST", "/v1/products", db.token, product)
            assert status == 201, f"old API refused {product}: {status} {body}"
    finally:
        assert server.stop() == 0, server.log()[-3000:]


def test_projects_of_the_old_stackprint_update_and_keep_their_database(
    blueprint: str, legacy_stackprint: Path, database: Database, tmp_path: Path
) -> None:
    layout = LAYOUTS[blueprint]
    project = tmp_path / "shop"
    run(
        [str(legacy_stackprint), "new", str(project), "--blueprint", blueprint, "--defaults"],
        tmp_path,
        # Its own code only, whatever path the test runs with.
        env={**toolchain_env(), "PYTHONPATH": ""},
    )
    answers = (project / ".copier-answers.yml").read_text()
    assert "resource_plural: products" in answers, "not a project of the old answers"

    # The team's edits, committed.
    edited = project / layout.edited
    source = edited.read_text()
    package_line = source.index("\n", source.index("package ")) + 1
    edited.write_text(source[:package_line] + "\n" + TEAM_COMMENT + source[package_line:])
    readme = project / "README.md"
    title_end = readme.read_text().index("\n") + 1
    readme.write_text(
        readme.read_text()[:title_end] + "\n" + TEAM_README + "\n" + readme.read_text()[title_end:]
    )
    git(project, "commit", "-qam", "team notes")

    # A database the old code migrated and filled.
    rows = products(blueprint)
    fill_through_old_api(project, layout, database, rows, tmp_path)
    table = f"{database.schema}.products"
    before_rows = psql_rows(database.admin_url, f"SELECT {COLUMNS} FROM {table} ORDER BY id")
    assert sorted(r[3] for r in before_rows) == sorted(str(r["price_cents"]) for r in rows)
    before = git(project, "rev-parse", "HEAD").strip()

    # The new stackprint's update, as a user runs it.
    result = subprocess.run(
        [sys.executable, "-m", "stackprint", "update", "--json"],
        cwd=project,
        env={**os.environ, **toolchain_env()},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (
        f"update failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    report = json.loads(result.stdout)
    assert report["conflicts"] == []
    assert not report["up_to_date"]
    assert git(project, "status", "--porcelain") == ""
    recorded = (project / ".copier-answers.yml").read_text()
    assert "resources:" in recorded and "resource_plural:" not in recorded

    # The team's edits are kept.
    assert TEAM_COMMENT in edited.read_text()
    assert TEAM_README in readme.read_text()

    # Every migration file the project had is byte-identical; new ones may join.
    old_files: list[str] = []
    if layout.migrations is not None:
        changed = git(
            project, "diff", "--diff-filter=MD", "--stat", before, "--", layout.migrations
        )
        assert changed == "", f"old migration files changed:\n{changed}"
        old_files = git(project, "ls-tree", "--name-only", before, layout.migrations + "/").split()
        assert len(old_files) == 2

    # It builds and passes its own tests.
    module = project / layout.module
    go_env = {**toolchain_env(), "CI": "true", "TEST_DATABASE_URL": database.admin_url}
    if blueprint == "nextjs-go":
        go_env["TEST_REDIS_URL"] = required_env("TEST_REDIS_URL")
    run(["go", "vet", "./..."], module, go_env)
    run(["go", "build", "./..."], module, go_env)
    run(["go", "test", "-count=1", "./..."], module, go_env)
    if blueprint == "nextjs-go":
        # As a developer of the project would: install what its lockfile pins, then check.
        run(["npm", "ci", "--no-audit", "--no-fund"], project / "frontend")
        run(["npm", "run", "typecheck"], project / "frontend")

    # The new server migrates the filled database forward and serves every row unchanged.
    binary = build_server(module, tmp_path / "new-api")
    server = Server(binary, database.env, tmp_path / "new-api.log").start(timeout=120)
    try:
        after_rows = psql_rows(database.admin_url, f"SELECT {COLUMNS} FROM {table} ORDER BY id")
        assert after_rows == before_rows
        if layout.migrations is not None:
            # Every migration file now in the project has been applied, the old ones once.
            files = sorted(p.name for p in (project / layout.migrations).glob("*.sql"))
            assert len(files) > len(old_files)
            applied = psql_rows(
                database.admin_url,
                f"SELECT version FROM {database.schema}.schema_migrations ORDER BY version",
            )
            assert [Path(v).name for (v,) in applied] == files
            gone = psql_rows(
                database.admin_url,
                f"SELECT to_regclass('{database.schema}.products_row_count') IS NULL",
            )
            assert gone == [["t"]], "the old row-count table should be dropped"
        for row in before_rows:
            status, body = request(server.port, "GET", f"/v1/products/{row[0]}", database.token)
            assert status == 200, f"new API lost product {row[0]}: {status} {body}"
            assert isinstance(body, dict) and body["name"] == row[1]
            assert str(body["price_cents"]) == row[3]
        # Valid for the typed resource: an empty string (the old table wanted 1 to 255
        # characters), and nextjs-go's converted bigint travels as a string.
        price: object = 1 if blueprint == "go-api" else "1"
        added = {"name": "", "description": "", "price_cents": price, "in_stock": True}
        status, body = request(server.port, "POST", "/v1/products", database.token, added)
        assert status == 201, f"new API cannot store into the migrated table: {status} {body}"
    finally:
        assert server.stop() == 0, server.log()[-3000:]
    count = psql_rows(database.admin_url, f"SELECT count(*) FROM {table}")
    assert count == [[str(len(rows) + 1)]]
    # A second migration run (a restart) has nothing left to do and changes nothing.
    server = Server(binary, database.env, tmp_path / "new-api-2.log").start(timeout=120)
    assert server.stop() == 0, server.log()[-3000:]
    kept = psql_rows(database.admin_url, f"SELECT {COLUMNS} FROM {table} ORDER BY id")
    assert [r for r in kept if r[1] != ""] == before_rows


@pytest.fixture(params=["go-api", "nextjs-go"])
def blueprint(request: pytest.FixtureRequest) -> str:
    return str(request.param)
