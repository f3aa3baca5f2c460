"""`doctor`: which tools the blueprints (or one project) need, and which this machine has.

Tools are looked up on the user's own PATH, the way the generated Makefiles will find
them (stackprint adds nothing to it, not even while generating). Minimum
versions come from the files that impose them: the `go` directive of every go.mod, and
the `engines.node` ranges of package.json and of the locked dependencies.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from stackprint import blueprints
from stackprint.baseline import version_key

# How to ask each tool its version; the first dotted number in the output is taken.
_VERSION_ARGS: dict[str, list[str]] = {"go": ["version"]}
_ALWAYS = ("git",)
_GO_DIRECTIVE = re.compile(r"^go\s+(\d+\.\d+(?:\.\d+)?)\s*$", re.M)
_NODE_ENGINE = re.compile(r'"engines"\s*:\s*\{[^{}]*?"node"\s*:\s*"([^"]+)"', re.S)
_VERSION = re.compile(r"(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?")
_SKIP_DIRS = {".git", "node_modules", ".next", "bin", "vendor"}


@dataclass
class Tool:
    name: str
    path: str | None = None
    version: str | None = None
    minimum: str | None = None
    source: str | None = None  # the file the minimum comes from
    needed_by: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        if self.path is None:
            return False
        if self.minimum is None or self.version is None:
            return True
        return version_key(self.version) >= version_key(self.minimum)

    def require(self, minimum: str, source: str) -> None:
        if self.minimum is None or version_key(minimum) > version_key(self.minimum):
            self.minimum, self.source = minimum, source


@dataclass
class Service:
    """A service the project's tests use, from its TEST_* variable."""

    name: str
    variable: str
    url: str | None
    answered: bool = False
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.url is None or self.answered  # not set: those tests are skipped


@dataclass
class Diagnosis:
    """Every tool the blueprints (or one project) need, and whether this machine has it;
    inside a project, whether its test services answer too."""

    tools: list[Tool]
    services: list[Service] = field(default_factory=list)
    project: Path | None = None

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tools) and all(s.ok for s in self.services)

    @property
    def missing(self) -> list[Tool]:
        """The tools that are missing or older than needed."""
        return [tool for tool in self.tools if not tool.ok]

    def as_json(self) -> dict[str, Any]:
        """The machine-readable report of `doctor --json`."""
        return {
            "ok": self.ok,
            "project": str(self.project) if self.project is not None else None,
            "tools": [
                {
                    "name": tool.name,
                    "ok": tool.ok,
                    "path": tool.path,
                    "version": tool.version,
                    "minimum": tool.minimum,
                    "source": tool.source,
                    "needed_by": tool.needed_by,
                }
                for tool in self.tools
            ],
            "services": [
                {
                    "name": service.name,
                    "variable": service.variable,
                    "ok": service.ok,
                    "answered": service.answered,
                    "detail": service.detail,
                }
                for service in self.services
            ],
        }


def node_minimum(spec: str) -> str | None:
    """The lowest version an npm range admits: `^18.18.0 || >=20` -> 18.18.0."""
    lows = []
    for alternative in spec.split("||"):
        alternative = alternative.strip()
        if not alternative or alternative.startswith("<"):
            continue
        match = _VERSION.search(alternative)
        if match:
            parts = [p if p and p.isdigit() else "0" for p in match.groups()]
            lows.append(".".join(parts))
    return min(lows, key=version_key) if lows else None


def _files(root: Path, names: Iterable[str]) -> Iterable[Path]:
    wanted = tuple(names)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS]
        for filename in filenames:
            # Template files are named as they will be, plus `.jinja` and Jinja conditions.
            plain = re.sub(r"\{%.*?%\}", "", filename).removesuffix(".jinja")
            if plain in wanted:
                yield Path(dirpath) / filename


def requirements(root: Path) -> dict[str, tuple[str, str]]:
    """{tool: (minimum, file)} the files under `root` impose (a project or a template)."""
    found: dict[str, tuple[str, str]] = {}

    def need(tool: str, minimum: str, path: Path, package: str = "") -> None:
        current = found.get(tool)
        if current is None or version_key(minimum) > version_key(current[0]):
            rel = re.sub(r"\{%.*?%\}", "", path.relative_to(root).as_posix())
            where = rel.removesuffix(".jinja") + (f": {package}" if package else "")
            found[tool] = (minimum, where)

    for path in _files(root, ["go.mod"]):
        for version in _GO_DIRECTIVE.findall(path.read_text(encoding="utf-8", errors="replace")):
            need("go", version, path)
    for path in _files(root, ["package.json", "package-lock.json"]):
        for package, spec in _node_engines(path.read_text(encoding="utf-8", errors="replace")):
            minimum = node_minimum(spec)
            if minimum:
                need("node", minimum, path, package)
    return found


