"""Git, through gitpython: the only module that touches repositories."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from stackprint import signals
from stackprint.errors import RefusedError, ToolchainError, UsageError

if TYPE_CHECKING:
    from git import Repo

# Used only when the user has no git identity, so `new` works on a fresh CI machine.
_FALLBACK_IDENTITY = {"name": "stackprint", "email": "stackprint@localhost"}


def _repo(path: Path, *, search_parent: bool = True) -> Repo:
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


def toplevel(path: Path) -> Path | None:
    """The top of the git work tree `path` is in (or is), or None outside any.

    A project in a directory of a larger repository (a monorepo) has its history there.
    """
    for candidate in (path, *path.parents):
        if candidate.exists():
            break
    else:
        return None
    try:
        import git
    except ImportError:
        return None
    try:
        repo = git.Repo(candidate, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    top = repo.working_tree_dir
    return Path(top) if top is not None else None


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


def is_ignored(path: Path, name: str) -> bool:
    """Whether the repository at `path` ignores the path `name` (relative to its top)."""
    status = _repo(path).git.check_ignore(
        "--quiet", name, with_exceptions=False, with_extended_output=True
    )[0]
    return bool(status == 0)


def dirty_paths(path: Path, under: str = "") -> list[str]:
    """Paths with uncommitted changes, untracked files included, as `git status` names them
    (only those in the directory `under`, relative to the top, when given)."""
    return [name for _, name in status_entries(path, under)]


def status_entries(path: Path, under: str = "") -> list[tuple[str, str]]:
    """(`XY` status code, path from the top) of each uncommitted change, untracked files
    included (only those in the directory `under`, when given). A rename is its new path."""
    repo = _repo(path)
    out = repo.git.status(
        "--porcelain=v1", "-z", "--untracked-files=all", *(["--", under] if under else [])
    )
    entries = []
    fields = iter(out.split("\0"))
    for field in fields:
        if not field:
            continue
        code, name = field[:2], field[3:]
        if code[0] in "RC":
            next(fields, None)  # the path it was renamed or copied from
        entries.append((code, name))
    return entries


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


def switch(path: Path, name: str) -> None:
    """Switch to the existing branch `name` (the work tree must be clean)."""
    with _refusals():
        _repo(path).git.switch("--quiet", name)


def commit_paths(path: Path, paths: Iterable[Path], message: str) -> str:
    """Stage exactly `paths` and commit them, and only them: what else is staged (another
    team's change elsewhere in a monorepo) stays staged and out of the commit; returns the
    new sha."""
    repo = _repo(path)
    names = [str(p) for p in paths]
    with _refusals():
        repo.git.add("--", *names)
        with _identity(repo):
            repo.git.commit("--quiet", "--no-verify", "--only", "-m", message, "--", *names)
    return str(repo.head.commit.hexsha)


def head(path: Path) -> str:
    return str(_repo(path).git.rev_parse("HEAD")).strip()


def head_or_none(path: Path) -> str | None:
    """HEAD's commit, or None on a branch with no commit yet."""
    out = _repo(path).git.rev_parse("--verify", "--quiet", "HEAD", with_exceptions=False)
    return str(out).strip() or None


def move_head_back(path: Path, commit: str, previous: str | None) -> None:
    """Undo a commit on the current branch that only moved it (`add_subproject`'s): the
    branch back at `previous` (gone, when it had no commit before), if it is still at
    `commit`; the index and work tree are left alone."""
    repo = _repo(path)
    if previous is None:
        repo.git.update_ref("-d", "HEAD", commit, with_exceptions=False)
    else:
        repo.git.update_ref(
            "-m", "stackprint new: undone", "HEAD", previous, commit, with_exceptions=False
        )


def delete_tag(path: Path, name: str) -> None:
    _repo(path).git.update_ref("-d", f"refs/tags/{name}", with_exceptions=False)


def tracked(path: Path, paths: Iterable[str]) -> list[str]:
    """Those of `paths` (from the top) that the index has."""
    names = list(paths)
    if not names:
        return []
    out = _repo(path).git.ls_files("-z", "--", *names)
    return [name for name in out.split("\0") if name]


def unstage_new(path: Path, paths: Iterable[str]) -> None:
    """Take `paths` (files or directories, from the top) out of the index again, leaving
    the work tree: they were not there before (`add_subproject` put them in)."""
    names = list(paths)
    if names:
        _repo(path).git.rm(
            "--cached", "-r", "-q", "--ignore-unmatch", "--", *names, with_exceptions=False
        )


def roll_back(path: Path, branch: str | None, commit: str, *, drop_branch: str | None) -> None:
    """Put the repository back on `branch` at `commit`, as it was before a command that was
    interrupted after committing: the project's files at `path` reset, files it left
    untracked under the directories it writes removed, and its new branch `drop_branch`
    deleted. Uncommitted changes outside `path` (another project's, in a monorepo) stay."""
    with signals.held():  # a second Ctrl-C cannot leave the undo half done
        _roll_back(path, branch, commit, drop_branch=drop_branch)


def _roll_back(path: Path, branch: str | None, commit: str, *, drop_branch: str | None) -> None:
    repo = _repo(path)
    with suppress(Exception):
        repo.git.merge("--abort")
    # Only the project's files: they were clean when the command started.
    repo.git.reset("-q", "--", str(path))
    repo.git.checkout("-q", "--", str(path))
    repo.git.clean("-fdq", "--", str(path / "specs"), str(path / ".specify"))
    if branch is not None and drop_branch is not None and branch != drop_branch:
        repo.git.switch("-q", branch)
    if head(path) != commit:
        # `--keep` moves the branch back and the project's files with it, and leaves
        # changes to the files the undone commits did not touch in the work tree.
        repo.git.reset("-q", "--keep", commit)
    if drop_branch is not None and drop_branch in branch_names(path):
        repo.git.branch("-D", drop_branch)


def find_commit_with_trailer(path: Path, trailer: str) -> str | None:
    """The newest commit reachable from HEAD that carries `trailer: ...` on a line and
    descends, through such commits only, from a root commit.

    That chain is how pristine renders are made (the first by `new`, each next one on the
    previous), so a commit whose message merely quotes the trailer is passed over: for
    example the squash-merge of an update branch, whose message lists the branch's
    commits, trailers and all.
    """
    repo = _repo(path)
    if not repo.head.is_valid():
        return None
    return _first_in_chain(repo, trailer, "HEAD")


def is_pristine(path: Path, trailer: str, commit: str) -> bool:
    """Whether `commit` is one of a chain of trailer commits down to a root commit."""
    return _first_in_chain(_repo(path), trailer, commit) == commit


def pristine_commits(path: Path, trailer: str, starts: Iterable[str]) -> list[str]:
    """Every commit reachable from `starts` that is a real pristine render: it carries
    `trailer` and its parents are such commits, or it has none. Newest first.

    A rebase replays a pristine commit's diff onto the user's branch with the message,
    trailer and all; the replay's parent is the user's commit, so it is passed over.
    """
    repo = _repo(path)
    starts = list(dict.fromkeys(starts))
    if not starts:
        return []
    parents, order = _trailer_commits(repo, trailer, starts)
    chained = _chain_test(parents)
    return [sha for sha in order if chained(sha)]


def _trailer_commits(
    repo: Repo, trailer: str, starts: list[str]
) -> tuple[dict[str, list[str]], list[str]]:
    # --ignore-missing: a fresh clone lacks the commits that only trailers name.
    out = repo.git.rev_list(
        "--ignore-missing",
        "--topo-order",
        "--extended-regexp",
        f"--grep=^{trailer}: ",
        "--parents",
        *starts,
    )
    parents: dict[str, list[str]] = {}
    order = []
    for line in out.splitlines():
        sha, *rest = line.split()
        parents[sha] = rest
        order.append(sha)
    return parents, order


def _chain_test(parents: dict[str, list[str]]) -> Callable[[str], bool]:
    """Whether a commit descends, through trailer commits with one parent, from a root."""
    chained: dict[str, bool] = {}

    def in_chain(sha: str) -> bool:
        # Iterative walk down first parents; pristine chains are as long as the updates.
        walk = []
        while sha not in chained:
            above = parents.get(sha)
            if above is None or len(above) > 1:
                chained[sha] = False
                break
            if not above:
                chained[sha] = True
                break
            walk.append(sha)
            sha = above[0]
        for seen in walk:
            chained[seen] = chained[sha]
        return chained[sha]

    return in_chain


def _first_in_chain(repo: Repo, trailer: str, start: str) -> str | None:
    parents, order = _trailer_commits(repo, trailer, [start])
    in_chain = _chain_test(parents)
    return next((sha for sha in order if in_chain(sha)), None)


def tag(path: Path, name: str, commit: str, message: str) -> None:
    """Make the annotated tag `name` on `commit` (annotated: `git push --follow-tags` carries
    it). A tag of that name on that commit already is left as it is."""
    repo = _repo(path)
    existing = repo.git.rev_parse(
        "--verify", "--quiet", f"refs/tags/{name}^{{commit}}", with_exceptions=False
    ).strip()
    if existing == commit:
        return
    with _refusals(), _identity(repo):
        repo.git.tag("--annotate", "--force", "--message", message, name, commit)


def tagged_commits(path: Path, prefix: str) -> list[str]:
    """The commits that tags named `prefix<one component>` point at."""
    out = _repo(path).git.for_each_ref(
        "--format=%(refname) %(objectname) %(*objectname)", f"refs/tags/{prefix}"
    )
    commits = []
    for line in out.splitlines():
        ref, target, *peeled = line.split()
        if "/" in ref.removeprefix(f"refs/tags/{prefix}"):
            continue  # another namespace below this one
        commits.append(peeled[0] if peeled else target)
    return commits


def named_in_trailers(path: Path, trailer: str) -> list[str]:
    """The commits named by `trailer: SHA` lines in HEAD's history, newest first, whether or
    not this clone has them."""
    repo = _repo(path)
    if not repo.head.is_valid():
        return []
    out = repo.git.log("--extended-regexp", f"--grep=^{trailer}: ", "--format=%B", "HEAD")
    prefix = f"{trailer}: "
    shas = [line[len(prefix) :].strip() for line in out.splitlines() if line.startswith(prefix)]
    return list(dict.fromkeys(sha for sha in shas if _is_hex_id(sha)))


def _is_hex_id(text: str) -> bool:
    return len(text) == 40 and all(ch in "0123456789abcdef" for ch in text)


def fetch_commit(path: Path, sha: str) -> bool:
    """Fetch `sha` from `origin` when this clone lacks it; whether the clone has it now.

    A fresh clone lacks commits no branch or tag reaches; forges keep pull request refs and
    many serve such commits by id.
    """
    repo = _repo(path)
    if not _has_commit(repo, sha) and "origin" in [remote.name for remote in repo.remotes]:
        with repo.git.custom_environment(GIT_TERMINAL_PROMPT="0"):
            repo.git.fetch("--quiet", "--no-tags", "origin", sha, with_exceptions=False)
    return _has_commit(repo, sha)


def fetch_tags(path: Path, prefix: str) -> None:
    """Fetch the tags named `prefix*` from `origin`, if there is one; a failure (offline,
    no access) is ignored, as is a remote that has none. An existing clone does not get a
    tag on a commit no branch reaches any more (the pristine commit of a rebased update)
    from a plain `git pull`."""
    repo = _repo(path)
    if "origin" not in [remote.name for remote in repo.remotes]:
        return
    spec = f"refs/tags/{prefix}*:refs/tags/{prefix}*"
    with repo.git.custom_environment(GIT_TERMINAL_PROMPT="0"):
        repo.git.fetch("--quiet", "--no-tags", "origin", spec, with_exceptions=False)


def has_commit(path: Path, sha: str) -> bool:
    return _has_commit(_repo(path), sha)


def blob_at(path: Path, commit: str, file: str, *, objects: Path | None = None) -> str | None:
    """The blob id of `file` in `commit`, or None when it has no such file."""
    repo = _repo(path)
    with _object_store(repo, objects):
        status, out, _ = repo.git.rev_parse(
            "--verify",
            "--quiet",
            f"{commit}:{file}",
            with_exceptions=False,
            with_extended_output=True,
        )
    return str(out).strip() if status == 0 else None


def blobs_at(path: Path, commits: Iterable[str], file: str) -> dict[str, str | None]:
    """{commit: the blob id of `file` in it, or None}, through one `git cat-file` process
    however many commits there are (a project gains a pristine commit per update)."""
    import tempfile

    commits = list(dict.fromkeys(commits))
    if not commits:
        return {}
    repo = _repo(path)
    with tempfile.TemporaryFile("w+b") as names:
        names.write("".join(f"{commit}:{file}\n" for commit in commits).encode())
        names.seek(0)
        out = repo.git.cat_file("--batch-check=%(objectname) %(objecttype)", istream=names)
    found: dict[str, str | None] = {}
    # One line per name, in order: "<id> <type>", or "<name> missing" (or "ambiguous").
    for commit, line in zip(commits, str(out).splitlines(), strict=True):
        sha, kind = line.rsplit(" ", 1)
        found[commit] = sha if kind not in ("missing", "ambiguous") else None
    return found


def lines_changed(path: Path, old: str, new: str) -> int:
    """How many lines differ between two commits (added plus removed; a binary file is 1)."""
    out = _repo(path).git.diff("--numstat", "--no-renames", old, new)
    total = 0
    for line in out.splitlines():
        added, removed, _ = line.split("\t", 2)
        total += 1 if added == "-" else int(added) + int(removed)
    return total


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
    path: Path,
    source: Path,
    parent: str | None,
    message: str,
    *,
    objects: Path | None = None,
    prefix: str = "",
    also: Mapping[str, Path] | None = None,
) -> str:
    """Commit the files of `source` (honouring its .gitignore) in the repository at `path`,
    under the directory `prefix` of the commit's tree when one is given, and the files of
    each directory in `also` under its key.

    Neither the work tree, the index nor any ref of the repository changes: the tree is
    built with a throw-away index. With `objects`, new objects go to that directory, so a
    dry run writes nothing into the project.
    """
    repo = _repo(path)
    scratch = source.parent / f".{source.name}.prefixed"
    with _refusals(), _object_store(repo, objects), _identity(repo):
        tree = _tree_of_directory(repo, source)
        if prefix:
            tree = _tree_under(repo, scratch, tree, prefix)
        for where, directory in (also or {}).items():
            tree = _tree_under(repo, scratch, _tree_of_directory(repo, directory), where, tree)
        args = [tree, "-m", message] + (["-p", parent] if parent else [])
        return str(repo.git.commit_tree(*args)).strip()


