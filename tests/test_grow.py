"""`add resource`, `add field`, `remove resource`: the library calls, their errors, the CLI.

Most tests use a tiny blueprint with resources and a migration history (no generator
steps, so they are fast); one runs the flow on go-api, spec-kit feature and GORM included.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import stackprint
from stackprint import blueprints, yamlio
from stackprint.cli import main
from stackprint.create import create, prepare_answers
from stackprint.errors import (
    ConflictError,
    InvalidAnswerError,
    NotAProjectError,
    RefusedError,
    UsageError,
)
from stackprint.grow import GrowResult
from tests.conftest import MakeBlueprint

COPIER_YML = """\
_subdirectory: template
_jinja_extensions: [stackprint.resources.jinja.ResourcesExtension]
_stackprint:
  title: resources and a migration history, for tests
project_name:
  type: str
  default: shop
resources:
  type: yaml
  default:
    - {name: customer, plural: customers, fields: ["name:string", "email:string?"]}
  validator: "{{ resources | resources_error }}"
migrations:
  type: yaml
  when: false
  default: "{{ resources | initial_migrations }}"
"""

FILES = {
    "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}",
    "README.md.jinja": (
        "# {{ project_name }}\n\nIntro.\n\n## Resources\n\n"
        "{% for r in resources | resource_model %}- {{ r.plural }}\n{% endfor %}"
        "\n## Running\n\nmake run\n"
    ),
    "routes.txt.jinja": (
        "routes\n\n{% for r in resources | resource_model %}/{{ r.path }} {{ r.pascal }}\n"
        "{% endfor %}\nend of routes\n"
    ),
    "handlers/{% yield r from resources | resource_model %}{{ r.name }}{% endyield %}.go.jinja": (
        "package handlers\n\n// {{ r.go }} handles {{ r.plural }}.\n"
        "type {{ r.go }} struct {\n"
        "{% for f in r.fields %}\t{{ f.go_ident }} {{ '*' if f.optional }}{{ f.go }}\n"
        "{% endfor %}}\n\n// end of {{ r.name }}\n"
    ),
    "migrations/{% yield m from migrations | migration_model %}{{ m.file }}{% endyield %}.jinja": (
        "{{ m.sql }}"
    ),
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def commit(cwd: Path, message: str = "user edit") -> None:
    git(cwd, "add", "--all")
    git(cwd, "-c", "user.name=u", "-c", "user.email=u@x", "commit", "-qm", message)


@pytest.fixture
def shop(make_blueprint: MakeBlueprint, tmp_path: Path) -> Path:
    root = make_blueprint(copier_yml=COPIER_YML, files=FILES, name="shopping")
    blueprint = blueprints.load(str(root))
    dest = tmp_path / "shop"
    create(
        dest, blueprint, prepare_answers(blueprint, {}, dest=dest, use_defaults=True, asker=None)
    )
    return dest


INVOICE = "invoice=number:string,total:float,customer:ref(customer)"


def answers(project: Path) -> dict[str, object]:
    data = yamlio.load((project / ".copier-answers.yml").read_text())
    assert isinstance(data, dict)
    return data


def test_add_resource_adds_it_everywhere_and_keeps_the_users_edits(shop: Path) -> None:
    handler = shop / "handlers" / "customer.go"
    handler.write_text(handler.read_text().replace("// end of customer", "// my note"))
    readme = shop / "README.md"
    readme.write_text(readme.read_text().replace("Intro.", "Our shop, by us."))
    commit(shop)
    migration = (shop / "migrations" / "0001_create_customers.sql").read_bytes()

    result = stackprint.add_resource(shop / "handlers", spec=INVOICE)  # from a subfolder

    assert "handlers/invoice.go" in result.files("added")
    assert "/invoices Invoice" in (shop / "routes.txt").read_text()
    assert "// my note" in handler.read_text()
    assert "Our shop, by us." in readme.read_text() and "- invoices" in readme.read_text()
    assert result.migrations_added == ["0002_create_invoices.sql"]
    assert (shop / "migrations" / "0001_create_customers.sql").read_bytes() == migration
    assert "REFERENCES customers (id)" in (shop / "migrations/0002_create_invoices.sql").read_text()
    recorded = answers(shop)
    assert [r["name"] for r in recorded["resources"]] == ["customer", "invoice"]  # type: ignore[index, union-attr]
    assert git(shop, "status", "--porcelain") == ""
    report = result.as_json()
    assert report["command"] == "add resource" and report["resource"] == "invoice"
    assert report["conflicts"] == [] and report["feature"] is None  # no spec-kit here
    json.dumps(report)


def test_add_field_adds_a_migration_and_keeps_the_earlier_files(shop: Path) -> None:
    stackprint.add_resource(shop, spec=INVOICE)
    before = {p.name: p.read_bytes() for p in (shop / "migrations").iterdir()}

    result = stackprint.add_field(shop, resource="invoice", fields=["due_on:date", "notes:text?"])

    assert result.migrations_added == ["0003_add_2_columns_to_invoices.sql"]
    sql = (shop / "migrations" / "0003_add_2_columns_to_invoices.sql").read_text()
    assert "ADD COLUMN due_on date NOT NULL DEFAULT '0001-01-01';" in sql
    assert "ADD COLUMN notes text CHECK" in sql
    assert {n: (shop / "migrations" / n).read_bytes() for n in before} == before
    assert "\tDueOn time.Time\n\tNotes *string\n" in (shop / "handlers/invoice.go").read_text()
    diff = git(shop, "diff", "--name-status", "HEAD~1", "HEAD", "--", "migrations")
    assert diff.split() == ["A", "migrations/0003_add_2_columns_to_invoices.sql"]


def test_an_edit_that_overlaps_the_change_conflicts_in_that_hunk_only(shop: Path) -> None:
    routes = shop / "routes.txt"
    routes.write_text(
        routes.read_text().replace("/customers Customer", "/customers Customer (ours)")
    )
    readme = shop / "README.md"
    readme.write_text(readme.read_text().replace("make run", "make serve"))
    commit(shop)

    with pytest.raises(
        ConflictError, match="add resource invoice merged with conflicts in 1 file"
    ) as info:
        stackprint.add_resource(shop, spec=INVOICE)

    assert info.value.paths == ["routes.txt"]
    assert isinstance(info.value.result, GrowResult)
    text = routes.read_text()
    assert text.count("<<<<<<<") == 1
    assert text.startswith("routes\n\n<<<<<<<")  # the hunk, not the file
    assert text.endswith(">>>>>>> " + text.rsplit(">>>>>>> ", 1)[1])
    assert text.rsplit(">>>>>>> ", 1)[1].split("\n", 1)[1] == "\nend of routes\n"
    assert "make serve" in readme.read_text() and "- invoices" in readme.read_text()
    with pytest.raises(RefusedError, match="a merge is in progress"):
        stackprint.add_field(shop, resource="customer", fields=["phone:string?"])
    git(shop, "merge", "--abort")  # git's own undo of a conflicted merge
    assert git(shop, "status", "--porcelain") == ""
    assert "/customers Customer (ours)" in routes.read_text()


def test_pretend_lists_the_change_and_writes_nothing(shop: Path) -> None:
    head = git(shop, "rev-parse", "HEAD")
    result = stackprint.add_resource(shop, spec=INVOICE, pretend=True)
    assert result.pretend and "handlers/invoice.go" in result.files("added")
    assert "routes.txt" in result.files("changed")
    assert git(shop, "rev-parse", "HEAD") == head
    assert git(shop, "status", "--porcelain") == ""
    assert not (shop / "handlers" / "invoice.go").exists()


def test_remove_resource_keeps_the_files_the_user_changed_and_the_table(shop: Path) -> None:
    stackprint.add_resource(shop, spec=INVOICE)
    stackprint.add_resource(shop, spec="tag=label:string")
    tag = shop / "handlers" / "tag.go"
    tag.write_text(tag.read_text() + "// ours\n")
    commit(shop)

    preview = stackprint.remove_resource(shop, name="tag", pretend=True)
    assert preview.kept == ["handlers/tag.go"] and preview.table_kept == "tags"

    result = stackprint.remove_resource(shop, name="tag")

    assert result.kept == ["handlers/tag.go"] and tag.read_text().endswith("// ours\n")
    assert result.table_kept == "tags" and result.migrations_added == []
    assert "/tags" not in (shop / "routes.txt").read_text()
    assert git(shop, "status", "--porcelain") == ""
    assert any("tags table" in step for step in result.next_steps)


def test_remove_resource_with_drop_table_adds_the_drop_and_removes_unchanged_files(
    shop: Path,
) -> None:
    stackprint.add_resource(shop, spec="tag=label:string")
    result = stackprint.remove_resource(shop, name="tag", drop_table=True)
    assert result.migrations_added == ["0003_drop_tags.sql"] and result.table_kept is None
    assert "DROP TABLE IF EXISTS tags;" in (shop / "migrations/0003_drop_tags.sql").read_text()
    assert not (shop / "handlers" / "tag.go").exists() and result.kept == []
    # The resource can come back: its table is created again.
    again = stackprint.add_resource(shop, spec="tag=label:string,colour:string?")
    assert again.migrations_added == ["0004_create_tags.sql"]


def test_refusals_and_errors_are_typed_and_change_nothing(shop: Path, tmp_path: Path) -> None:
    head = git(shop, "rev-parse", "HEAD")
    stackprint.add_resource(shop, spec=INVOICE)
    head = git(shop, "rev-parse", "HEAD")
    with pytest.raises(RefusedError, match=r"referenced by invoice\.customer"):
        stackprint.remove_resource(shop, name="customer")
    with pytest.raises(RefusedError, match="already has a resource 'invoice'"):
        stackprint.add_resource(shop, spec="invoice=x:int")
    with pytest.raises(RefusedError, match="already has a field 'total'"):
        stackprint.add_field(shop, resource="invoice", fields=["total:int"])
    with pytest.raises(UsageError, match="no resource 'order'"):
        stackprint.add_field(shop, resource="order", fields=["x:int"])
    with pytest.raises(UsageError, match="unknown type"):
        stackprint.add_field(shop, resource="invoice", fields=["x:money"])
    with pytest.raises(InvalidAnswerError, match=r"required reference.*payer:ref\(customer\)\?"):
        stackprint.add_field(shop, resource="invoice", fields=["payer:ref(customer)"])
    with pytest.raises(InvalidAnswerError, match="references 'nobody'"):
        stackprint.add_resource(shop, spec="note=about:ref(nobody)")
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(NotAProjectError):
        stackprint.add_resource(tmp_path / "elsewhere", spec="a=b:int")
    (shop / "README.md").write_text("dirty\n")
    with pytest.raises(RefusedError, match="uncommitted changes"):
        stackprint.add_field(shop, resource="invoice", fields=["due_on:date"])
    git(shop, "checkout", "--", "README.md")
    assert git(shop, "rev-parse", "HEAD") == head
    assert git(shop, "status", "--porcelain") == ""


def test_the_last_resource_cannot_be_removed(shop: Path) -> None:
    with pytest.raises(RefusedError, match="only resource"):
        stackprint.remove_resource(shop, name="customer")


# ---- the command line ---------------------------------------------------------------------


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def test_cli_add_resource_json_and_add_field(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["add", "resource", INVOICE, "-C", str(shop), "--json"], capsys)
    assert code == 0
    report = json.loads(out)
    assert report["command"] == "add resource"
    assert "handlers/invoice.go" in report["files"]["added"]
    assert report["migrations_added"] == ["0002_create_invoices.sql"]

    code, out, _ = run_cli(["add", "field", "invoice", "due_on:date", "-C", str(shop)], capsys)
    assert code == 0
    assert "0003_add_due_on_to_invoices.sql" in out and "changed  handlers/invoice.go" in out


def test_cli_remove_resource_says_the_table_stays(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(["add", "resource", "tag=label:string", "-C", str(shop), "-q"], capsys)
    code, out, _ = run_cli(["remove", "resource", "tag", "-C", str(shop)], capsys)
    assert code == 0
    assert "The tags table and its rows stay in the database" in out


def test_cli_errors_are_one_line_with_their_exit_code(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(["add", "resource", INVOICE, "-C", str(shop), "-q"], capsys)
    code, _, err = run_cli(["remove", "resource", "customer", "-C", str(shop)], capsys)
    assert code == 4 and err.count("\n") == 1 and "referenced by invoice.customer" in err
    routes = shop / "routes.txt"
    routes.write_text(routes.read_text().replace("/invoices Invoice", "/invoices Bills"))
    commit(shop)
    code, _, err = run_cli(["add", "resource", "tag=label:string", "-C", str(shop)], capsys)
    assert code == 1 and "  routes.txt" in err and "git merge --abort" in err
    git(shop, "merge", "--abort")  # git's own undo of a conflicted merge
    code, _, _ = run_cli(["add", "field", "invoice", "-C", str(shop)], capsys)
    assert code == 2  # a usage error: no field given


# ---- go-api: generators, spec-kit and the GORM model --------------------------------------


def test_go_api_gains_a_resource_with_its_feature_branch_and_gorm_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "api"
    stackprint.new(
        project,
        blueprint="go-api",
        defaults=True,
        resources=["customer=name:string,email:string?"],
    )
    head = git(project, "rev-parse", "HEAD")
    preview = stackprint.add_resource(project, spec=INVOICE, pretend=True)
    code, out, _ = run_cli(["add", "resource", INVOICE, "-C", str(project), "--pretend"], capsys)
    assert git(project, "rev-parse", "HEAD") == head
    assert git(project, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(project, "branch", "--list", "002-*") == ""
    plan = preview.planned_feature
    assert preview.feature is None and plan is not None
    assert plan.name == "002-manage-invoices" and plan.on_branch
    report = preview.as_json()["feature"]
    assert report["written"] is False and report["branch"] == "002-manage-invoices"
    assert report["files"]["added"] == [
        f"specs/002-manage-invoices/{doc}"
        for doc in ("spec.md", "plan.md", "data-model.md", "tasks.md")
    ]
    assert code == 0
    assert preview.migrations_added == [] and "New migrations" not in out  # AutoMigrate
    assert "Would commit on new branch 002-manage-invoices, with the feature" in out
    assert "  added    specs/002-manage-invoices/data-model.md\n" in out

    result = stackprint.add_resource(project, spec=INVOICE)

    assert result.feature is not None and result.feature_branch == "002-manage-invoices"
    # The preview named exactly what the feature's commit holds, with the same statuses.
    feature_commit = git(project, "show", "--name-status", "--format=", "HEAD").split()
    assert sorted(plan.changes) == sorted(
        zip(feature_commit[::2], feature_commit[1::2], strict=True)
    )
    assert git(project, "branch", "--show-current").strip() == "002-manage-invoices"
    assert git(project, "status", "--porcelain") == ""
    main_log = git(project, "log", "--format=%s", "main")
    assert "Update to stackprint" not in main_log  # the current branch was left as it was
    data_model = (project / "specs/002-manage-invoices/data-model.md").read_text()
    assert "## Entity: Invoice" in data_model and "## Entity: Customer" not in data_model
    assert (project / "specs/002-manage-invoices/tasks.md").is_file()
    assert "handlers/invoice_handler.go" in result.files("added")

    stackprint.add_field(project, resource="invoice", fields=["due_on:date", "memo:text?"])
    model = (project / "internal/models/invoice.go").read_text()
    assert "`gorm:\"column:due_on;type:date;not null;default:'0001-01-01'\"`" in model
    assert '`gorm:"column:memo;type:text"`' in model
    assert "default:" not in model.split("DueOn")[0]  # fields of the first render: none


def test_interrupted_while_writing_the_feature_the_repository_is_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stackprint.speckit import feature

    project = tmp_path / "api"
    stackprint.new(project, blueprint="go-api", defaults=True, resources=["customer=name:string"])
    head = git(project, "rev-parse", "HEAD")
    real = feature.write_resource_feature

    def interrupted(root: Path, **kwargs: object) -> object:
        real(root, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt  # Ctrl-C after the documents are written, before the commit

    monkeypatch.setattr(feature, "write_resource_feature", interrupted)
    for branch in (True, False):
        with pytest.raises(KeyboardInterrupt):
            stackprint.add_resource(project, spec=INVOICE, branch=branch)
        assert git(project, "branch", "--show-current").strip() == "main"
        assert git(project, "rev-parse", "HEAD") == head
        assert git(project, "status", "--porcelain", "--untracked-files=all") == ""
        assert git(project, "branch", "--list", "002-*") == ""


def test_a_fresh_clone_grows_too(shop: Path, tmp_path: Path) -> None:
    handler = shop / "handlers" / "customer.go"
    handler.write_text(handler.read_text().replace("// end of customer", "// my note"))
    commit(shop)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(shop), str(clone))

    result = stackprint.add_resource(clone, spec=INVOICE)

    assert result.conflicts == [] and "handlers/invoice.go" in result.files("added")
    assert "// my note" in (clone / "handlers" / "customer.go").read_text()
    assert (clone / "migrations" / "0002_create_invoices.sql").is_file()
