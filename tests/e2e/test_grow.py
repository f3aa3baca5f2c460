"""Growing real projects: `add resource`, `add field`, `remove resource` on go-api and
nextjs-go, with the team's edits and a PostgreSQL database the project migrated and filled.

One project per blueprint goes through the whole flow (issue 13's "What must show"):
generate with `customer`, edit the customer's handler and service, the router, a page
(nextjs-go) and the README, commit, migrate and fill a database with the project's own
migrations; then `add resource invoice`, `add field invoice due_on:date`,
`add field customer phone:string?` and `remove resource invoice`. After each step: every
edit is still there, the project formats, vets, builds and passes its tests against
PostgreSQL, the database migrates forward with its rows intact, and no existing migration
file changed.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

import stackprint
from tests.e2e.support import free_port, required_env, run, with_search_path

pytestmark = pytest.mark.e2e

STACKPRINT = str(Path(sys.executable).with_name("stackprint"))
CUSTOMER = "customer=name:string,email:string?"
INVOICE = "invoice=number:string,total:float,customer:ref(customer)"


def git(project: Path, *args: str) -> str:
    return run(["git", *args], project).stdout


def commit(project: Path, message: str) -> None:
    git(project, "add", "--all")
    git(
        project,
        "-c",
        "user.name=team",
        "-c",
        "user.email=team@example.org",
        "commit",
        "-qm",
        message,
    )


def stackprint_cli(project: Path, *args: str) -> str:
    return run(
        [STACKPRINT, *args], project / ("backend" if (project / "backend").is_dir() else ".")
    ).stdout


def insert_after(path: Path, anchor: str, text: str) -> str:
    """Put `text` on its own lines after the first line that starts with `anchor`."""
    lines = path.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(anchor))
    lines.insert(at + 1, text)
    path.write_text("".join(lines))
    return text.strip()


def psql(url: str, sql: str, schema: str | None = None) -> str:
    env = {"PGOPTIONS": f"-c search_path={schema}"} if schema else None
    cmd = ["psql", url, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql]
    return run(cmd, Path.cwd(), env=env).stdout.strip()


class Database:
    """A schema of the test database that the project migrates, filled by the test."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.schema = f"grow_{secrets.token_hex(5)}"
        psql(url, f"CREATE SCHEMA {self.schema}")

    @property
    def app_url(self) -> str:
        return with_search_path(self.url, self.schema)

    def query(self, sql: str) -> str:
        return psql(self.url, sql, self.schema)

    def columns(self, table: str) -> set[str]:
        out = self.query(
            "SELECT column_name FROM information_schema.columns "
            f"WHERE table_schema = '{self.schema}' AND table_name = '{table}'"
        )
        return set(out.split())

    def drop(self) -> None:
        psql(self.url, f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")


@pytest.fixture
def database() -> Iterator[Database]:
    db = Database(required_env("TEST_DATABASE_URL"))
    try:
        yield db
    finally:
        db.drop()


# ---- go-api ----------------------------------------------------------------------------

# A migration runner beside the project's code (excluded from git, so no command sees a
# dirty tree): the project's own AutoMigrate on DATABASE_URL, as an embedding app calls it.
GO_API_MIGRATE = """\
package main

import (
	"context"
	"log"
	"os"

	"{module}/internal/database"
	"{module}/services"
)

func main() {{
	ctx := context.Background()
	db, err := database.Open(ctx, os.Getenv("DATABASE_URL"), database.Options{{}})
	if err != nil {{
		log.Fatal(err)
	}}
	if err := services.AutoMigrate(ctx, db); err != nil {{
		log.Fatal(err)
	}}
}}
"""


def go_checks(module_dir: Path, database_url: str) -> None:
    assert run(["gofmt", "-l", "."], module_dir).stdout == ""
    run(["go", "vet", "./..."], module_dir)
    run(["go", "build", "./..."], module_dir)
    out = run(
        ["go", "test", "-count=1", "./..."],
        module_dir,
        env={"CI": "true", "TEST_DATABASE_URL": database_url},
    ).stdout
    assert "FAIL" not in out and "no test files" in out


def test_go_api_grows_with_its_edits_and_its_database(tmp_path: Path, database: Database) -> None:
    project = tmp_path / "shop"
    stackprint.new(project, blueprint="go-api", defaults=True, resources=[CUSTOMER])
    module = "github.com/example/shop"
    edits = {
        "handlers/customer_handler.go": insert_after(
            project / "handlers/customer_handler.go",
            ")",
            "\n// Billing team: keep the handler thin.\n",
        ),
        "services/customer_service.go": insert_after(
            project / "services/customer_service.go",
            ")",
            "\n// Billing team: customers are reviewed weekly.\n",
        ),
        "handlers/routes.go": insert_after(
            project / "handlers/routes.go",
            ")",
            "\n// Platform team: every route is behind the gateway.\n",
        ),
        "README.md": insert_after(
            project / "README.md", "# shop", "\nOwned by the billing team.\n"
        ),
    }
    commit(project, "Team edits")
    runner = project / "cmd" / "grow-e2e-migrate"
    runner.mkdir(parents=True)
    (runner / "main.go").write_text(GO_API_MIGRATE.format(module=module))
    with (project / ".git" / "info" / "exclude").open("a") as exclude:
        exclude.write("/cmd/grow-e2e-migrate/\n")

    def migrate() -> None:
        run(
            ["go", "run", "./cmd/grow-e2e-migrate"], project, env={"DATABASE_URL": database.app_url}
        )

    def check(step: str) -> None:
        for file, text in edits.items():
            assert text in (project / file).read_text(), f"{step}: the edit of {file} was lost"
        assert git(project, "status", "--porcelain") == ""
        go_checks(project, database.url)
        migrate()
        assert database.query("SELECT count(*) FROM customers") == "2", step

    migrate()
    database.query(
        "INSERT INTO customers (id, name, email, created_at, updated_at) VALUES "
        "(gen_random_uuid(), 'Ada', NULL, now(), now()), "
        "(gen_random_uuid(), 'Grace', 'g@example.org', now(), now())"
    )

    out = stackprint_cli(project, "add", "resource", INVOICE)
    assert "on new branch 002-manage-invoices" in out
    assert git(project, "branch", "--show-current").strip() == "002-manage-invoices"
    assert (project / "specs/002-manage-invoices/data-model.md").is_file()
    check("add resource")
    assert {"id", "number", "total", "customer_id"} <= database.columns("invoices")
    customer = database.query("SELECT id FROM customers WHERE name = 'Ada'")
    database.query(
        "INSERT INTO invoices (id, number, total, customer_id, created_at, updated_at) VALUES "
        f"(gen_random_uuid(), 'INV-1', 12.5, '{customer}', now(), now())"
    )

    stackprint_cli(project, "add", "field", "invoice", "due_on:date")
    check("add field invoice")
    assert database.query("SELECT number || ' ' || due_on FROM invoices") == "INV-1 0001-01-01"

    stackprint_cli(project, "add", "field", "customer", "phone:string?")
    check("add field customer")
    assert "phone" in database.columns("customers")
    assert database.query("SELECT count(*) FROM customers WHERE phone IS NULL") == "2"

    out = stackprint_cli(project, "remove", "resource", "invoice")
    assert "The invoices table and its rows stay in the database" in out
    assert not (project / "handlers/invoice_handler.go").exists()
    check("remove resource")
    assert database.query("SELECT count(*) FROM invoices") == "1"  # AutoMigrate never drops


# ---- nextjs-go ---------------------------------------------------------------------------

NEXTJS_MIGRATE = """\
package main

import (
	"context"
	"log"
	"os"

	"{module}/internal/persistence"
	"{module}/internal/platform/database"
)

func main() {{
	ctx := context.Background()
	pool, err := database.Open(ctx, os.Getenv("DATABASE_URL"), os.Getenv("DATABASE_SCHEMA"))
	if err != nil {{
		log.Fatal(err)
	}}
	defer pool.Close()
	if _, err := persistence.Migrate(ctx, pool); err != nil {{
		log.Fatal(err)
	}}
}}
"""

MIGRATIONS = "backend/internal/persistence/migrations"


def fresh_database(base: str) -> tuple[str, Callable[[], None]]:
    """A database of its own for one Playwright run (its tests truncate what they use)."""
    name = f"sp_grow_{secrets.token_hex(5)}"
    psql(base, f'CREATE DATABASE "{name}"')
    parts = urlsplit(base)

    def drop() -> None:
        subprocess.run(
            ["psql", base, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
            capture_output=True,
            check=False,
        )

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def frontend_checks(project: Path, database_url: str, redis_url: str, specs: list[str]) -> None:
    web = project / "frontend"
    run(["npm", "run", "typecheck"], web)
    run(["npm", "run", "lint"], web)
    run(["npm", "run", "build"], web)
    jest = run(["npm", "test", "--", "--ci"], web)
    assert re.search(r"^Tests:\s+\d+ passed, \d+ total", jest.stderr, re.M), jest.stderr[-2000:]
    run(["make", "build-backend"], project)
    url, drop = fresh_database(database_url)
    try:
        ports = [free_port(), free_port()]
        e2e = run(
            ["npm", "run", "test:e2e", "--", *specs],
            web,
            env={
                "CI": "true",
                "DATABASE_URL": url,
                "REDIS_URL": redis_url,
                "API_TOKEN": f"e2e-{secrets.token_hex(8)}",
                "PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH": required_env(
                    "PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH"
                ),
                "E2E_API_PORT": str(ports[0]),
                "E2E_WEB_PORT": str(ports[1]),
            },
        )
    finally:
        drop()
    assert re.search(r"^\s*\d+ passed", e2e.stdout, re.M), e2e.stdout[-3000:]
    assert not re.search(r"^\s*\d+ (failed|flaky|skipped)", e2e.stdout, re.M), e2e.stdout[-3000:]


def test_nextjs_go_grows_with_its_edits_and_its_database(
    tmp_path: Path, database: Database
) -> None:
    redis_url = required_env("TEST_REDIS_URL")
    for tool in ("node", "npm", "go", "make"):
        assert shutil.which(tool), f"{tool} is needed"
    project = tmp_path / "shop"
    stackprint.new(project, blueprint="nextjs-go", defaults=True, resources=[CUSTOMER])
    backend = project / "backend"
    module = next(
        line.split()[1]
        for line in (backend / "go.mod").read_text().splitlines()
        if line.startswith("module ")
    )
    edits = {
        "backend/internal/api/customer.go": insert_after(
            backend / "internal/api/customer.go", ")", "\n// Billing team: keep the handler thin.\n"
        ),
        "backend/internal/domain/customer.go": insert_after(
            backend / "internal/domain/customer.go",
            "package ",
            "\n// Billing team: customers are reviewed weekly.\n",
        ),
        "backend/internal/api/server.go": insert_after(
            backend / "internal/api/server.go",
            ")",
            "\n// Platform team: every route is behind the gateway.\n",
        ),
        "frontend/app/customers/page.tsx": insert_after(
            project / "frontend/app/customers/page.tsx",
            "import",
            "// Billing team: reviewed weekly.\n",
        ),
        "README.md": insert_after(project / "README.md", "# ", "\nOwned by the billing team.\n"),
    }
    commit(project, "Team edits")
    runner = backend / "cmd" / "grow-e2e-migrate"
    runner.mkdir(parents=True)
    (runner / "main.go").write_text(NEXTJS_MIGRATE.format(module=module))
    with (project / ".git" / "info" / "exclude").open("a") as exclude:
        exclude.write("/backend/cmd/grow-e2e-migrate/\n")
    run([str(project / "scripts" / "ensure-frontend-deps.sh")], project)  # as `make dev` does
    installed = (project / "frontend/node_modules/.package-lock.json").stat().st_mtime_ns

    def migrate() -> None:
        run(
            ["go", "run", "./cmd/grow-e2e-migrate"],
            backend,
            env={"DATABASE_URL": database.url, "DATABASE_SCHEMA": database.schema},
        )

    def check(step: str, before: str, specs: list[str]) -> None:
        for file, text in edits.items():
            assert text in (project / file).read_text(), f"{step}: the edit of {file} was lost"
        assert git(project, "status", "--porcelain") == ""
        # Migrations are only ever added.
        assert (
            git(
                project, "diff", "--diff-filter=MD", "--name-only", before, "HEAD", "--", MIGRATIONS
            )
            == ""
        )
        node_modules = project / "frontend/node_modules/.package-lock.json"
        assert node_modules.stat().st_mtime_ns == installed, f"{step} reinstalled node_modules"
        assert run(["gofmt", "-l", "."], backend).stdout == ""
        run(["go", "vet", "./..."], backend)
        run(
            ["go", "test", "-count=1", "./..."],
            backend,
            env={"CI": "true", "TEST_DATABASE_URL": database.url, "TEST_REDIS_URL": redis_url},
        )
        frontend_checks(project, database.url, redis_url, specs)
        migrate()
        assert database.query("SELECT count(*) FROM customers") == "2", step

    migrate()
    database.query(
        "INSERT INTO customers (id, name, email, created_at, updated_at) VALUES "
        "(gen_random_uuid(), 'Ada', NULL, now(), now()), "
        "(gen_random_uuid(), 'Grace', 'g@example.org', now(), now())"
    )

    before = git(project, "rev-parse", "HEAD").strip()
    out = stackprint_cli(project, "add", "resource", INVOICE)
    assert "on new branch 002-manage-invoices" in out
    assert (project / f"{MIGRATIONS}/0002_create_invoices.sql").is_file()
    check("add resource", before, ["tests/e2e/invoices.spec.ts"])
    assert {"id", "number", "total", "customer_id"} <= database.columns("invoices")
    customer = database.query("SELECT id FROM customers WHERE name = 'Ada'")
    database.query(
        "INSERT INTO invoices (id, number, total, customer_id, created_at, updated_at) VALUES "
        f"(gen_random_uuid(), 'INV-1', 12.5, '{customer}', now(), now())"
    )

    before = git(project, "rev-parse", "HEAD").strip()
    stackprint_cli(project, "add", "field", "invoice", "due_on:date")
    check("add field invoice", before, ["tests/e2e/invoices.spec.ts"])
    assert database.query("SELECT number || ' ' || due_on FROM invoices") == "INV-1 0001-01-01"

    before = git(project, "rev-parse", "HEAD").strip()
    stackprint_cli(project, "add", "field", "customer", "phone:string?")
    check(
        "add field customer", before, ["tests/e2e/invoices.spec.ts", "tests/e2e/customers.spec.ts"]
    )
    assert "phone" in database.columns("customers")

    before = git(project, "rev-parse", "HEAD").strip()
    out = stackprint_cli(project, "remove", "resource", "invoice")
    assert "The invoices table and its rows stay in the database" in out
    assert not (project / "frontend/app/invoices").exists()
    # The previous build's route types name the removed pages; the command says to clear it.
    assert "Next: rm -rf frontend/.next" in out
    shutil.rmtree(project / "frontend/.next")
    check("remove resource", before, ["tests/e2e/customers.spec.ts"])
    assert database.query("SELECT count(*) FROM invoices") == "1"