def _tree_of_directory(repo: Repo, source: Path) -> str:
    index = source.parent / f".{source.name}.index"
    index.unlink(missing_ok=True)
    try:
        with repo.git.custom_environment(GIT_INDEX_FILE=str(index), GIT_WORK_TREE=str(source)):
            repo.git.add("--all", "--", ".")
            return str(repo.git.write_tree()).strip()
    finally:
        index.unlink(missing_ok=True)


def _tree_under(repo: Repo, index: Path, tree: str, prefix: str, base: str | None = None) -> str:
    """The tree `base` (or an empty one) with `tree` as its directory `prefix`."""
    index.unlink(missing_ok=True)
    try:
        with repo.git.custom_environment(GIT_INDEX_FILE=str(index)):
            if base is not None:
                repo.git.read_tree(base)
            repo.git.read_tree(f"--prefix={prefix.strip('/')}/", tree)
            return str(repo.git.write_tree()).strip()
    finally:
        index.unlink(missing_ok=True)


def add_subproject(path: Path, pristine: str, message: str | None) -> str | None:
    """Put every file of the pristine commit (a project at its directory, and its files at
    the top such as workflows) into the repository's index and, with `message`, commit
    them on the current branch as a merge of HEAD and `pristine`; returns that commit.
    The work tree already holds the same files.

    Only those paths are added: changes the user had staged elsewhere stay staged, and out
    of the commit. The merge parent is what makes the pristine commit the base of the
    project's first update, as a standalone project's first commit is.
    """
    import tempfile

    repo = _repo(path)
    with tempfile.TemporaryFile("w+b") as listing, _refusals():
        entries = str(repo.git.ls_tree("-r", "-z", "--full-tree", pristine)).rstrip("\0")
        listing.write(entries.encode() + b"\0")

        def add_to_index() -> None:
            listing.seek(0)
            repo.git.update_index("-z", "--index-info", istream=listing)

        add_to_index()
        repo.git.update_index("-q", "--refresh", with_exceptions=False)
        if message is None:
            return None
        head = str(repo.head.commit.hexsha) if repo.head.is_valid() else None
        scratch = Path(repo.git_dir) / f"stackprint-{os.getpid()}.index"
        scratch.unlink(missing_ok=True)
        try:
            with repo.git.custom_environment(GIT_INDEX_FILE=str(scratch)):
                if head is not None:
                    repo.git.read_tree(head)
                add_to_index()
                tree = str(repo.git.write_tree()).strip()
        finally:
            scratch.unlink(missing_ok=True)
        parents = [*(["-p", head] if head else []), "-p", pristine]
        with _identity(repo):
            commit = str(repo.git.commit_tree(tree, *parents, "-m", message)).strip()
        repo.git.update_ref("-m", "stackprint new", "HEAD", commit, *([head] if head else []))
    return commit


