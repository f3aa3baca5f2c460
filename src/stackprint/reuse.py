"""Reusing the previous pristine render's generated code during `update`.

A generator step that declares its inputs and outputs is not run again when every input
file is byte-for-byte (and mode-for-mode) what it was in the previous pristine commit:
its outputs are copied from that commit instead. Most blueprint changes touch no contract,
so an update then costs a render and a merge, not a toolchain run.
"""

from __future__ import annotations

import hashlib
import shutil
import stat
from pathlib import Path

from stackprint import vcs
from stackprint.generators import GeneratorStep, Reuse


def _blob_id(data: bytes) -> str:
    """The id git gives a file with this content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _mode(path: Path) -> str:
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode):
        return "120000"
    return "100755" if st.st_mode & stat.S_IXUSR else "100644"


def files_on_disk(root: Path, prefixes: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """{path: (mode, blob id)} of the files under `prefixes` in the directory `root`."""
    files: dict[str, tuple[str, str]] = {}
    for prefix in prefixes:
        top = root / prefix
        candidates = [top] if top.is_file() or top.is_symlink() else top.rglob("*")
        for path in candidates:
            if path.is_dir() and not path.is_symlink():
                continue
            data = str(path.readlink()).encode() if path.is_symlink() else path.read_bytes()
            files[path.relative_to(root).as_posix()] = (_mode(path), _blob_id(data))
    return files


def from_commit(project: Path, commit: str, subdir: str = "") -> Reuse:
    """A `reuse(work, step)` that restores `step`'s outputs from `commit` of `project` into
    `work` and returns True when its inputs in `work` equal those in `commit` (in its
    directory `subdir`, for a project inside a larger repository)."""
    if subdir:
        commit = f"{commit}:{subdir}"

    def reuse(work: Path, step: GeneratorStep) -> bool:
        if not step.inputs or not step.outputs:
            return False
        before = vcs.files_in_commit(project, commit, step.inputs)
        if not before or files_on_disk(work, step.inputs) != before:
            return False
        outputs = vcs.files_in_commit(project, commit, step.outputs)
        if not outputs:
            return False  # the previous render did not run this step
        for prefix in step.outputs:
            # Generators replace their output directories wholesale; so does this.
            target = work / prefix
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            elif target.exists() or target.is_symlink():
                target.unlink()
        contents = vcs.read_blobs(project, (sha for _, sha in outputs.values()))
        for name, (mode, sha) in outputs.items():
            dest = work / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            data = contents[sha]
            if mode == "120000":
                dest.symlink_to(data.decode())
                continue
            dest.write_bytes(data)
            if mode == "100755":
                dest.chmod(0o755)
        return True

    return reuse
