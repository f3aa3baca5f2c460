"""File-system refusals (read-only, full, no permission) as one-line stackprint errors.

The operating system's errors arrive from many places (Copier writing files, git writing
objects, a cache directory being created); they are translated here, once, into
`FileSystemError`, whose message names the path and what the user can do about it.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from stackprint.errors import FileSystemError

# errno -> how the message says it; anything else keeps the system's own wording.
_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOENT: "no such directory",
    errno.ENOTDIR: "a parent is not a directory",
}
# Messages git prints for the same conditions (it reports them in its own words).
_GIT_PHRASES = {
    "No space left on device": errno.ENOSPC,
    "Disk quota exceeded": errno.EDQUOT,
    "Read-only file system": errno.EROFS,
    "Permission denied": errno.EACCES,
}


def reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0, (exc.strerror or str(exc)).lower())


def is_refusal(exc: OSError) -> bool:
    """An error of the machine (space, permissions, read-only), not a bug of stackprint."""
    return exc.errno in _REASONS


def error_for(exc: OSError, what: str | None = None) -> FileSystemError:
    """The one-line error for an OSError; `what` says what stackprint was doing."""
    where = exc.filename if exc.filename is not None else None
    doing = what or (f"cannot write {where}" if where else "a file system operation failed")
    advice = ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        advice = "; free some space and run the command again (nothing was left half-written)"
    return FileSystemError(f"{doing}: {reason(exc)}{advice}")


def git_refusal(stderr: str) -> OSError | None:
    """The OSError a git failure stands for, when git reports a file-system refusal."""
    for phrase, code in _GIT_PHRASES.items():
        if phrase in stderr:
            return OSError(code, os.strerror(code))
    return None


@contextmanager
def refusals_mapped(what: str | None = None) -> Iterator[None]:
    """Turn the machine's refusals raised inside into `FileSystemError`."""
    try:
        yield
    except OSError as exc:
        if not is_refusal(exc):
            raise
        raise error_for(exc, what) from exc


def nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(path.anchor)


def require_writable(directory: Path, purpose: str) -> None:
    """Refuse up front when `directory` (or the nearest parent that exists) cannot be written.

    `os.access` answers for the real user and sees read-only mounts (EROFS), so the check
    holds for root too, as far as the kernel will say before trying.
    """
    existing = nearest_existing(directory)
    if not existing.is_dir():
        raise FileSystemError(f"cannot create {purpose} {directory}: {existing} is not a directory")
    if _read_only(existing):
        raise FileSystemError(f"cannot create {purpose} {directory}: read-only file system")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise FileSystemError(
            f"cannot create {purpose} {directory}: {existing} is not writable (permission denied)"
        )


def _read_only(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def make_cache_dir(path: Path, variable: str) -> Path:
    """Create a cache directory, or say in one line which variable to point elsewhere."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileSystemError(
            f"cannot create the cache directory {path}: {reason(exc)}; "
            f"set {variable} to a writable directory"
        ) from exc
    if not os.access(path, os.W_OK | os.X_OK) or _read_only(path):
        raise FileSystemError(
            f"the cache directory {path} is not writable; set {variable} to a writable directory"
        )
    return path


def remove_tree(path: Path, attempts: int = 100) -> None:
    """Remove the directory `path`, even while a git child is still writing inside it.

    A signal sent to stackprint alone (not its process group) leaves a running git to
    finish its commit; a file it writes while the tree is removed makes one pass of
    `rmtree` fail on a directory that is no longer empty. Once the tree is gone, that git
    fails instead of recreating it.
    """
    import shutil

    for _ in range(attempts):
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            return
