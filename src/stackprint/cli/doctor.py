"""`stackprint doctor`: the tools the blueprints need, found or missing."""

from __future__ import annotations

import typer


def doctor() -> None:
    """Report git, Go, Node/npm, protoc and make against what the blueprints need.

    Exit code 3 when a needed tool is missing or older than required. `new` still renders
    without them; it skips the generator steps and says what to run later.
    """
    from stackprint.doctor import diagnose

    tools = diagnose()
    width = max(len(t.name) for t in tools)
    for tool in tools:
        mark = "ok" if tool.ok else ("missing" if tool.path is None else "too old")
        version = tool.version or "-"
        need = f">= {tool.minimum}" if tool.minimum else ""
        typer.echo(
            f"{mark:8} {tool.name.ljust(width)}  {version:10} {need:9} for {', '.join(tool.needed_by)}"
        )
    if not all(tool.ok for tool in tools):
        raise typer.Exit(3)
