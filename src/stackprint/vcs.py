"""Git, through gitpython: the only module that touches repositories."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
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
    git.Repo.init(path, initial_branch="main")
    return commit_all(path, message)


def commit_all(path: Path, message: str) -> str:
    """Stage every change (additions, edits, deletions) and commit; returns the new sha."""
    repo = _repo(path)
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
