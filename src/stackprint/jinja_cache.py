"""Compiled Jinja templates kept on disk between runs.

Compiling is most of a render's cost: Copier compiles every path part and every file of a
blueprint on each run, and the questions and spec documents add their own. A template's
compiled code depends only on its source and on the environment's settings (the sandbox's
among them), so it is stored under a key made of both and of the Python and Jinja versions,
and reused until any of them changes.

Loading a cached entry runs it: the cache is as powerful as the code it holds. That is why
it lives in the user's own cache directory, private to them (directory 0700, files 0600),
and why a file anyone else could have written (another owner, group- or world-writable, a
link) is ignored rather than loaded: otherwise a blueprint's sandbox could be bypassed by
whoever can write there.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import marshal
import os
import stat
import sys
import tempfile
from importlib.util import MAGIC_NUMBER
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
    "finalize",
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
        sys.version,
        MAGIC_NUMBER,
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
        if not private_dir(self.path.parent):
            return {}
        try:
            data = marshal.loads(_read_own_file(self.path))
        except (OSError, EOFError, ValueError, TypeError):
            # Missing, truncated, not ours or from another Python: start empty, it is only
            # a cache.
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
            code = self._used.get(key) or self._stored.get(key)
            if code is None:
                code = compile_uncached(source, name, filename, raw, defer_init)
            else:
                # Compiling runs the extensions' preprocess hooks, and some keep state
                # there (Copier's yield tag resets its context): a cached compile runs them too.
                env.preprocess(source, name, filename)
            self._used[key] = code
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
        directory = self.path.parent
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return
        if not private_dir(directory):
            return
        # A new 0600 file, renamed over the old one: readers see the old file or the new,
        # never half of one.
        try:
            fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
        except OSError:
            return
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(marshal.dumps(data))
            tmp.replace(self.path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        self._stored = data


def private_dir(path: Path) -> bool:
    """True when `path` is a real directory of this user that nobody else can write.

    One the user owns is narrowed to 0700 (older versions made it 0755).
    """
    try:
        info = path.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return False
    if stat.S_IMODE(info.st_mode) & 0o077:
        try:
            path.chmod(0o700)
        except OSError:
            return False
        return not stat.S_IMODE(path.lstat().st_mode) & 0o077
    return True


def _read_own_file(path: Path) -> bytes:
    """The bytes of `path` if it is a regular file of this user that only they can write;
    OSError otherwise. Checked on the open file, so it cannot be swapped in between."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.getuid()
            or stat.S_IMODE(info.st_mode) & 0o022
        ):
            raise PermissionError(f"{path} could have been written by someone else")
        return file.read()


_caches: dict[Path, CompileCache] = {}


def cached(env: EnvT, name: str) -> EnvT:
    """Give `env` the cache file `name`, loaded once per process and saved at exit."""
    path = CompileCache.file_for(name, cache_root())
    cache = _caches.get(path)
    if cache is None:
        cache = _caches[path] = CompileCache(name)
        atexit.register(cache.save)
    return cache.install(env)
