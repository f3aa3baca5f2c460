"""nextjs-go's `make db` (scripts/db.sh) against the real PostgreSQL: it creates the role
and the database `.env` names when they are missing, and a second run changes nothing.
The script is not a template, so it runs as the blueprint ships it."""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.e2e.support import required_env, run

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).resolve().parents[2] / "blueprints/nextjs-go/template/scripts/db.sh"


def _psql(url: str, sql: str) -> str:
    return subprocess.run(
        ["psql", url, "--no-psqlrc", "-Atc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_make_db_creates_the_role_and_database_of_database_url(tmp_path: Path) -> None:
    admin = required_env("TEST_DATABASE_URL")  # a role that may create roles and databases
    if shutil.which("psql") is None:
        pytest.fail("psql is needed by scripts/db.sh")
    host = urlsplit(admin).netloc.rsplit("@", 1)[-1]
    suffix = secrets.token_hex(4)
    role, database, password = f"dbsh_{suffix}@app", f"dbsh_{suffix}", "p'a:ss/w%rd"
    url = f"postgres://{quote(role, safe='')}:{quote(password, safe='')}@{host}/{database}"
    (tmp_path / "scripts").mkdir()
    shutil.copy2(SCRIPT, tmp_path / "scripts/db.sh")
    # As a project has it: DATABASE_URL in .env (which the script reads over the
    # environment), the administrator in the environment.
    (tmp_path / ".env").write_text(f"DATABASE_URL={url}?sslmode=disable\n")
    env = {"ADMIN_DATABASE_URL": admin}
    try:
        run(["bash", "scripts/db.sh"], tmp_path, env=env)
        # The new role logs in with the URL's password and owns the new database.
        assert _psql(f"{url}?sslmode=disable", "select current_user, current_database()") == (
            f"{role}|{database}"
        )
        assert (
            _psql(
                admin,
                f"select pg_get_userbyid(datdba) from pg_database where datname = '{database}'",
            )
            == role
        )
        out = run(["bash", "scripts/db.sh"], tmp_path, env=env).stdout
        assert f"database {database} is ready" in out
    finally:
        _psql(admin, f'drop database if exists "{database}"')
        _psql(admin, f'drop role if exists "{role}"')
