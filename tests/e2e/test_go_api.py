"""go-api end to end: generated projects are clean, build, pass their own unit and
PostgreSQL integration tests, regenerate and tidy to the same bytes; bad answers are
refused with a one-line message.

Each variant is rendered once per session by the `generate` fixture (stackprint's own
`new --defaults` path, generators included). Checks that write to the tree run on a copy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import copier
import pytest

from stackprint import blueprints, generators
from stackprint.create import prepare_answers
from stackprint.errors import InvalidAnswerError
from tests.e2e.support import THREE_RESOURCES, run, tail

ROOT = Path(__file__).resolve().parents[2]
BLUEPRINT = ROOT / "blueprints" / "go-api"

# name -> (answers, module path, resource names)
VARIANTS: dict[str, tuple[dict[str, Any], str, list[str]]] = {
    "default": ({}, "github.com/example/my-api", ["product"]),
    "three-resources-auth": (
        {"module_path": "example.org/acme/billing", "resources": THREE_RESOURCES, "auth": True},
        "example.org/acme/billing",
        [str(r["name"]) for r in THREE_RESOURCES],
    ),
}

# Tests that must really run (not skip) against PostgreSQL in every variant, and those of
# each resource (`{R}` is its Go name), with the references of the three-resource project.
INTEGRATION_TESTS = [
    "TestStacksAreIsolated",
    "TestAutoMigrateIsIdempotent",
    "TestReadiness",
    "TestServiceSpansJoinTheRequestTrace",
    "TestRunServesAndShutsDownGracefully",
]
RESOURCE_TESTS = [
    "Test{R}HTTPLifecycle",
    "Test{R}RoundTrip",
    "Test{R}ListPagesAndFilters",
    "Test{R}Indexes",
    "Test{R}ServiceSentinelErrors",
    "Test{R}HTTPErrorCodes",
]
REFERENCE_TESTS = ["TestInvoiceReferences", "TestCustomerReferencedByInvoiceCustomerID"]


def go_name(resource: str) -> str:
    return "".join(word.capitalize() for word in resource.split("_"))


def tracked_files(project: Path) -> list[Path]:
    out = run(["git", "ls-files"], project).stdout.splitlines()
    return [project / name for name in out]


@pytest.fixture(params=list(VARIANTS), ids=list(VARIANTS))
def variant(request: pytest.FixtureRequest, generate: Any) -> tuple[Path, str, list[str]]:
    answers, module, names = VARIANTS[request.param]
    return generate("go-api", answers), module, names


@pytest.mark.e2e
def test_generated_project_is_committed_and_clean(variant: tuple[Path, str, list[str]]) -> None:
    project, module, names = variant
    for stem in names:
        assert (project / "api" / "gen" / "v1" / f"{stem}.pb.go").is_file(), "no make generate"
        assert (project / "api" / "v1" / f"{stem}.proto").is_file()
    assert (project / "go.mod").read_text().startswith(f"module {module}\n")
    tracked = run(["git", "ls-files"], project).stdout.splitlines()
    assert not [name for name in tracked if name.startswith("bin/")], "build tools are committed"

    assert run(["git", "status", "--porcelain"], project).stdout == ""
    assert run(["gofmt", "-l", "."], project).stdout == "", "files need gofmt"

    # The blueprint's own files (not the spec-kit documents, rendered elsewhere) carry
    # no Jinja leftovers, trailing whitespace or extra blank lines at the end.
    problems = []
    for path in tracked_files(project):
        rel = path.relative_to(project).as_posix()
        if rel.startswith((".specify/", "specs/")):
            continue
        text = path.read_text()
        if re.search(r"\{\{ |\{%", text):
            problems.append(f"{rel}: Jinja leftover")
        for number, line in enumerate(text.splitlines(), 1):
            if line != line.rstrip():
                problems.append(f"{rel}:{number}: trailing whitespace")
        if text.endswith("\n\n") or not text.endswith("\n"):
            problems.append(f"{rel}: does not end with exactly one newline")
    assert not problems, "\n".join(problems)


@pytest.mark.e2e
def test_vet_and_build(variant: tuple[Path, str, list[str]]) -> None:
    project, _, _ = variant
    run(["go", "vet", "./..."], project)
    run(["go", "build", "./..."], project)


@pytest.mark.e2e
def test_regenerate_and_tidy_change_nothing(
    variant: tuple[Path, str, list[str]], tmp_path: Path
) -> None:
    project, _, _ = variant
    copy = tmp_path / project.name
    shutil.copytree(project, copy, symlinks=True)

    # The same protoc stackprint used for the first generation (its pinned one first on PATH).
    run(["make", "generate"], copy, env=generators.toolchain_env())
    status = run(["git", "status", "--porcelain"], copy).stdout
    assert status == "", f"a second `make generate` changed the tree:\n{status}"

    run(["go", "mod", "tidy"], copy)
    diff = subprocess.run(
        ["git", "diff", "--exit-code", "go.mod", "go.sum"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
    )
    assert diff.returncode == 0, f"`go mod tidy` changed go.mod/go.sum:\n{tail(diff.stdout)}"


@pytest.mark.e2e
def test_go_test_passes_against_postgres(variant: tuple[Path, str, list[str]]) -> None:
    project, module, names = variant
    database_url = os.environ.get("TEST_DATABASE_URL")
    if not database_url:
        message = "TEST_DATABASE_URL is not set: the integration tests need PostgreSQL"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    result = run(
        ["go", "test", "-count=1", "-v", "./..."],
        project,
        env={"CI": "true", "TEST_DATABASE_URL": database_url},
    )
    out = result.stdout
    assert "--- FAIL" not in out and "--- SKIP" not in out, tail(out, 200)
    expected = INTEGRATION_TESTS + [t.format(R=go_name(n)) for n in names for t in RESOURCE_TESTS]
    if "invoice" in names:
        expected += REFERENCE_TESTS
    for name in expected:
        assert f"--- PASS: {name} " in out, f"{name} did not run and pass:\n{tail(out, 200)}"
    packages = ("handlers", "services", "services/gormstore", "internal/middleware")
    for package in (*packages, "tests/integration", "cmd/api"):
        assert re.search(rf"^ok\s+{re.escape(module)}/{package}\s", out, re.M), (
            f"package {package} did not pass:\n{tail(out, 200)}"
        )


@pytest.mark.e2e
def test_linters_report_nothing(generate: Any) -> None:
    """`make lint`: gofmt, vet, then staticcheck and gosec at their pinned versions, each
    failing on any finding. The three-resource project renders every template they read."""
    project = generate("go-api", VARIANTS["three-resources-auth"][0])
    run(["make", "lint"], project, timeout=1500)


def _one(fields: list[str], name: str = "product") -> dict[str, Any]:
    return {"resources": [{"name": name, "fields": fields}]}


INVALID_ANSWERS = [
    (_one(["a:string"], name="type"), "resource 'type': name 'type' is a reserved word"),
    (_one(["a:string"], name="Product"), "resource 'Product': name 'Product' must be snake_case"),
    (_one(["func:string"]), "resource 'product', field 'func' is a reserved word"),
    (_one(["x:blob"]), "field 'x:blob': unknown type 'blob'"),
    (_one(["id:string"]), "field 'id': id is added for you and reserved"),
    (_one(["name"]), "field 'name' must be written name:type"),
    (_one(["customer:ref(customer)"]), "references 'customer', which is not a resource"),
    ({"module_path": "Foo Bar"}, "module path 'Foo Bar' must not contain spaces"),
    ({"module_path": "github.com//x"}, "must not be empty or have an empty element"),
    ({"module_path": "Example.com/x"}, "must start with a lowercase element"),
    ({"project_name": "my-api-"}, "project name 'my-api-' must be kebab-case"),
]


@pytest.mark.e2e
@pytest.mark.parametrize(("data", "message"), INVALID_ANSWERS)
def test_invalid_answers_are_rejected_with_one_line(
    data: dict[str, Any], message: str, tmp_path: Path
) -> None:
    with pytest.raises(ValueError) as copier_error:
        copier.run_copy(
            str(BLUEPRINT),
            tmp_path / "out",
            data=data,
            defaults=True,
            pretend=True,
            quiet=True,
            unsafe=True,
        )
    text = str(copier_error.value)
    assert message in text and "\n" not in text, text
    assert not (tmp_path / "out").exists()

    # stackprint validates with the same copier.yml before rendering anything.
    with pytest.raises(InvalidAnswerError) as stackprint_error:
        prepare_answers(blueprints.load("go-api"), data, dest=None, use_defaults=True, asker=None)
    assert message in str(stackprint_error.value)
    assert "\n" not in str(stackprint_error.value)
