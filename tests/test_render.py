"""stackprint renders through Copier's Worker with a compile cache and without per-file git
calls; what it writes must stay exactly what plain `copier copy` writes."""

from __future__ import annotations

import stat
import warnings
from pathlib import Path
from typing import Any

import copier
import pytest

from stackprint import blueprints, jinja_cache
from stackprint.answers import resolve
from stackprint.project import ANSWERS_FILE
from stackprint.render import _worker_class, render
from tests.conftest import MakeBlueprint

NON_DEFAULT = {
    "go-api": {"project_name": "ledger", "module_path": "example.org/acme/ledger"},
    "nextjs-go": {"project_name": "shop", "styling": "css-modules", "resource": "order_line"},
}


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file with its content and executable bits, except the answers file (which
    stackprint rewrites on purpose)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and rel != ANSWERS_FILE:
            out[rel] = (path.read_bytes(), path.stat().st_mode & 0o111)
    return out


def _plain_copier(blueprint: blueprints.Blueprint, dest: Path, answers: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_copy(
            str(blueprint.path), dest, data=answers, defaults=True, quiet=True, unsafe=True
        )


@pytest.mark.parametrize("name", sorted(NON_DEFAULT))
@pytest.mark.parametrize("defaults", [True, False], ids=["defaults", "answers"])
def test_render_writes_what_plain_copier_writes(name: str, defaults: bool, tmp_path: Path) -> None:
    blueprint = blueprints.load(name)
    answers = resolve(
        blueprint.questions, {} if defaults else NON_DEFAULT[name], use_defaults=True, asker=None
    )
    # Twice: the first run fills the compile cache, the second reads it back.
    for run in ("cold", "warm"):
        render(blueprint, tmp_path / run, answers, created="2026-01-01")
    _plain_copier(blueprint, tmp_path / "copier", answers)

    expected = _tree(tmp_path / "copier")
    assert len(expected) > 20
    assert _tree(tmp_path / "cold") == expected
    assert _tree(tmp_path / "warm") == expected


def test_a_second_process_compiles_nothing_again(tmp_path: Path) -> None:
    blueprint = blueprints.load("go-api")
    answers = resolve(blueprint.questions, {}, use_defaults=True, asker=None)
    render(blueprint, tmp_path / "a", answers, created="2026-01-01")
    for cache in jinja_cache._caches.values():
        cache.save()  # what happens at exit

    # A new process: the cache read back from disk, the compiler counted underneath it.
    env = _worker_class()(src_path=str(blueprint.path), dst_path=tmp_path / "b").jinja_env
    compiled: list[str] = []
    real_compile = env.compile

    def counting_compile(source: str, *args: Any, **kwargs: Any) -> Any:
        compiled.append(source)
        return real_compile(source, *args, **kwargs)

    env.compile = counting_compile  # type: ignore[method-assign]
    jinja_cache.CompileCache("copier-go-api").install(env)
    assert env.get_template("template/README.md.jinja").render(**answers)
    # Copier renders the answers file's name as a template too.
    assert env.from_string(ANSWERS_FILE).render() == ANSWERS_FILE
    assert compiled == []


def test_a_worker_without_the_overridden_parts_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    from copier._main import Worker

    monkeypatch.delattr(Worker, "_sync_git_index_executable_bit")
    assert _worker_class() is Worker


def test_corrupt_cache_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    from jinja2 import Environment

    cache = jinja_cache.CompileCache("broken", root=tmp_path)
    cache.path.write_bytes(b"\x00not marshal")
    env = cache.install(Environment())
    assert env.from_string("{{ 1 + 1 }}").render() == "2"
    cache.save()
    again = jinja_cache.CompileCache("broken", root=tmp_path)
    assert len(again._stored) == 1


def test_environments_with_different_syntax_do_not_share_compiled_code(tmp_path: Path) -> None:
    from jinja2 import Environment

    source = "{% if true %}\n  x\n{% endif %}\n"
    plain = jinja_cache.CompileCache("shared", root=tmp_path).install(Environment())
    trimmed = jinja_cache.CompileCache("shared", root=tmp_path).install(
        Environment(trim_blocks=True, lstrip_blocks=True)
    )
    assert plain.from_string(source).render() == Environment().from_string(source).render()
    assert trimmed.from_string(source).render() == "  x\n"


def test_a_cached_compile_still_runs_the_extensions_preprocess_hooks(tmp_path: Path) -> None:
    # Copier's yield tag resets its state in a preprocess hook; skipping it on a cache hit
    # broke every second render of a path with `{% yield %}`.
    from jinja2 import Environment
    from jinja2.ext import Extension

    seen: list[str] = []

    class Recorder(Extension):
        def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
            seen.append(source)
            return source

    env = jinja_cache.CompileCache("hooks", root=tmp_path).install(
        Environment(extensions=[Recorder])
    )
    assert env.from_string("{{ 1 }}").render() == env.from_string("{{ 1 }}").render() == "1"
    assert seen == ["{{ 1 }}", "{{ 1 }}"]


def test_rendered_scripts_stay_executable(tmp_path: Path) -> None:
    blueprint = blueprints.load("nextjs-go")
    answers = resolve(blueprint.questions, {}, use_defaults=True, asker=None)
    render(blueprint, tmp_path / "p", answers, created="2026-01-01")
    script = tmp_path / "p" / "contracts" / "generators" / "generate-go.sh"
    assert script.stat().st_mode & stat.S_IXUSR


def test_yield_in_file_names_renders_each_item_cold_and_warm(
    make_blueprint: MakeBlueprint, tmp_path: Path
) -> None:
    # Copier's yield tag keeps per-path state that compiling resets; templates served from
    # the compile cache (or Jinja's memory) must reset it too, or the second item fails.
    copier_yml = "_subdirectory: template\nitems:\n  type: yaml\n  default: [a, b, c]\n"
    files = {
        "{% yield i from items %}{{ i }}{% endyield %}.txt.jinja": "item {{ i }}\n",
        "d/{% yield i from items %}{{ i }}{% endyield %}/f.txt.jinja": "{{ i }}\n",
        "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}",
    }
    blueprint = blueprints.load(str(make_blueprint(copier_yml=copier_yml, files=files)))
    for run in ("cold", "warm"):
        render(blueprint, tmp_path / run, {"items": ["a", "b", "c"]}, created="2026-01-01")
        assert (tmp_path / run / "b.txt").read_text() == "item b\n"
        assert (tmp_path / run / "d" / "c" / "f.txt").read_text() == "c\n"
