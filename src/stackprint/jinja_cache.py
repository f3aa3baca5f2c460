"""Compiled Jinja templates kept on disk between runs.

Compiling is most of a render's cost: Copier compiles every path part and every file of a
blueprint on each run, and the questions and spec documents add their own. A template's
compiled code depends only on its source and on the environment's syntax settings, so it
is stored under a key made of both and reused until either changes.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinja2 import Environment

EnvT = TypeVar("EnvT", bound="Environment")

# A cache file is rewritten with this run's entries only once it holds more than this many,
# so edited blueprints cannot make it grow without end.
_MAX_ENTRIES = 20_000
_SYNTAX = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "sandboxed",
    "intercepted_binops",
    "intercepted_unops",
)


def cache_root() -> Path:
    from stackprint.generators import cache_dir

    return cache_dir() / "jinja"


def _fingerprint(env: Environment) -> bytes:
    """What, besides the source, the compiled code depends on."""
    import jinja2

    autoescape = env.autoescape
    parts: list[Any] = [
        jinja2.__version__,
        sys.implementation.cache_tag,
        type(env).__module__ + "." + type(env).__qualname__,
        getattr(autoescape, "__qualname__", autoescape),
        sorted(env.extensions),
    ]
    parts += [repr(getattr(env, name, None)) for name in _SYNTAX]
    return repr(parts).encode()


class CompileCache:
    """One file of compiled code objects, loaded whole and written back when it grew."""

    def __init__(self, name: str, root: Path | None = None) -> None:
        self.path = self.file_for(name, root or cache_root())
        self._stored: dict[bytes, Any] = self._load()
        self._used: dict[bytes, Any] = {}

    @staticmethod
    def file_for(name: str, root: Path) -> Path:
        return root / f"{name}-{sys.implementation.cache_tag}.marshal"

    def _load(self) -> dict[bytes, Any]:
        try:
            data = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            # Missing, truncated or from another Python: start empty, it is only a cache.
            return {}
        return data if isinstance(data, dict) else {}

    def install(self, env: EnvT) -> EnvT:
        """Make `env` look compiled templates up here before compiling them."""
        compile_uncached: Callable[..., Any] = env.compile
        fingerprint = _fingerprint(env)

        def compile(
            source: str,
            name: str | None = None,
            filename: str | None = None,
            raw: bool = False,
            defer_init: bool = False,
        ) -> Any:
            if not isinstance(source, str):
                # An already parsed template (or a non-string Copier passes through).
                return compile_uncached(source, name, filename, raw, defer_init)
            digest = hashlib.blake2b(fingerprint, digest_size=20)
            digest.update(repr((name, filename, raw, defer_init)).encode())
            digest.update(source.encode("utf-8", "surrogatepass"))
            key = digest.digest()
            code = self._used.get(key)
            if code is None:
                code = self._stored.get(key)
                if code is None:
                    code = compile_uncached(source, name, filename, raw, defer_init)
                    self._used[key] = code
                    return code
                self._used[key] = code
            # Compiling runs the extensions' preprocess hooks, and some keep state in them
            # (Copier's yield tag resets its per-path context there): run them as compiling would.
            env.preprocess(source, name, filename)
            return code

        # An instance attribute: `from_string` and the loaders call `self.compile`.
        env.compile = compile  # type: ignore[method-assign, assignment]

        get_template: Callable[..., Any] = env.get_template

        def get_template_reset(*args: Any, **kwargs: Any) -> Any:
            # A template Jinja serves from its own memory is not compiled again, so its
            # hooks would not run: reset the extensions' per-template state here too.
            template = get_template(*args, **kwargs)
            env.preprocess("")
            return template

        env.get_template = get_template_reset  # type: ignore[method-assign]
        return env

    def save(self) -> None:
        """Write the file if this run compiled anything new; failures only cost speed."""
        if all(key in self._stored for key in self._used):
            return
        merged = {**self._stored, **self._used}
        data = merged if len(merged) <= _MAX_ENTRIES else dict(self._used)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(marshal.dumps(data))
            tmp.replace(self.path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        self._stored = data


_caches: dict[Path, CompileCache] = {}


def cached(env: EnvT, name: str) -> EnvT:
    """Give `env` the cache file `name`, loaded once per process and saved at exit."""
    path = CompileCache.file_for(name, cache_root())
    cache = _caches.get(path)
    if cache is None:
        cache = _caches[path] = CompileCache(name)
        atexit.register(cache.save)
    return cache.install(env)
