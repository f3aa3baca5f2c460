"""Git, through gitpython: the only module that touches repositories."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from stackprint.errors import RefusedError, ToolchainError

if TYPE_CHECKING:
    from git import Repo

# Used only when the user has no git identity, so `new` works on a fresh CI machine.
_FALLBACK_IDENTITY = {"name": "stackprint", "email": "stackprint@localhost"}


def _repo(path: Path, *, search_parent: bool = False) -> Repo:
    try:
        import git
    except ImportError as exc:  # gitpython raises ImportError when no git binary is found
        raise ToolchainError("git is not installed: install git, or pass --no-git") from exc
    try:
        return git.Repo(path, search_parent_directories=search_parent)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise RefusedError(f"{path} is not a git repository") from exc


@contextmanager
def _refusals() -> Iterator[None]:
    """git's reports of a full or read-only disk, raised as the OSError they stand for."""
    import git

    from stackprint.filesystem import git_refusal

    try:
        yield
    except git.GitCommandError as exc:
        refusal = git_refusal(str(exc.stderr))
        if refusal is None:
            raise
        raise refusal from exc


def is_repository(path: Path) -> bool:
    """True when `path` is the top of a git work tree."""
    return (path / ".git").exists()


@contextmanager
def _identity(repo: Repo) -> Iterator[Mapping[str, str]]:
    """Environment for commits: the user's identity, or a neutral one when git has none."""
    env: dict[str, str] = {}
    reader = repo.config_reader()
    for key in ("name", "email"):
        var = key.upper()
        if os.environ.get(f"GIT_AUTHOR_{var}") or reader.has_option("user", key):
            continue
        env[f"GIT_AUTHOR_{var}"] = env[f"GIT_COMMITTER_{var}"] = _FALLBACK_IDENTITY[key]
    with repo.git.custom_environment(**env):
        yield env


def init_repository(path: Path, message: str) -> str:
    """Make `path` a repository on branch `main` with everything in it as the first commit."""
    try:
        import git
    except ImportError as exc:
        raise ToolchainError("git is not installed: install git, or pass --no-git") from exc
    with _refusals():
        git.Repo.init(path, initial_branch="main")
    return commit_all(path, message)


def commit_all(path: Path, message: str) -> str:
    """Stage every change (additions, edits, deletions) and commit; returns the new sha."""
    repo = _repo(path)
    with _refusals():
        repo.git.add("--all")
        with _identity(repo):
            repo.git.commit("--quiet", "--allow-empty", "--no-verify", "-m", message)
    return str(repo.head.commit.hexsha)


def dirty_paths(path: Path) -> list[str]:
    """Paths with uncommitted changes, untracked files included, as `git status` names them."""
    repo = _repo(path)
    out = repo.git.status("--porcelain=v1", "--untracked-files=all")
    return [line[3:] for line in out.splitlines() if line.strip()]


def current_branch(path: Path) -> str | None:
    """The checked-out branch, or None on a detached HEAD."""
    repo = _repo(path)
    return None if repo.head.is_detached else repo.active_branch.name


def branch_names(path: Path) -> list[str]:
    """Local branch names."""
    return [head.name for head in _repo(path).heads]


def create_branch(path: Path, name: str) -> None:
    """Create branch `name` at HEAD and switch to it."""
    repo = _repo(path)
    if name in branch_names(path):
        raise RefusedError(f"branch '{name}' already exists")
    repo.git.switch("--quiet", "-c", name)


def find_commit_with_trailer(path: Path, trailer: str) -> str | None:
    """The newest commit reachable from HEAD whose message has `trailer: ...` on a line."""
    repo = _repo(path)
    if not repo.head.is_valid():
        return None
    out = repo.git.rev_list(
        "--topo-order", "-n", "1", "--extended-regexp", f"--grep=^{trailer}: ", "HEAD"
    )
    return out.strip() or None


@contextmanager
def _object_store(repo: Repo, objects: Path | None) -> Iterator[None]:
    """With `objects`, write new git objects there and read the repository's as alternates."""
    env = {}
    if objects is not None:
        env = {
            "GIT_OBJECT_DIRECTORY": str(objects),
            "GIT_ALTERNATE_OBJECT_DIRECTORIES": str(Path(repo.git_dir) / "objects"),
        }
    with repo.git.custom_environment(**env):
        yield


