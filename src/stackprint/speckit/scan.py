"""What a project really contains: its file tree, Makefile targets, contracts and routes.

The documents describe the generated project as it is on disk, never the template's idea
of it, so these readers are run on the rendered project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

# Build output, dependencies and caches: not part of what was generated. The spec-kit
# directories are left out too, so the tree is the same before and after they are written.
SKIP_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        "bin",
        ".next",
        "dist",
        "build",
        "out",
        "coverage",
        "vendor",
        ".venv",
        "venv",
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".turbo",
        ".cache",
        "tmp",
        "test-results",
        "playwright-report",
        ".specify",
        "specs",
    }
)
SKIP_SUFFIXES = (".tsbuildinfo", ".pyc")
MAX_DEPTH = 6


def _entries(directory: Path) -> tuple[list[Path], list[Path]]:
    dirs, files = [], []
    for child in directory.iterdir():
        if child.is_dir() and not child.is_symlink():
            if child.name not in SKIP_DIRS:
                dirs.append(child)
        elif not child.name.endswith(SKIP_SUFFIXES):
            files.append(child)
    return sorted(dirs, key=lambda p: p.name), sorted(files, key=lambda p: p.name)


def tree(project: Path, *, root_name: str, notes: Mapping[str, str] | None = None) -> str:
    """The project's layout drawn like `tree`: directories first, each level sorted.

    `notes` maps a relative path (`services`, `cmd/api/main.go`) to a comment printed
    at the end of its line.
    """
    notes = notes or {}
    lines = [f"{root_name}/"]

    def walk(directory: Path, prefix: str, depth: int) -> None:
        dirs, files = _entries(directory)
        children = dirs + files
        for index, child in enumerate(children):
            last = index == len(children) - 1
            name = f"{child.name}/" if child in dirs else child.name
            line = f"{prefix}{'└── ' if last else '├── '}{name}"
            note = notes.get(child.relative_to(project).as_posix())
            if note:
                line = f"{line.ljust(40)} # {note}" if len(line) < 40 else f"{line}  # {note}"
            lines.append(line)
            if child in dirs:
                extension = prefix + ("    " if last else "│   ")
                if depth + 1 >= MAX_DEPTH:
                    if any(child.iterdir()):
                        lines.append(f"{extension}└── ...")
                else:
                    walk(child, extension, depth + 1)

    walk(project, "", 0)
    return "\n".join(lines)


def files(project: Path) -> Iterator[Path]:
    """Every file of the project outside the skipped directories, in a stable order."""
    dirs, plain = _entries(project)
    yield from plain
    for directory in dirs:
        yield from files(directory)


@dataclass(frozen=True)
class MakeTarget:
    name: str
    help: str


_TARGET = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_./-]*)\s*:(?![=:])[^#]*?(?:##\s*(.*))?$")


def make_targets(project: Path) -> list[MakeTarget]:
    """Targets of the project's Makefile with their help: `## text` after the target, or
    the comment lines just above it."""
    makefile = project / "Makefile"
    if not makefile.is_file():
        return []
    targets: dict[str, MakeTarget] = {}
    comment: list[str] = []
    for line in makefile.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            comment.append(line.lstrip("#").strip())
            continue
        match = _TARGET.match(line)
        if match and "%" not in match.group(1) and match.group(1) not in targets:
            text = (match.group(2) or " ".join(comment)).strip()
            targets[match.group(1)] = MakeTarget(match.group(1), text)
        comment = []
    return list(targets.values())


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str = ""
    source: str = ""  # the file that declares it, relative to the project


_HTTP_METHODS = ("get", "post", "put", "patch", "delete")
_MUX_PATTERN = re.compile(r'"(GET|POST|PUT|PATCH|DELETE) (/[^"\s]*)"')


# A top-level `openapi:` key, wherever it is: licence headers and comments may come first.
_OPENAPI_KEY = re.compile(r"""^["']?openapi["']?[ \t]*:""", re.MULTILINE)


def _openapi_endpoints(project: Path, path: Path) -> list[Endpoint]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    if not _OPENAPI_KEY.search(text):
        return []
    return list(_endpoints_of(text, path.relative_to(project).as_posix()))


@lru_cache(maxsize=8)
def _endpoints_of(text: str, rel: str) -> tuple[Endpoint, ...]:
    """The operations of one OpenAPI document. Kept by content: `add resource` describes
    the pristine render and then the merged project, whose contract is mostly the same."""
    import yaml

    from stackprint import yamlio

    try:
        doc = yamlio.load(text)
    except yaml.YAMLError:
        return ()
    if not isinstance(doc, dict) or "openapi" not in doc or not isinstance(doc.get("paths"), dict):
        return ()
    out = []
    for route, item in doc["paths"].items():
        if not isinstance(item, dict):
            continue
        for method in _HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                summary = str(op.get("summary") or op.get("operationId") or "")
                out.append(Endpoint(method.upper(), str(route), summary, rel))
    return tuple(out)


def endpoints(project: Path) -> list[Endpoint]:
    """The HTTP routes: from OpenAPI documents when there are any, else from the
    `http.ServeMux` patterns (`"GET /v1/items/{id}"`) of the Go code."""
    found: list[Endpoint] = []
    go_files = []
    for path in files(project):
        if path.suffix in (".yaml", ".yml"):
            found.extend(_openapi_endpoints(project, path))
        elif path.suffix == ".go" and not path.name.endswith(("_test.go", ".pb.go")):
            go_files.append(path)
    if found:
        return found
    seen = set()
    for path in go_files:
        rel = path.relative_to(project).as_posix()
        for method, route in _MUX_PATTERN.findall(
            path.read_text(encoding="utf-8", errors="replace")
        ):
            if (method, route) not in seen:
                seen.add((method, route))
                found.append(Endpoint(method, route, "", rel))
    return found


def matching(project: Path, patterns: list[str]) -> list[str]:
    """Relative paths of the project's files matching any glob, in pattern order."""
    out: list[str] = []
    for pattern in patterns:
        for path in sorted(project.glob(pattern)):
            rel = path.relative_to(project).as_posix()
            if path.is_file() and rel not in out and not set(Path(rel).parts) & SKIP_DIRS:
                out.append(rel)
    return out
