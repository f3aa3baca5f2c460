"""Two changes in a row to a real go-api project, the first merged into main on a forge and
its branch deleted, the second made from a fresh clone: the baseline travels.

With the baseline tag pushed (`git push --follow-tags`, as the next steps say) the fresh
clone finds the pristine commit through it. Without it (a plain `git push`), the bundled
blueprint renders the baseline again from the recorded answers. Either way each change is
there once, nothing conflicts where nobody edited, and the team's edits stay.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import stackprint
from stackprint.errors import ConflictError
from stackprint.generators import toolchain_env
from tests.e2e.support import run
from tests.test_baseline import clone, merge_pull_request
from tests.test_update import commit, git

pytestmark = pytest.mark.e2e

README_EDIT = "Our team runs this service for the billing department.\n"
ROUTES_EDIT = "// Team note: every route below is behind the gateway's auth.\n"
HANDLER_EDIT = "// Team note: products are read far more often than written.\n"


def team_edits(project: Path) -> None:
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\n" + README_EDIT)
    routes = project / "handlers" / "routes.go"
    routes.write_text(
        routes.read_text().replace("package handlers\n", ROUTES_EDIT + "package handlers\n", 1)
    )
    handler = project / "handlers" / "product_handler.go"
    handler.write_text(handler.read_text() + "\n" + HANDLER_EDIT)
    commit(project, "team edits")


@pytest.mark.parametrize(("how", "tags"), [("squash", False), ("rebase", True)])
def test_an_update_then_add_resource_from_a_fresh_clone(
    tmp_path: Path, how: str, tags: bool
) -> None:
    project = stackprint.new(tmp_path / "shop", blueprint="go-api", defaults=True).path
    team_edits(project)
    bare = tmp_path / "forge.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(bare))
    push = ["push", "-q", *(["--follow-tags"] if tags else [])]
    git(project, *push, str(bare), "main")

    member = clone(bare, tmp_path / "member")
    first = stackprint.update(
        member, resources=["invoice=number:string,total_cents:bigint"], branch="up"
    )
    assert first.conflicts == [] and first.commit is not None
    git(member, *push, "-u", "origin", "up")
    merge_pull_request(bare, tmp_path / "maintainer", "up", how)

    fresh = clone(bare, tmp_path / "fresh")
    tagged = git(fresh, "tag", "--list", "stackprint/baseline/*")
    assert (first.commit[:12] in tagged) is tags
    second = stackprint.update(
        fresh, resources=["shipment=carrier:string,invoice:ref(invoice)"]
    )  # a conflict would raise

    assert second.conflicts == []
    changed = {path for _, path in second.changes}
    assert ".copier-answers.yml" in changed and "README.md" in changed  # shipment's lines
    assert "handlers/shipment_handler.go" in changed
    assert "handlers/invoice_handler.go" not in changed
    pristine_parent = git(fresh, "log", "-1", "--format=%B", f"{second.commit}^")
    assert ("again from the recorded answers" in pristine_parent) is not tags
    routes = (fresh / "handlers" / "routes.go").read_text()
    assert routes.count("NewInvoiceHandler(") == 1
    assert routes.count("NewShipmentHandler(") == 1
    assert routes.count(ROUTES_EDIT) == 1
    readme = (fresh / "README.md").read_text()
    assert readme.count(README_EDIT) == 1
    assert readme.count("### Invoice (`/v1/invoices`)") == 1
    assert "**products, invoices, shipments**" in readme
    assert (fresh / "handlers" / "product_handler.go").read_text().count(HANDLER_EDIT) == 1
    answers = yaml.safe_load((fresh / ".copier-answers.yml").read_text())
    assert [r["name"] for r in answers["resources"]] == ["product", "invoice", "shipment"]
    assert git(fresh, "status", "--porcelain") == ""

    env = toolchain_env()
    run(["go", "build", "./..."], fresh, env)
    run(["go", "vet", "./..."], fresh, env)
    assert stackprint.update(fresh).up_to_date


PRODUCT_ROUTE = "\tNewProductHandler(svc.Product, log, maxBodyBytes).register(mux)\n"
OUR_ROUTE = (
    '\tNewProductHandler(svc.Product, log.With("team", "catalog"), maxBodyBytes).register(mux)\n'
)


def test_an_edit_that_overlaps_add_resource_conflicts_in_that_hunk_alone_on_a_fresh_clone(
    tmp_path: Path,
) -> None:
    project = stackprint.new(tmp_path / "shop", blueprint="go-api", defaults=True).path
    bare = tmp_path / "forge.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(bare))
    git(project, "push", "-q", "--follow-tags", str(bare), "main")
    fresh = clone(bare, tmp_path / "fresh")
    routes = fresh / "handlers" / "routes.go"
    original = routes.read_text()
    assert original.count(PRODUCT_ROUTE) == 1
    # Two edits in one file: the product's registration line, which the new resource's
    # registration lands right after, and the package comment, which nothing else touches.
    edited = original.replace(PRODUCT_ROUTE, OUR_ROUTE).replace(
        "package handlers\n", ROUTES_EDIT + "package handlers\n", 1
    )
    routes.write_text(edited)
    readme = fresh / "README.md"
    readme.write_text(readme.read_text() + "\n" + README_EDIT)
    commit(fresh, "team edits")

    with pytest.raises(ConflictError) as info:
        stackprint.add_resource(fresh, spec="invoice=number:string,total_cents:bigint")

    assert info.value.paths == ["handlers/routes.go"]
    # As with `update --branch`: the markers are committed on the new branch, for a pull
    # request; main and the work tree are as they were.
    branch = info.value.result.update.branch
    assert branch is not None and branch.endswith("-manage-invoices")
    assert git(fresh, "status", "--porcelain") == "" and routes.read_text() == edited
    git(fresh, "switch", "-q", branch)
    text = routes.read_text()
    assert text.count("<<<<<<<") == text.count("=======\n") == text.count(">>>>>>>") == 1
    head, rest = text.split("<<<<<<<", 1)
    ours, rest = rest.split("=======\n", 1)
    theirs, tail = rest.split(">>>>>>>", 1)
    # The hunk holds exactly the overlapping lines: ours, and the blueprint's two.
    assert ours.split("\n", 1)[1] == OUR_ROUTE
    assert (
        theirs
        == PRODUCT_ROUTE + "\tNewInvoiceHandler(svc.Invoice, log, maxBodyBytes).register(mux)\n"
    )
    # Everything around it merged: our other edit and the blueprint's other hunk are there.
    assert head.startswith("// Package handlers") and ROUTES_EDIT in head
    assert "\tInvoice InvoiceService\n" in head
    assert tail.split("\n", 1)[1] == original.split(PRODUCT_ROUTE, 1)[1]
    assert readme.read_text().count(README_EDIT) == 1
    assert (fresh / "handlers" / "invoice_handler.go").is_file()
    git(fresh, "switch", "-q", "main")
    assert routes.read_text() == edited