def files_in_commit(
    path: Path, commit: str, prefixes: Iterable[str], *, objects: Path | None = None
) -> dict[str, tuple[str, str]]:
    """{path: (mode, blob id)} of the files under `prefixes` in `commit`."""
    prefixes = list(prefixes)
    if not prefixes:
        return {}
    repo = _repo(path)
    with _object_store(repo, objects):
        out = repo.git.ls_tree("-r", "-z", "--full-tree", commit, "--", *prefixes)
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


def _merge_tree(repo: Repo, ours: str, theirs: str) -> tuple[str, list[str]]:
    """Merge two commits in memory: the merged tree (conflict markers in its files) and the
    conflicted paths. A file `theirs` deleted and `ours` changed is not a conflict: the
    tree keeps our version, as `merge` does."""
    status, out, err = repo.git.merge_tree(
        "--write-tree",
        "--no-messages",
        "-z",
        ours,
        theirs,
        with_extended_output=True,
        with_exceptions=False,
    )
    if status not in (0, 1):
        raise RefusedError(f"git merge-tree failed: {err.strip() or out.strip()}")
    tree, *entries = out.split("\0")
    stages: dict[str, set[str]] = {}
    for entry in entries:
        if "\t" not in entry:
            continue  # the empty field that ends the list
        meta, name = entry.split("\t", 1)
        stages.setdefault(name, set()).add(meta.split()[2])
    conflicted = sorted(name for name, present in stages.items() if present != {"1", "2"})
    return tree.strip(), conflicted


