"""Helpers shared by the end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def tail(text: str, lines: int = 80) -> str:
    """The last lines of a command's output, for failure messages."""
    return "\n".join(text.splitlines()[-lines:])


def run(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 1200
) -> subprocess.CompletedProcess[str]:
    """Run cmd and fail the test with its exit code and the tail of its output if it fails."""
    result = subprocess.run(
        cmd,
        cwd=cwd,
        # Generated Next.js projects must never phone home from a test.
        env={**os.environ, "NEXT_TELEMETRY_DISABLED": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, (
        f"`{' '.join(cmd)}` failed in {cwd} with exit code {result.returncode}\n"
        f"--- stdout (tail)\n{tail(result.stdout)}\n--- stderr (tail)\n{tail(result.stderr)}"
    )
    return result


def required_env(name: str) -> str:
    """A variable the test needs (a service URL): missing, it skips locally and fails in CI."""
    import pytest

    value = os.environ.get(name, "")
    if not value:
        message = f"{name} is not set: start the services with .ci/services.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def with_search_path(url: str, schema: str) -> str:
    """Both drivers pass unknown URL parameters to PostgreSQL, so search_path isolates a run."""
    parts = urlsplit(url)
    query = f"{parts.query}&search_path={schema}" if parts.query else f"search_path={schema}"
    return urlunsplit(parts._replace(query=query))


# The three-resource project of the e2e suites: an enum and optional fields, a multi-word
# name, a reference, and every field type between them.
THREE_RESOURCES: list[dict[str, object]] = [
    {
        "name": "customer",
        "plural": "customers",
        "fields": [
            "name:string",
            "email:string?",
            "tier:enum(free|pro|enterprise)",
            "notes:text?",
            "joined_on:date",
        ],
    },
    {
        "name": "line_item",
        "plural": "line_items",
        "fields": [
            "sku:string",
            "quantity:int",
            "unit_price:float",
            "weight_grams:bigint?",
            "taxable:bool",
            "external_ref:uuid?",
        ],
    },
    {
        "name": "invoice",
        "plural": "invoices",
        "fields": [
            "invoice_number:string",
            "customer:ref(customer)",
            "issued_at:time",
            "due_on:date?",
            "total_cents:bigint",
            "paid:bool",
        ],
    },
]

# The answers of the three-resource nextjs-go project, shared by its backend and frontend
# e2e files so a worker that runs both renders it once.
THREE_RESOURCES_ANSWERS = {
    "resources": THREE_RESOURCES,
    "module_path": "example.org/acme/shop/backend",
    "styling": "css-modules",
}