def commit_directory(
    path: Path, source: Path, parent: str | None, message: str, *, objects: Path | None = None
) -> str:
    """Commit the files of `source` (honouring its .gitignore) in the repository at `path`.

    Neither the work tree, the index nor any ref of the repository changes: the tree is
    built with a throw-away index. With `objects`, new objects go to that directory, so a
    dry run writes nothing into the project.
    """
    repo = _repo(path)
    index = {
        "GIT_INDEX_FILE": str(source.parent / f".{source.name}.index"),
        "GIT_WORK_TREE": str(source),
    }
    with (
        _refusals(),
        _object_store(repo, objects),
        repo.git.custom_environment(**index),
        _identity(repo),
    ):
        repo.git.add("--all", "--", ".")
        tree = repo.git.write_tree()
        args = [tree, "-m", message] + (["-p", parent] if parent else [])
        return str(repo.git.commit_tree(*args)).strip()


def files_in_commit(path: Path, commit: str, prefixes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """{path: (mode, blob id)} of the files under `prefixes` in `commit`."""
    prefixes = list(prefixes)
    if not prefixes:
        return {}
    out = _repo(path).git.ls_tree("-r", "-z", "--full-tree", commit, "--", *prefixes)
    files = {}
    for entry in out.split("\0"):
        if not entry:
            continue
        meta, name = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob":
            files[name] = (mode, sha)
    return files


def read_blobs(path: Path, shas: Iterable[str]) -> dict[str, bytes]:
    """The contents of the blobs `shas`, through one `git cat-file` process."""
    repo = _repo(path)  # kept alive while reading: its cat-file process serves the streams
    try:
        return {sha: bytes(repo.odb.stream(bytes.fromhex(sha)).read()) for sha in set(shas)}
    finally:
        repo.close()


def tree_of(path: Path, commit: str, *, objects: Path | None = None) -> str:
    repo = _repo(path)
    with _object_store(repo, objects):
        return str(repo.git.rev_parse(f"{commit}^{{tree}}")).strip()


def changed_files(
    path: Path, old: str, new: str, *, objects: Path | None = None
) -> list[tuple[str, str]]:
    """(status letter, path) for each file that differs between two commits: A, M, D."""
    repo = _repo(path)
    with _object_store(repo, objects):
        out = repo.git.diff("--name-status", "--no-renames", old, new)
    return [(line[0], line[2:]) for line in out.splitlines() if line]


def merge_conflicts_preview(path: Path, theirs: str, *, objects: Path | None = None) -> list[str]:
    """Files a merge of `theirs` into HEAD would leave conflicted, computed in memory."""
    import git

    repo = _repo(path)
    with _object_store(repo, objects):
        try:
            repo.git.merge_tree("--write-tree", "--name-only", "--no-messages", "HEAD", theirs)
            return []
        except git.GitCommandError as exc:
            if exc.status != 1:
                raise
            lines = str(exc.stdout).strip().strip("'").splitlines()
            return sorted({line.strip() for line in lines[1:] if line.strip()})


def merge(path: Path, theirs: str, message: str) -> list[str]:
    """Merge `theirs` into the current branch; returns conflicted paths (empty on success).

    A file the other side deleted and this side changed is kept as this side has it: the
    user's edits win over a blueprint removing a file.
    """
    import git

    from stackprint.filesystem import git_refusal

    repo = _repo(path)
    with _identity(repo), _refusals():
        try:
            repo.git.merge("--no-ff", "--no-edit", "-m", message, theirs)
            return []
        except git.GitCommandError as exc:
            refusal = git_refusal(str(exc.stderr))  # a full disk is no conflict
            if refusal is not None:
                with suppress(git.GitCommandError):  # back to the branch as it was
                    repo.git.merge("--abort")
                raise refusal from exc
        unmerged = repo.git.ls_files("--unmerged").splitlines()
        stages: dict[str, set[str]] = {}
        for line in unmerged:
            meta, name = line.split("\t", 1)
            stages.setdefault(name, set()).add(meta.split()[2])
        conflicted = []
        for name, present in sorted(stages.items()):
            if present == {"1", "2"}:  # deleted by them, modified by us: keep ours
                repo.git.add("--", name)
            else:
                conflicted.append(name)
        if not conflicted:
            repo.git.commit("--no-edit", "--no-verify", "-m", message)
        return conflicted


def is_merging(path: Path) -> bool:
    return (Path(_repo(path).git_dir) / "MERGE_HEAD").exists()
