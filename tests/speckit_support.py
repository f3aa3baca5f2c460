"""Small stackprint projects in tmp dirs for the spec-kit tests.

They are made without Copier: an answers file naming a bundled blueprint, a handful of
files standing in for the generated code, and the spec documents `render_initial` writes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import yaml

from stackprint import blueprints, speckit, vcs
from stackprint.answers import context_of, resolve

CREATED = "2025-03-04"

MAKEFILE = """\
.PHONY: generate test run
## Generate code from the contracts
generate:
\tprotoc --version
test: ## Run the tests
\tgo test ./...
run:
\tgo run ./cmd/api
"""

# Files standing in for each blueprint's generated code.
CODE: dict[str, dict[str, str]] = {
    "go-api": {
        "Makefile": MAKEFILE,
        "go.mod": "module example.com/demo\n\ngo 1.25.0\n",
        "api/v1/product.proto": 'syntax = "proto3";\n',
        "api/gen/v1/product.pb.go": "package apiv1\n",
        "services/errors.go": "package services\n",
        "services/product_service.go": "package services\n",
        "handlers/product_handler.go": textwrap.dedent(
            """\
            package handlers

            func routes(mux *http.ServeMux, h *Handler) {
            \tmux.HandleFunc("POST /v1/products", h.create)
            \tmux.HandleFunc("GET /v1/products/{id}", h.get)
            }
            """
        ),
        "cmd/api/main.go": "package main\n",
        "bin/api": "binary\n",
        "node_modules/x/index.js": "junk\n",
    },
    "nextjs-go": {
        "Makefile": MAKEFILE.replace("generate:", "generate-go:").replace(
            "generate test", "generate-go test"
        ),
        "backend/go.mod": "module example.com/demo/backend\n\ngo 1.26.0\n",
        "backend/internal/domain/errors.go": "package domain\n",
        "contracts/openapi/openapi.yaml": textwrap.dedent(
            """\
            openapi: 3.0.3
            info: {title: demo, version: 1.0.0}
            paths:
              /products:
                get: {summary: List products, responses: {'200': {description: ok}}}
                post: {summary: Create a product, responses: {'201': {description: ok}}}
            """
        ),
        "contracts/proto/product/v1/product.proto": 'syntax = "proto3";\n',
        "frontend/app/products/page.tsx": "export default function Page() {}\n",
        "frontend/node_modules/next/index.js": "junk\n",
        "frontend/.next/cache": "junk\n",
    },
}


def answers_for(blueprint: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    chosen = blueprints.load(blueprint)
    return resolve(chosen.questions, data or {}, use_defaults=True, asker=None)


def make_project(
    root: Path,
    blueprint: str = "go-api",
    data: dict[str, Any] | None = None,
    *,
    git: bool = True,
    extra: dict[str, str] | None = None,
) -> Path:
    """A project as `stackprint new` would leave it, committed unless `git` is False."""
    chosen = blueprints.load(blueprint)
    answers = answers_for(blueprint, data)
    project = root / str(answers["project_name"])
    for rel, text in {**CODE[blueprint], **(extra or {})}.items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    recorded = {"_src_path": f"stackprint:{blueprint}", "_stackprint_created": CREATED, **answers}
    (project / ".copier-answers.yml").write_text(yaml.safe_dump(recorded), encoding="utf-8")
    speckit.render_initial(project, chosen, context_of(chosen.questions, answers), created=CREATED)
    if git:
        vcs.init_repository(project, "init")
    return project


def feature_dir(project: Path, number: str = "001") -> Path:
    return next((project / "specs").glob(f"{number}-*"))
