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

from stackprint import __version__, baseline, filesystem, vcs
from stackprint import project as recorded_project
from stackprint.answers import Asker, check_known, precheck, resolve, without_derived_defaults
from stackprint.blueprints import Blueprint
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
            steps = [f"git push -u origin {self.branch}", "open a pull request from it"]
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
    if not vcs.is_repository(project):
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
    dirty = vcs.dirty_paths(project)
    if dirty:
        shown = ", ".join(dirty[:10]) + (f" and {len(dirty) - 10} more" if len(dirty) > 10 else "")
        raise RefusedError(f"uncommitted changes in {project}: {shown}; commit or stash them first")
    return recorded


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
    base = vcs.find_commit_with_trailer(project, baseline.TRAILER)
    if base is None:
        raise RefusedError(
            f"no baseline in {project}'s history (no commit has a '{baseline.TRAILER}' trailer; "
            "was it created with --no-git, or its history squashed?): regenerate it with "
            "`stackprint new` and copy your changes over"
        )
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
            project, recorded, base, answers, result, branch, trust, progress, output
        )


def _render_and_merge(
    project: Path,
    recorded: recorded_project.Recorded,
    base: str,
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
        base, ours = _after_squash_merge(project, base, objects)
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
            reuse=reuse.from_commit(project, base),
            progress=progress,
            output=output,
        )
        title = f"Pristine render of stackprint blueprint {blueprint.name} {__version__}"
        pristine = vcs.commit_directory(
            project, work, base, baseline.message(title, blueprint), objects=objects
        )
        result.changes = vcs.changed_files(project, base, pristine, objects=objects)
        if result.up_to_date:
            return result
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
        if result.conflicts:
            raise conflict_error(result)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _after_squash_merge(project: Path, base: str, objects: Path | None) -> tuple[str, str]:
    """The baseline to merge from, and the commit to merge into (HEAD, usually).

    When an earlier update was squash-merged, its pristine commit is not in the history,
    but the squash message still names it (`Stackprint-Baseline:`). Merging it back first
    (a commit that changes no file: the squash made the same changes) makes it the merge
    base again, so lines that update changed are not mistaken for the user's edits.
    """
    squashed = vcs.named_in_trailer(project, baseline.MERGED_TRAILER)
    if squashed is None or not vcs.is_pristine(project, baseline.TRAILER, squashed):
        return base, "HEAD"
    if not vcs.is_ancestor(project, base, squashed):
        return base, "HEAD"  # not a render that follows this branch's baseline
    title = "Record the baseline of the squash-merged stackprint update"
    caught_up = vcs.catch_up(
        project, squashed, baseline.merge_message(title, squashed), objects=objects
    )
    if caught_up is None:
        return base, "HEAD"  # edited since: the older baseline is the honest base
    return squashed, caught_up


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()
