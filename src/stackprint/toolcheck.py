"""`doctor`: which tools the blueprints need, and which this machine has."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any

from stackprint import blueprints, generators
from stackprint.baseline import version_key

# How to ask each tool its version; the first dotted number in the output is taken.
_VERSION_ARGS: dict[str, list[str]] = {
    "git": ["--version"],
    "go": ["version"],
    "node": ["--version"],
    "npm": ["--version"],
    "protoc": ["--version"],
    "make": ["--version"],
}
_ALWAYS = ("git",)


@dataclass
class Tool:
    name: str
    path: str | None = None
    version: str | None = None
    minimum: str | None = None
    needed_by: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        if self.path is None:
            return False
        if self.minimum is None or self.version is None:
            return True
        return version_key(self.version) >= version_key(self.minimum)


def _version(path: str, name: str, env: dict[str, str]) -> str | None:
    try:
        out = subprocess.run(
            [path, *_VERSION_ARGS.get(name, ["--version"])],
            capture_output=True,
            text=True,
            timeout=20,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"(\d+\.\d+(?:\.\d+)?)", out.stdout + out.stderr)
    return match.group(1) if match else None


@dataclass
class Diagnosis:
    """Every tool the blueprints need, and whether this machine has it."""

    tools: list[Tool]

    @property
    def ok(self) -> bool:
        return all(tool.ok for tool in self.tools)

    @property
    def missing(self) -> list[Tool]:
        """The tools that are missing or older than needed."""
        return [tool for tool in self.tools if not tool.ok]

    def as_json(self) -> dict[str, Any]:
        """The machine-readable report of `doctor --json`."""
        return {
            "ok": self.ok,
            "tools": [
                {
                    "name": tool.name,
                    "ok": tool.ok,
                    "path": tool.path,
                    "version": tool.version,
                    "minimum": tool.minimum,
                    "needed_by": tool.needed_by,
                }
                for tool in self.tools
            ],
        }


def diagnose() -> list[Tool]:
    """Every tool a bundled blueprint needs (plus git), found or not, with its version."""
    tools: dict[str, Tool] = {name: Tool(name, needed_by=["stackprint"]) for name in _ALWAYS}
    for name in blueprints.available():
        blueprint = blueprints.load(name)
        minimums = blueprint.toolchain
        for step in blueprint.generators:
            for tool in step.requires:
                entry = tools.setdefault(tool, Tool(tool))
                if name not in entry.needed_by:
                    entry.needed_by.append(name)
        for tool, minimum in minimums.items():
            entry = tools.setdefault(tool, Tool(tool))
            if name not in entry.needed_by:
                entry.needed_by.append(name)
            if entry.minimum is None or version_key(minimum) > version_key(entry.minimum):
                entry.minimum = minimum
    env = generators.toolchain_env()
    for entry in tools.values():
        entry.path = shutil.which(entry.name, path=env.get("PATH"))
        if entry.path is not None:
            entry.version = _version(entry.path, entry.name, env)
    return sorted(tools.values(), key=lambda t: t.name)
