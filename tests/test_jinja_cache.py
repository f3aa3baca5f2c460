"""The compiled-template cache runs what it loads, so it loads only what this user wrote."""

from __future__ import annotations

import marshal
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2.sandbox import SandboxedEnvironment

from stackprint import jinja_cache

SOURCE = "{{ 6 * 7 }}"
OTHER_UID = 54321


def _fill(root: Path) -> Path:
    """A cache file holding SOURCE, as a run of stackprint leaves it."""
    cache = jinja_cache.CompileCache("t", root=root)
    assert cache.install(SandboxedEnvironment()).from_string(SOURCE).render() == "42"
    cache.save()
    return cache.path


def _poison(path: Path, canary: Path) -> None:
    """Rewrite every entry of the cache file as code that also creates `canary`."""
    python = SandboxedEnvironment().compile(SOURCE, raw=True)
    payload = f"__import__('pathlib').Path({str(canary)!r}).touch()\n{python}"
    code = compile(payload, "<template>", "exec")
    entries = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps(dict.fromkeys(entries, code)))


def _render_from(root: Path) -> str:
    env = jinja_cache.CompileCache("t", root=root).install(SandboxedEnvironment())
    return env.from_string(SOURCE).render()


def test_cache_directory_and_files_are_owner_only(tmp_path: Path) -> None:
    root = tmp_path / "cache" / "jinja"
    path = _fill(root)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in root.iterdir()] == [path.name]  # no temporary file left


def test_a_directory_made_by_an_older_version_is_narrowed_to_0700(tmp_path: Path) -> None:
    root = tmp_path / "jinja"
    root.mkdir(mode=0o755)
    root.chmod(0o775)
    _fill(root)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


def _group_writable(path: Path) -> None:
    path.chmod(0o620)


def _world_writable(path: Path) -> None:
    path.chmod(0o602)


def _other_owner(path: Path) -> None:
    os.chown(path, OTHER_UID, -1)


def _symlink(path: Path) -> None:
    real = path.with_name("elsewhere.marshal")
    path.rename(real)
    path.symlink_to(real)


def _directory_of_other_owner(path: Path) -> None:
    os.chown(path.parent, OTHER_UID, -1)


@pytest.mark.parametrize(
    "tamper",
    [_group_writable, _world_writable, _other_owner, _symlink, _directory_of_other_owner],
)
def test_a_cache_file_someone_else_could_have_written_is_not_loaded(
    tamper: Callable[[Path], None], tmp_path: Path
) -> None:
    if tamper in (_other_owner, _directory_of_other_owner) and os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    root = tmp_path / "jinja"
    canary = tmp_path / "canary"
    path = _fill(root)
    _poison(path, canary)
    tamper(path)
    assert _render_from(root) == "42"
    assert not canary.exists()


def test_the_cache_trusts_its_own_private_files(tmp_path: Path) -> None:
    """The control for the test above: the poisoned file, left private, is loaded."""
    root = tmp_path / "jinja"
    canary = tmp_path / "canary"
    _poison(_fill(root), canary)
    assert _render_from(root) == "42"
    assert canary.exists()


def test_nothing_is_saved_into_a_directory_of_another_user(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a directory to another user needs root")
    root = tmp_path / "jinja"
    root.mkdir(mode=0o700)
    os.chown(root, OTHER_UID, -1)
    cache = jinja_cache.CompileCache("t", root=root)
    cache.install(SandboxedEnvironment()).from_string(SOURCE).render()
    cache.save()
    assert list(root.iterdir()) == []


def test_the_key_holds_the_sandbox_and_the_versions() -> None:
    import sys

    import jinja2

    sandboxed = jinja_cache._fingerprint(SandboxedEnvironment())
    plain = jinja_cache._fingerprint(jinja2.Environment())
    assert sandboxed != plain
    assert sys.version.encode() in sandboxed
    assert jinja2.__version__.encode() in sandboxed
