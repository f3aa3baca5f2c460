"""The baseline of a project: the pristine render of its blueprint, kept in its own history.

`new` commits the pristine render as the project's first commit; each `update` commits the
next pristine render with the previous one as its parent and merges it into the user's
branch. Every clone therefore carries the base of the next three-way merge, and no copy of
an old blueprint is ever needed. Pristine commits are found by their trailer.

Pull requests are often squash-merged, rebased or cherry-picked, and their branches
deleted: then the history of the user's branch no longer reaches the pristine commit, and
a fresh clone does not even have it. So each pristine commit also gets an annotated tag
(`stackprint/baseline/<sha>`, which `git push --follow-tags` carries and clones fetch),
and `find` looks for the baseline among every pristine commit it can reach: HEAD's
history, those tags, and the commits that update merge commits (or their squashed
messages) name. The right one is the render whose recorded answers file is the project's:
those answers made it, so HEAD holds its changes. Nothing else in the tree tells renders
apart as reliably, since the user edits everything else.
"""

from __future__ import annotations

from pathlib import Path

from stackprint import __version__, vcs
from stackprint.blueprints import Blueprint
from stackprint.project import ANSWERS_FILE

TRAILER = "Stackprint-Pristine"
# On an update's merge commit: the pristine commit it merged. A squash merge drops that
# commit from the history but keeps the message, so the next update can find it again.
MERGED_TRAILER = "Stackprint-Baseline"
# Tags on pristine commits: `stackprint/baseline/<sha>` for a project at the top of its
# repository, `stackprint/baseline/<dir>/<sha>` for one in a directory of it.
TAG_NAMESPACE = "stackprint/baseline/"


def message(title: str, blueprint: Blueprint, version: str = __version__) -> str:
    """A commit message that marks its commit as the pristine render of `blueprint`."""
    return f"{title}\n\n{TRAILER}: {blueprint.source} {version}\n"


def merge_message(title: str, pristine: str) -> str:
    """The message of an update's merge commit, naming the pristine commit it merges."""
    return f"{title}\n\n{MERGED_TRAILER}: {pristine}\n"


def version_key(version: str) -> tuple[int, ...]:
    """`0.10.1` -> (0, 10, 1); pre-release suffixes are ignored."""
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit()) or "0"
        parts.append(int(digits))
    return tuple(parts)


def tag_prefix(subdir: str = "") -> str:
    return TAG_NAMESPACE + (f"{subdir.strip('/')}/" if subdir.strip("/") else "")


def tag(repository: Path, commit: str, blueprint: Blueprint, subdir: str = "") -> str:
    """Tag the pristine `commit` so that clones carry it; returns the tag's name."""
    name = tag_prefix(subdir) + commit[:12]
    vcs.tag(
        repository,
        name,
        commit,
        f"stackprint baseline: the pristine render of blueprint {blueprint.name}, "
        "the base of the next update's merge",
    )
    return name


def find(repository: Path, subdir: str = "") -> str | None:
    """The pristine commit HEAD's project was last rendered as, or None.

    Candidates are the real pristine commits (see `vcs.pristine_commits`) reachable from
    HEAD, from the baseline tags, and named by `Stackprint-Baseline:` trailers in HEAD's
    history; when none fits, the tags and then the newest named commit are fetched from
    `origin`. Of those whose answers file
    is HEAD's, the one closest to HEAD wins: two renders can record the same answers (a
    blueprint copy changed in place under the same path and version), and then the one
    HEAD was made from differs from HEAD only by the user's edits. A tag of an update that
    was never merged is passed over that way too.
    """
    answers = answers_path(subdir)
    wanted = vcs.blob_at(repository, "HEAD", answers)
    if wanted is None:
        return None
    named = vcs.named_in_trailers(repository, MERGED_TRAILER)
    starts = ["HEAD", *vcs.tagged_commits(repository, tag_prefix(subdir)), *named]
    matching = _matching(repository, starts, answers, wanted)
    if not matching:
        # An older clone lacks the tags of renders that no branch reaches: ask the forge.
        vcs.fetch_tags(repository, tag_prefix(subdir))
        matching = _matching(
            repository, vcs.tagged_commits(repository, tag_prefix(subdir)), answers, wanted
        )
    if not matching:
        # A fresh clone without the tags: the newest named commit, from the forge.
        missing = next((sha for sha in named if not vcs.has_commit(repository, sha)), None)
        if missing is not None and vcs.fetch_commit(repository, missing):
            matching = _matching(repository, [missing], answers, wanted)
    if len(matching) <= 1:
        return matching[0] if matching else None
    distance = {sha: vcs.lines_changed(repository, sha, "HEAD") for sha in matching}
    return min(matching, key=lambda sha: (distance[sha], matching.index(sha)))


def newest(repository: Path, subdir: str = "") -> str | None:
    """The newest real pristine commit in HEAD's history that renders this project (has
    its answers file): the base when no render records the project's answers."""
    commits = vcs.pristine_commits(repository, TRAILER, ["HEAD"])
    blobs = vcs.blobs_at(repository, commits, answers_path(subdir))
    return next((sha for sha in commits if blobs[sha] is not None), None)


def answers_path(subdir: str = "") -> str:
    """Where the project's answers file is in its repository's tree."""
    return f"{subdir.strip('/')}/{ANSWERS_FILE}" if subdir.strip("/") else ANSWERS_FILE


def _matching(repository: Path, starts: list[str], answers: str, wanted: str) -> list[str]:
    commits = vcs.pristine_commits(repository, TRAILER, starts)
    blobs = vcs.blobs_at(repository, commits, answers)
    return [sha for sha in commits if blobs[sha] == wanted]
