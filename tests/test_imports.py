"""How the library's modules depend on each other: no cycles, and no CLI below the API."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "stackprint"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Module -> the stackprint modules it imports anywhere (functions too), leaving out
    `if TYPE_CHECKING:` blocks and the package's own lazy facade."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules.pop("stackprint")
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for inner in ast.walk(node)
        }
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("stackprint"):
                subs = {f"{node.module}.{a.name}" for a in node.names} & set(modules)
                targets |= subs or {str(node.module)}
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
        graph[name] = (targets & set(modules)) - {name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as a path that ends where it starts, or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for target in sorted(graph[node]):
            found = visit(target, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_imports_itself_round_a_cycle() -> None:
    assert _cycle(_imports()) is None


def test_the_library_never_imports_the_command_line() -> None:
    entry_points = ("stackprint.cli", "stackprint.__main__")
    wrong = {
        (name, target)
        for name, targets in _imports().items()
        if not name.startswith(entry_points)
        for target in targets
        if target.startswith("stackprint.cli")
    }
    assert wrong == set()


def test_the_api_is_exposed_lazily_on_the_package() -> None:
    code = (
        "import sys, stackprint\n"
        "assert 'stackprint.api' not in sys.modules\n"
        "assert callable(stackprint.update) and stackprint.update.__module__ == 'stackprint.api'\n"
        "import stackprint.updater  # a submodule import must not shadow the function\n"
        "assert stackprint.update.__module__ == 'stackprint.api'\n"
        "heavy = {'typer', 'copier', 'git', 'questionary'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout == "ok\n", out.stderr
