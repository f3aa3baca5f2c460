"""`update`: bring a project to the installed blueprint version, keeping the user's edits.

The previous pristine render (found in the project's history, see `baseline`) is the base
of a three-way merge between the user's branch and a fresh pristine render made with the
recorded answers; git's merge does the line-by-line work. The merge lands on the current
branch, or (`branch=`) on a new branch made without touching the work tree, for a pull
request.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stackprint import __version__, baseline, filesystem, vcs, workflows
from stackprint import project as recorded_project
from stackprint.answers import Asker, check_known, precheck, resolve, without_derived_defaults
from stackprint.blueprints import BUILTIN_PREFIX, Blueprint
from stackprint.build import Progress, build
from stackprint.errors import CancelledError, ConflictError, RefusedError, UsageError
from stackprint.generators import GeneratorReport
from stackprint.questions import Question
from stackprint.render import MIGRATIONS

STATUS_NAMES = {"A": "added", "M": "changed", "D": "removed"}


@dataclass
class UpdateResult:
    path: Path
    blueprint: Blueprint
    from_version: str
    to_version: str
    from_source: str = ""  # the blueprint the project was last rendered from
    changes: list[tuple[str, str]] = field(default_factory=list)  # (A|M|D, path) blueprint-side
    conflicts: list[str] = field(default_factory=list)
    pretend: bool = False
    commit: str | None = None  # the new pristine commit
    base: str | None = None  # the pristine commit the merge started from
    branch: str | None = None  # the branch the update was committed on, when asked for one
    merge_commit: str | None = None  # the update's commit on `branch`
    generators: GeneratorReport = field(default_factory=GeneratorReport)

    @property
    def up_to_date(self) -> bool:
        return not self.changes

    def files(self, status: str) -> list[str]:
        """The blueprint-side files with this status: `added`, `changed` or `removed`."""
        return [path for letter, path in self.changes if STATUS_NAMES.get(letter) == status]

    @property
    def next_steps(self) -> list[str]:
        if self.up_to_date or self.pretend:
            return []
        if self.branch is not None:
            # The tag of the new pristine commit goes along, so that the next update finds
            # its baseline even after a squash merge and from a fresh clone.
            steps = [
                f"git push --follow-tags -u origin {self.branch}",
                "open a pull request from it",
            ]
            if self.conflicts:
                steps.insert(0, f"git switch {self.branch}, resolve the <<<<<<< markers, commit")
            return steps
        if self.conflicts:
            return [
                "resolve the <<<<<<< markers, `git add` the files and `git commit`",
                "or undo the whole update with `git merge --abort`",
            ]
        return ["git show --stat HEAD"]

    def as_json(self) -> dict[str, Any]:
        """The machine-readable report of `update --json`."""
        return {
            "command": "update",
            "project": str(self.path),
            "blueprint": self.blueprint.name,
            "versions": {
                "from": self.from_version,
                "to": self.to_version,
                "from_source": self.from_source,
                "to_source": self.blueprint.source,
            },
            "up_to_date": self.up_to_date,
            "pretend": self.pretend,
            "files": {status: self.files(status) for status in STATUS_NAMES.values()},
            "conflicts": self.conflicts,
            "branch": self.branch,
            "commit": self.merge_commit,
            "pristine_commit": self.commit,
            "generators": {"ran": self.generators.ran, "reused": self.generators.reused},
            "next_steps": self.next_steps,
        }


def conflict_error(result: UpdateResult) -> ConflictError:
    """The error for an update that left (or would leave) conflicts, carrying the result."""
    where = f" on branch {result.branch}" if result.branch else ""
    verb = "would conflict" if result.pretend else f"merged with conflicts{where}"
    count = len(result.conflicts)
    error = ConflictError(
        f"update to blueprint {result.blueprint.name} {verb} in {count} file{'s' if count != 1 else ''}",
        result.conflicts,
        hint="\n".join(result.next_steps) or None,
    )
    error.result = result
    return error


def _refuse_unless_ready(
    project: Path, blueprint: Blueprint | None, trust: bool
) -> recorded_project.Recorded:
    """Every refusal, before anything is written."""
    if not project.is_dir():
        raise RefusedError(f"{project} is not a directory")
    recorded = recorded_project.read(project, trust=trust, blueprint=blueprint)
    if vcs.toplevel(project) is None:
        raise RefusedError(f"{project} is not a git repository: update merges through git history")
    if baseline.version_key(recorded.version) > baseline.version_key(__version__):
        raise RefusedError(
            f"{project} was generated by stackprint {recorded.version}, newer than this one "
            f"({__version__}): upgrade stackprint instead of downgrading the project"
        )
    if vcs.is_merging(project):
        raise RefusedError(
            "a merge is in progress: finish it (git commit) or abort it (git merge --abort)"
        )
    # In a larger repository only the project's own changes are in the way: another
    # team's work elsewhere is left as it is, and out of the merge.
    dirty = vcs.dirty_paths(project, _subdir(project))
    if dirty:
        raise RefusedError(
            f"uncommitted changes in {project}: {_shown(dirty)}; commit or stash them first"
        )
    return recorded


def _shown(paths: Sequence[str], most: int = 10) -> str:
    more = len(paths) - most
    return ", ".join(paths[:most]) + (f" and {more} more" if more > 0 else "")


def _refuse_dirty_elsewhere(project: Path, owned: Sequence[str], *, in_place: bool) -> None:
    """For a project in a directory of a larger repository: refuse uncommitted changes to
    files outside the directory that the update owns (its workflows at the top) and, when
    the merge is made in the work tree, changes staged anywhere, since git's merge needs an
    index that matches HEAD. Unstaged and untracked files elsewhere never block."""
    status = vcs.status_entries(project)
    owned_set = set(owned)
    dirty = [path for _, path in status if path in owned_set]
    if dirty:
        raise RefusedError(
            f"uncommitted changes to {project}'s files outside its directory: "
            f"{_shown(dirty)}; commit or stash them first"
        )
    staged = [path for code, path in status if code[0] not in (" ", "?")]
    if staged and in_place:
        raise RefusedError(
            f"changes staged outside the project: {_shown(staged)}; git merges only into "
            "an index that matches HEAD: unstage them (git restore --staged PATH), "
            "or merge on a new branch (update --branch)"
        )


def _answers(
    recorded: recorded_project.Recorded,
    data: Mapping[str, Any],
    asker: Asker | None,
    migrations: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    if not recorded.blueprint.native:
        # Copier evaluates the questions of templates that are not stackprint's.
        return {**recorded.answers, **data}
    questions = recorded.blueprint.questions
    check_known(questions, data, "--data")
    known = {q.name for q in questions}
    # Answers to questions a newer blueprint dropped are forgotten; new questions get
    # defaults, and so do answers that only repeated a default derived from other answers.
    previous = without_derived_defaults(
        questions, {k: v for k, v in recorded.answers.items() if k in known}
    )
    precheck(questions, data, fallback=previous)
    # The migration history is never asked, so resolve() drops it; render() extends it.
    # Taken as recorded: even where it equals the default derived from the resources,
    # it is history, and must not follow a reordered or edited resource list.
    history = {k: v for k, v in recorded.answers.items() if k == MIGRATIONS}
    if migrations is not None:
        # A caller that changes the schema itself (`remove resource --drop-table`).
        history = {MIGRATIONS: list(migrations)}
    if asker is None:
        return {
            **resolve(questions, {**previous, **data}, use_defaults=True, asker=None),
            **history,
        }

    def ask_with_recorded_default(
        question: Question, default: Any, answers: Mapping[str, Any]
    ) -> Any:
        return asker(question, previous.get(question.name, default), answers)

    answers = resolve(questions, dict(data), use_defaults=False, asker=ask_with_recorded_default)
    return {**answers, **history}


def update(
    project: Path,
    *,
    data: Mapping[str, Any] | None = None,
    asker: Asker | None = None,
    pretend: bool = False,
    branch: str | None = None,
    blueprint: Blueprint | None = None,
    trust: bool = False,
    progress: Progress | None = None,
    output: Progress | None = None,
    confirm: Callable[[dict[str, Any]], bool] | None = None,
    migrations: Sequence[Mapping[str, Any]] | None = None,
) -> UpdateResult:
    """Merge the installed blueprint version (and any changed answers) into `project`.

    `blueprint` renders another blueprint than the recorded one (a newer copy of it), and
    the project records it from then on. With `branch`, the merge is committed on that new
    branch, conflict markers and all, and neither the current branch nor the work tree
    changes. Conflicts of a real merge raise `ConflictError` (its `result` is this
    function's result); then the repository is in git's ordinary merge state, or the
    branch holds the markers. With `pretend` the conflicts are only listed in the result.
    `confirm` sees the answers before anything is written; declined, `CancelledError`.
    `output` gets each line the generator steps print. `migrations` replaces the recorded
    migration history (before it is extended to the resources): a schema change that the
    resources alone do not imply, like dropping a table.
    """
    if branch is not None and pretend:
        raise UsageError("--branch and --pretend do not go together: --pretend writes nothing")
    project = project.absolute()
    recorded = _refuse_unless_ready(project, blueprint, trust)
    if branch is not None:
        vcs.check_new_branch_name(project, branch)
    subdir = _subdir(project)
    base = baseline.find(project, subdir)
    if base is None and not _can_rerender(recorded):
        base = _newest_or_refuse(project, subdir)
    answers = _answers(recorded, data or {}, asker, migrations)
    if confirm is not None and not confirm(answers):
        raise CancelledError("cancelled: nothing was changed")
    blueprint = recorded.blueprint
    result = UpdateResult(
        project,
        blueprint,
        recorded.version,
        __version__,
        from_source=recorded.source,
        pretend=pretend,
    )
    with filesystem.refusals_mapped(f"cannot update {project}"):
        return _render_and_merge(
            project, subdir, recorded, base, answers, result, branch, trust, progress, output
        )


def _render_and_merge(
    project: Path,
    subdir: str,
    recorded: recorded_project.Recorded,
    base: str | None,
    answers: dict[str, Any],
    result: UpdateResult,
    branch: str | None,
    trust: bool,
    progress: Progress | None,
    output: Progress | None,
) -> UpdateResult:
    from stackprint import reuse

    blueprint = recorded.blueprint
    pretend = result.pretend
    staging = Path(tempfile.mkdtemp(prefix="stackprint-update-"))
    try:
        objects = staging / "objects" if pretend else None
        if objects is not None:
            objects.mkdir()
        rerendered = base is None
        if base is None:
            base = _rerender_baseline(
                project, subdir, recorded, staging, trust, progress, output, objects
            ) or _newest_or_refuse(project, subdir)
        ours = "HEAD"
        if not vcs.is_ancestor(project, base, "HEAD"):
            # Squash-merged, rebased or cherry-picked: HEAD holds the baseline's changes
            # but not the commit. Recording it as merged makes it the merge base.
            title = "Record the baseline of the merged stackprint update"
            ours = vcs.record_merged(
                project, base, baseline.merge_message(title, base), objects=objects
            )
        result.base = base
        work = staging / project.name
        result.generators = build(
            work,
            blueprint,
            answers,
            created=recorded.created or _today(),
            trust=trust,
            require_generators=True,
            # Generator steps whose inputs are unchanged since the last pristine render
            # keep its outputs: no toolchain run for a change that touches no contract.
            # (A baseline rendered again by a dry run is not in the repository's objects.)
            reuse=None if rerendered and objects else reuse.from_commit(project, base, subdir),
            progress=progress,
            output=output,
        )
        title = f"Pristine render of stackprint blueprint {blueprint.name} {__version__}"
        pristine = _commit_render(
            project, subdir, work, base, baseline.message(title, blueprint), objects
        )
        result.changes = vcs.changed_files(project, base, pristine, objects=objects)
        if result.up_to_date:
            return result
        if subdir:
            owned = [path for _, path in result.changes if not path.startswith(f"{subdir}/")]
            owned += vcs.files_in_commit(project, base, [workflows.WORKFLOWS], objects=objects)
            _refuse_dirty_elsewhere(project, owned, in_place=branch is None and not pretend)
        if pretend:
            result.conflicts = vcs.merge_conflicts_preview(
                project, pristine, ours=ours, objects=objects
            )
            return result
        result.commit = pristine
        if progress:
            progress("merging")
        title = f"Update to stackprint blueprint {blueprint.name} {__version__}"
        message = baseline.merge_message(title, pristine)
        if branch is None:
            if ours != "HEAD":
                vcs.fast_forward(project, ours)
            result.conflicts = vcs.merge(project, pristine, message)
        else:
            result.branch = branch
            result.merge_commit, result.conflicts = vcs.merge_to_new_branch(
                project, branch, pristine, message, ours=ours
            )
        # Tagged once merged (with conflicts or not), so that clones carry the baseline;
        # a merge that failed leaves no tag behind.
        for rendered in dict.fromkeys((base, pristine)):
            baseline.tag(project, rendered, blueprint, subdir)
        if result.conflicts:
            raise conflict_error(result)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _can_rerender(recorded: recorded_project.Recorded) -> bool:
    """Whether the baseline can be rendered again exactly: the recorded answers are a bundled
    blueprint's, recorded by this very stackprint version, and so is the blueprint used.
    (A blueprint given by path may have changed since under the same path.)"""
    return (
        recorded.source.startswith(BUILTIN_PREFIX)
        and recorded.blueprint.source == recorded.source
        and recorded.version == __version__
        and bool(recorded.created)
    )


def _rerender_baseline(
    project: Path,
    subdir: str,
    recorded: recorded_project.Recorded,
    staging: Path,
    trust: bool,
    progress: Progress | None,
    output: Progress | None,
    objects: Path | None,
) -> str | None:
    """The baseline rendered again from the recorded answers, committed as a root pristine
    commit: the render is a pure function of the answers (with their recorded creation
    date), so it is the commit the project was made from, even in a clone that lacks it.

    Checked, not assumed: None unless its answers file is HEAD's byte for byte.
    """
    if progress:
        progress("rendering the baseline again from the recorded answers")
    work = staging / "baseline" / project.name
    work.parent.mkdir()
    build(
        work,
        recorded.blueprint,
        recorded.answers,
        created=recorded.created,
        trust=trust,
        require_generators=True,
        progress=progress,
        output=output,
    )
    title = (
        f"Pristine render of stackprint blueprint {recorded.blueprint.name} {__version__}, "
        "again from the recorded answers"
    )
    message = baseline.message(title, recorded.blueprint)
    commit = _commit_render(project, subdir, work, None, message, objects)
    answers = baseline.answers_path(subdir)
    if vcs.blob_at(project, commit, answers, objects=objects) != vcs.blob_at(
        project, "HEAD", answers
    ):
        return None  # the answers file was edited by hand, say
    return commit


def _newest_or_refuse(project: Path, subdir: str) -> str:
    """No render records the project's answers (edited by hand?): the newest pristine commit
    in the history is the best base left."""
    base = baseline.newest(project, subdir)
    if base is None:
        raise RefusedError(
            f"no baseline in {project}'s history (no commit has a '{baseline.TRAILER}' "
            "trailer; was it created with --no-git, or its history squashed?): "
            "regenerate it with `stackprint new` and copy your changes over"
        )
    return base


def _commit_render(
    project: Path, subdir: str, work: Path, parent: str | None, message: str, objects: Path | None
) -> str:
    """Commit the pristine render in `work`: as it is for a project at the top of its
    repository; at its directory, its CI workflows at the top, for one inside a larger
    repository (as `new` commits it there, see `workflows`)."""
    if not subdir:
        return vcs.commit_directory(project, work, parent, message, objects=objects)
    flows = work.parent / f".{work.name}.workflows"
    also = {workflows.WORKFLOWS: flows} if workflows.relocate(work, flows, subdir) else {}
    return vcs.commit_directory(
        project, work, parent, message, objects=objects, prefix=subdir, also=also
    )


def _subdir(project: Path) -> str:
    """The project's directory in its repository: "" at the top, else e.g. `services/api`."""
    top = vcs.toplevel(project)
    assert top is not None  # refused before
    relative = project.resolve().relative_to(top.resolve()).as_posix()
    return "" if relative == "." else relative


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()