def merge_conflicts_preview(
    path: Path, theirs: str, *, ours: str = "HEAD", objects: Path | None = None
) -> list[str]:
    """Files a merge of `theirs` into `ours` would leave conflicted, computed in memory."""
    repo = _repo(path)
    with _object_store(repo, objects):
        return _merge_tree(repo, ours, theirs)[1]


def _has_commit(repo: Repo, sha: str) -> bool:
    status = repo.git.cat_file(
        "-e", f"{sha}^{{commit}}", with_exceptions=False, with_extended_output=True
    )[0]
    return bool(status == 0)


def is_ancestor(path: Path, ancestor: str, descendant: str) -> bool:
    status = _repo(path).git.merge_base(
        "--is-ancestor", ancestor, descendant, with_exceptions=False, with_extended_output=True
    )[0]
    return bool(status == 0)


def record_merged(path: Path, theirs: str, message: str, *, objects: Path | None = None) -> str:
    """A commit with HEAD's tree and parents HEAD and `theirs`: it records that HEAD holds
    `theirs` already, which makes `theirs` the merge base of the next merge from its
    descendants.

    After a squash merge, a rebase or a cherry-pick, the user's branch has an update's
    changes but not its pristine commit; this merge changes no file and puts it back.
    """
    repo = _repo(path)
    with _object_store(repo, objects), _identity(repo):
        return str(
            repo.git.commit_tree("HEAD^{tree}", "-p", "HEAD", "-p", theirs, "-m", message)
        ).strip()


