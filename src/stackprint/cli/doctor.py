"""`stackprint doctor`: the tools the blueprints need, found or missing."""

from __future__ import annotations

import typer

from stackprint.cli.options import Json, print_json


def doctor(json_output: Json = False) -> None:
    """Report git, Go, Node/npm, protoc and make against what the blueprints need.

    Exit code 3 when a needed tool is missing or older than required. `new` still renders
    without them; it skips the generator steps and says what to run later.
    """
    from stackprint import api
    from stackprint.errors import ToolchainError

    diagnosis = api.doctor()
    if json_output:
        print_json(diagnosis.as_json())
    else:
        tools = diagnosis.tools
        width = max(len(t.name) for t in tools)
        for tool in tools:
            mark = "ok" if tool.ok else ("missing" if tool.path is None else "too old")
            version = tool.version or "-"
            need = f">= {tool.minimum}" if tool.minimum else ""
            typer.echo(
                f"{mark:8} {tool.name.ljust(width)}  {version:10} {need:9} for {', '.join(tool.needed_by)}"
            )
    if not diagnosis.ok:
        names = ", ".join(tool.name for tool in diagnosis.missing)
        raise ToolchainError(f"missing or too old: {names}")
