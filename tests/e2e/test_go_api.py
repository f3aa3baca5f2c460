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
from tests.e2e.support import run, tail

ROOT = Path(__file__).resolve().parents[2]
BLUEPRINT = ROOT / "blueprints" / "go-api"

# name -> (answers, module path, resource file stem)
VARIANTS: dict[str, tuple[dict[str, Any], str, str]] = {
    "default": ({}, "github.com/example/my-api", "product"),
    "invoice-lines-auth": (
        {
            "module_path": "example.org/acme/billing",
            "resource": "invoice_line",
            "resource_plural": "invoice_lines",
            "fields": "title:string,amount:float,due:time,paid:bool,notes:text",
            "auth": True,
        },
        "example.org/acme/billing",
        "invoice_line",
    ),
}

# Tests that must really run (not skip) against PostgreSQL in every variant.
INTEGRATION_TESTS = [
    "TestServiceLifecycle",
    "TestServiceSentinelErrors",
    "TestStacksAreIsolated",
    "TestHTTPLifecycle",
    "TestHTTPErrorCodes",
    "TestReadiness",
    "TestServiceSpansJoinTheRequestTrace",
    "TestRunServesAndShutsDownGracefully",
]


def tracked_files(project: Path) -> list[Path]:
    out = run(["git", "ls-files"], project).stdout.splitlines()
    return [project / name for name in out]


@pytest.fixture(params=list(VARIANTS), ids=list(VARIANTS))
def variant(request: pytest.FixtureRequest, generate: Any) -> tuple[Path, str, str]:
    answers, module, stem = VARIANTS[request.param]
    return generate("go-api", answers), module, stem


@pytest.mark.e2e
def test_generated_project_is_committed_and_clean(variant: tuple[Path, str, str]) -> None:
    project, module, stem = variant
    assert (project / "api" / "gen" / "v1" / f"{stem}.pb.go").is_file(), "make generate did not run"
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
        # `${{ ... }}` is a GitHub Actions expression (the update workflow), not Jinja.
        if re.search(r"(?<!\$)\{\{ |\{%", text):
            problems.append(f"{rel}: Jinja leftover")
        for number, line in enumerate(text.splitlines(), 1):
            if line != line.rstrip():
                problems.append(f"{rel}:{number}: trailing whitespace")
        if text.endswith("\n\n") or not text.endswith("\n"):
            problems.append(f"{rel}: does not end with exactly one newline")
    assert not problems, "\n".join(problems)


@pytest.mark.e2e
def test_vet_and_build(variant: tuple[Path, str, str]) -> None:
    project, _, _ = variant
    run(["go", "vet", "./..."], project)
    run(["go", "build", "./..."], project)


@pytest.mark.e2e
def test_regenerate_and_tidy_change_nothing(variant: tuple[Path, str, str], tmp_path: Path) -> None:
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
def test_go_test_passes_against_postgres(variant: tuple[Path, str, str]) -> None:
    project, module, _ = variant
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
    for name in INTEGRATION_TESTS:
        assert f"--- PASS: {name} " in out, f"{name} did not run and pass:\n{tail(out, 200)}"
    for package in ("handlers", "services", "internal/middleware", "tests/integration", "cmd/api"):
        assert re.search(rf"^ok\s+{re.escape(module)}/{package}\s", out, re.M), (
            f"package {package} did not pass:\n{tail(out, 200)}"
        )


INVALID_ANSWERS = [
    ({"resource": "type"}, "resource 'type' is a Go keyword or predeclared identifier"),
    ({"resource": "Product"}, "resource 'Product' must be singular snake_case"),
    ({"fields": "func:string"}, "field 'func:string': func is a Go keyword"),
    ({"fields": "x:uuid"}, "field 'x:uuid': unknown type 'uuid'"),
    ({"fields": "name:string,name:text"}, "field 'name:text': name is listed twice"),
    ({"fields": "id:string"}, "field 'id:string': id is added automatically and reserved"),
    ({"fields": "name"}, "field 'name' must be written name:type"),
    ({"module_path": "Foo Bar"}, "module path 'Foo Bar' must not contain spaces"),
    ({"module_path": "github.com//x"}, "must not be empty or have an empty element"),
    ({"module_path": "Example.com/x"}, "must start with a lowercase element"),
    ({"project_name": "my-api-"}, "project name 'my-api-' must be kebab-case"),
]


@pytest.mark.e2e
@pytest.mark.parametrize(("data", "message"), INVALID_ANSWERS)
def test_invalid_answers_are_rejected_with_one_line(
    data: dict[str, str], message: str, tmp_path: Path
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
