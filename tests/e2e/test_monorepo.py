"""Two stackprint projects in a platform monorepo that has files and history of its own.

A go-api project and a nextjs-go project are generated into two of its directories; the
teams edit both and the unrelated files; a newer copy of each blueprint arrives and each
project is updated from its own directory, and one gains a resource. Each project gets its
blueprint change and keeps its edits, nothing else in the repository moves, no nested
repository exists, a fresh clone holds everything and updates again, both projects build
and pass their tests (the nextjs-go frontend's type check, lint, build, Jest and Playwright
included), and actionlint accepts the workflows at the repository's top. Another team's
uncommitted work elsewhere neither stops the updates nor goes into them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import stackprint
from stackprint.generators import toolchain_env
from stackprint.paths import blueprints_root
from tests.e2e.support import required_env, run
from tests.e2e.test_grow import frontend_checks
from tests.test_baseline import clone
from tests.test_update import commit, git

pytestmark = pytest.mark.e2e

ACTIONLINT = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"
# A Go file of each blueprint without Jinja, which the newer blueprint adds a line to.
CHANGED_GO = {
    "go-api": "internal/database/database.go",
    "nextjs-go": "backend/internal/platform/database/postgres.go",
}
PROJECTS = {"go-api": "services/billing", "nextjs-go": "apps/shop"}


def newer_blueprint(name: str, dest: Path) -> Path:
    """A copy of the bundled blueprint with a README line and a Go comment added."""
    shutil.copytree(blueprints_root() / name, dest)
    readme = dest / "template" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nKept in step by the platform team.\n")
    go_file = dest / "template" / CHANGED_GO[name]
    go_file.write_text(go_file.read_text() + "\n// newer blueprint: kept in step\n")
    return dest


def tree(repo: Path, path: str) -> str:
    return git(repo, "rev-parse", f"HEAD:{path}").strip()


def test_two_projects_in_a_monorepo_update_alone(tmp_path: Path) -> None:
    database = required_env("TEST_DATABASE_URL")
    redis = required_env("TEST_REDIS_URL")
    mono = tmp_path / "platform"
    (mono / "docs").mkdir(parents=True)
    (mono / "docs" / "handbook.md").write_text("# Platform handbook\n")
    (mono / ".github" / "workflows").mkdir(parents=True)
    (mono / ".github" / "workflows" / "docs.yml").write_text(
        "name: docs\non:\n  push:\n    paths: [docs/**]\njobs:\n  check:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: test -f docs/handbook.md\n"
    )
    git(tmp_path, "init", "-q", "--initial-branch=main", str(mono))
    commit(mono, "platform: handbook and docs check")

    for blueprint, where in PROJECTS.items():
        made = stackprint.new(mono / where, blueprint=blueprint, defaults=True)
        assert made.commit == git(mono, "rev-parse", "HEAD").strip()
    billing, shop = mono / PROJECTS["go-api"], mono / PROJECTS["nextjs-go"]
    assert [p.parent for p in mono.rglob(".git")] == [mono]  # no nested repository
    assert git(mono, "status", "--porcelain") == ""
    flows = sorted(p.name for p in (mono / ".github" / "workflows").iterdir())
    assert "services-billing-stackprint-update.yml" in flows
    assert "apps-shop-stackprint-update.yml" in flows
    assert not (billing / ".github").exists() and not (shop / ".github").exists()

    # The teams' edits, in both projects and in the platform's own files.
    (billing / "handlers" / "team_test.go").write_text(
        'package handlers\n\nimport "testing"\n\nfunc TestBillingTeam(t *testing.T) {\n'
        '\tif CodeNotFound == "" {\n\t\tt.Fatal("error codes must not be empty")\n\t}\n}\n'
    )
    shop_readme = shop / "README.md"
    heading, rest = shop_readme.read_text().split("\n", 1)
    shop_readme.write_text(f"{heading}\n\nThe shop team owns this.\n{rest}")
    (mono / "docs" / "handbook.md").write_text("# Platform handbook\n\nOn call: platform.\n")
    commit(mono, "team edits")

    # The platform team's work in progress, left uncommitted while the projects update.
    handbook = mono / "docs" / "handbook.md"
    handbook.write_text(handbook.read_text() + "\nDraft: the new rota.\n")
    (mono / "docs" / "rota.md").write_text("# Rota (draft)\n")
    in_progress = git(mono, "status", "--porcelain")

    newer = {name: newer_blueprint(name, tmp_path / "newer" / name) for name in PROJECTS}
    for blueprint, where in PROJECTS.items():
        others = {p: tree(mono, p) for p in ["docs", *PROJECTS.values()] if p != where}
        result = stackprint.update(
            mono / where / "specs", blueprint=newer[blueprint], trust=True
        )  # from a folder of the project; a conflict would raise
        assert result.conflicts == []
        changed = {path for _, path in result.changes}
        assert f"{where}/README.md" in changed
        assert f"{where}/{CHANGED_GO[blueprint]}" in changed
        assert all(path.startswith(f"{where}/") for path in changed), changed
        merged = git(mono, "diff", "--name-only", "HEAD^1", "HEAD").split()
        assert sorted(merged) == sorted(changed)  # the merge commit holds only those
        assert {p: tree(mono, p) for p in others} == others  # nobody else moved
        assert git(mono, "status", "--porcelain") == in_progress
        go_file = (mono / where / CHANGED_GO[blueprint]).read_text()
        assert go_file.count("// newer blueprint: kept in step") == 1
    assert (billing / "handlers" / "team_test.go").is_file()
    assert shop_readme.read_text().count("The shop team owns this.") == 1
    assert "Kept in step by the platform team." in shop_readme.read_text()
    assert handbook.read_text().endswith("On call: platform.\n\nDraft: the new rota.\n")

    # A fresh clone of the monorepo holds everything, and a resource is added there.
    fresh = clone(mono, tmp_path / "fresh")
    assert git(fresh, "status", "--porcelain") == ""
    assert (fresh / PROJECTS["go-api"] / "handlers" / "team_test.go").is_file()
    before_shop = tree(fresh, PROJECTS["nextjs-go"])
    added = stackprint.update(
        fresh / PROJECTS["go-api"],
        resources=["invoice=number:string,total_cents:bigint"],
        trust=True,
    )
    assert added.conflicts == []
    assert f"{PROJECTS['go-api']}/handlers/invoice_handler.go" in {p for _, p in added.changes}
    assert tree(fresh, PROJECTS["nextjs-go"]) == before_shop
    for where in PROJECTS.values():
        assert stackprint.update(fresh / where, trust=True).up_to_date

    # Both build and pass their tests; the workflows at the top pass actionlint.
    env = {**toolchain_env(), "CI": "true", "TEST_DATABASE_URL": database, "TEST_REDIS_URL": redis}
    billing = fresh / PROJECTS["go-api"]
    run(["go", "vet", "./..."], billing, env)
    out = run(["go", "test", "-count=1", "-v", "./..."], billing, env).stdout
    assert "--- PASS: TestBillingTeam" in out
    shop = fresh / PROJECTS["nextjs-go"]
    run(["go", "vet", "./..."], shop / "backend", env)
    run(["go", "test", "-count=1", "./..."], shop / "backend", env)
    run([str(shop / "scripts" / "ensure-frontend-deps.sh")], shop)  # npm ci, as `make dev`
    frontend_checks(shop, database, redis, [])  # every Playwright spec
    # Installs and builds are ignored by the project's own .gitignore, in its directory.
    assert git(fresh, "status", "--porcelain") == ""
    flow = (fresh / ".github" / "workflows" / "apps-shop-ci.yml").read_text()
    assert "# The checks of `make test` and `make lint`" in flow  # the comments moved too
    run(["go", "run", ACTIONLINT], fresh, env)