def fast_forward(path: Path, commit: str) -> None:
    """Move the current branch (and work tree) forward to `commit`."""
    _repo(path).git.merge("--ff-only", "--quiet", commit)


def check_new_branch_name(path: Path, name: str) -> None:
    """Refuse a branch name git would refuse, or one that exists already."""
    repo = _repo(path)
    status, _, _ = repo.git.check_ref_format(
        "--branch", name, with_extended_output=True, with_exceptions=False
    )
    if status != 0:
        raise UsageError(f"'{name}' is not a valid git branch name")
    if name in branch_names(path):
        raise RefusedError(f"branch '{name}' already exists: delete it or choose another name")


def merge_to_new_branch(
    path: Path, name: str, theirs: str, message: str, *, ours: str = "HEAD"
) -> tuple[str, list[str]]:
    """Commit the merge of `theirs` into `ours` on a new branch `name`, conflict markers and
    all; returns the merge commit and the conflicted paths.

    Neither the current branch, the index nor the work tree changes: the merge is made in
    memory (`git merge-tree`) and committed with `commit-tree`.
    """
    check_new_branch_name(path, name)
    repo = _repo(path)
    head = str(repo.git.rev_parse(ours)).strip()
    tree, conflicted = _merge_tree(repo, head, theirs)
    if conflicted:
        listed = "".join(f"  {file}\n" for file in conflicted)
        message = f"{message}\n\nConflicts, committed with their <<<<<<< markers:\n{listed}"
    with _identity(repo):
        commit = str(repo.git.commit_tree(tree, "-p", head, "-p", theirs, "-m", message)).strip()
    repo.git.branch(name, commit)
    return commit, conflicted


def merge(path: Path, theirs: str, message: str) -> list[str]:
    """Merge `theirs` into the current branch; returns conflicted paths (empty on success).

    A file the other side deleted and this side changed is kept as this side has it: the
    user's edits win over a blueprint removing a file.
    """
    import git

    from stackprint.filesystem import git_refusal

    repo = _repo(path)
    # Held, so an interrupt finds the merge made, conflicted or not begun, never a work
    # tree git was still writing when stackprint exited.
    with _identity(repo), _refusals(), signals.held():
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