def _node_engines(text: str) -> list[tuple[str, str]]:
    """(package, engines.node) of a package.json or of every package a lock file pins."""
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return [("", spec) for spec in _NODE_ENGINE.findall(text)]
    if not isinstance(data, dict):
        return []
    packages = data.get("packages")
    entries: dict[str, Any] = packages if isinstance(packages, dict) else {"": data}
    out = []
    for key, entry in entries.items():
        engines = entry.get("engines") if isinstance(entry, dict) else None
        if isinstance(engines, dict) and isinstance(engines.get("node"), str):
            out.append((key.rpartition("node_modules/")[2], engines["node"]))
    return out


def _version(path: str, name: str) -> str | None:
    try:
        out = subprocess.run(
            [path, *_VERSION_ARGS.get(name, ["--version"])],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"(\d+\.\d+(?:\.\d+)?)", out.stdout + out.stderr)
    return match.group(1) if match else None


def _needs_of(
    blueprint: blueprints.Blueprint, tools: dict[str, Tool], label: str, *, minimums: bool = True
) -> None:
    """The tools the blueprint's steps and toolchain name; with `minimums`, its declared
    versions too (a project's own files say what it needs instead, e.g. after an edit)."""
    for step in blueprint.generators:
        for tool in step.requires:
            entry = tools.setdefault(tool, Tool(tool))
            if label not in entry.needed_by:
                entry.needed_by.append(label)
    for tool, minimum in blueprint.toolchain.items():
        entry = tools.setdefault(tool, Tool(tool))
        if label not in entry.needed_by:
            entry.needed_by.append(label)
        if minimums:
            entry.require(minimum, f"{blueprint.name}'s copier.yml")


def _apply(tools: dict[str, Tool], needs: dict[str, tuple[str, str]], label: str) -> None:
    for tool, (minimum, source) in needs.items():
        entry = tools.setdefault(tool, Tool(tool))
        if label not in entry.needed_by:
            entry.needed_by.append(label)
        entry.require(minimum, source if label == "this project" else f"{label}: {source}")


def diagnose(project: Path | None = None) -> Diagnosis:
    """Every tool the bundled blueprints need (or, given a project, that project needs),
    found on the user's PATH or not, with its version; and the project's test services."""
    tools: dict[str, Tool] = {name: Tool(name, needed_by=["stackprint"]) for name in _ALWAYS}
    services: list[Service] = []
    if project is None:
        for name in blueprints.available():
            blueprint = blueprints.load(name)
            _needs_of(blueprint, tools, name)
            _apply(tools, requirements(blueprint.path / "template"), name)
    else:
        from stackprint.project import read

        _needs_of(read(project).blueprint, tools, "this project", minimums=False)
        _apply(tools, requirements(project), "this project")
        services = project_services(project)
    for entry in tools.values():
        entry.path = shutil.which(entry.name, path=os.environ.get("PATH", os.defpath))
        if entry.path is not None:
            entry.version = _version(entry.path, entry.name)
    return Diagnosis(sorted(tools.values(), key=lambda t: t.name), services, project)


# -- the project's test services ------------------------------------------------------------

_SERVICES = {"TEST_DATABASE_URL": "PostgreSQL", "TEST_REDIS_URL": "Redis"}


def project_services(project: Path) -> list[Service]:
    """The TEST_* services the project's Makefile mentions, each checked for an answer."""
    makefile = project / "Makefile"
    text = makefile.read_text(encoding="utf-8", errors="replace") if makefile.is_file() else ""
    services = []
    for variable, name in _SERVICES.items():
        if variable not in text:
            continue
        url = os.environ.get(variable) or None
        service = Service(name, variable, url)
        if url is None:
            service.detail = f"{variable} is not set: the integration tests that need it skip"
        else:
            service.answered, service.detail = _probe(name, url)
        services.append(service)
    return services


def _probe(name: str, url: str, timeout: float = 3.0) -> tuple[bool, str]:
    """Whether a server of that kind answers at the URL's host and port."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    try:
        port = parts.port or (5432 if name == "PostgreSQL" else 6379)
    except ValueError:
        return False, f"{url!r} has an invalid port"
    where = f"{host}:{port}"
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            conn.settimeout(timeout)
            if name == "PostgreSQL":
                # SSLRequest: every PostgreSQL server answers it with one byte, S or N.
                conn.sendall((8).to_bytes(4, "big") + (80877103).to_bytes(4, "big"))
                reply = conn.recv(1)
                ok = reply in (b"S", b"N")
            else:
                conn.sendall(b"PING\r\n")
                reply = conn.recv(64)
                ok = reply.startswith((b"+PONG", b"-NOAUTH", b"-ERR"))
    except OSError as exc:
        return False, f"no answer at {where}: {exc.strerror or exc}"
    return (True, f"answers at {where}") if ok else (False, f"{where} is not a {name} server")
