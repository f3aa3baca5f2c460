"""What the spec-kit documents learn of a project's HTTP routes."""

from __future__ import annotations

from pathlib import Path

from stackprint.speckit import scan

CONTRACT = """openapi: 3.1.0
info: {title: Shop, version: 1.0.0}
paths:
  /v1/products:
    get: {summary: List products}
    post: {operationId: createProduct}
"""


def _routes(project: Path) -> list[tuple[str, str, str, str]]:
    return [(e.method, e.path, e.summary, e.source) for e in scan.endpoints(project)]


def test_an_openapi_document_is_read_after_a_long_header(tmp_path: Path) -> None:
    header = "".join(
        f"# Licence line {i}: this contract is shared by every team.\n" for i in range(8)
    )
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "openapi.yaml").write_text(header + CONTRACT, encoding="utf-8")
    (tmp_path / "main.go").write_text('mux.HandleFunc("GET /health", health)\n', encoding="utf-8")

    assert _routes(tmp_path) == [
        ("GET", "/v1/products", "List products", "api/openapi.yaml"),
        ("POST", "/v1/products", "createProduct", "api/openapi.yaml"),
    ]


def test_yaml_that_only_mentions_openapi_leaves_the_go_routes(tmp_path: Path) -> None:
    (tmp_path / "ci.yml").write_text("# openapi: checked by the lint job\nopenapi_lint: true\n")
    (tmp_path / "routes.go").write_text(
        'mux.HandleFunc("GET /v1/items/{id}", get)\nmux.HandleFunc("DELETE /v1/items/{id}", del)\n'
    )

    assert _routes(tmp_path) == [
        ("GET", "/v1/items/{id}", "", "routes.go"),
        ("DELETE", "/v1/items/{id}", "", "routes.go"),
    ]
