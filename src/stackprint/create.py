"""`new`: answers -> render -> spec documents -> generators -> git -> move into place.

Everything happens in a temporary directory beside the destination, renamed into place
at the end, so a failure or an interrupt at any step leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stackprint import blueprints, generators, signals, workflows
from stackprint.answers import Asker, check_known, precheck, resolve
from stackprint.build import Progress, build, listing
from stackprint.errors import DestinationError, InvalidAnswerError, UsageError
from stackprint.questions import Question


@dataclass
class CreateResult:
    path: Path
    blueprint: blueprints.Blueprint
    answers: dict[str, Any]
    files: list[str]
    next_steps: list[str]
    generators: generators.GeneratorReport = field(default_factory=generators.GeneratorReport)
    commit: str | None = None
    pretend: bool = False
    # The repository the project joined, when it is in a directory of one; then `files`
    # are paths from its top (the project's workflows are written there).
    repository: Path | None = None

    @property
    def subdir(self) -> str | None:
        """The project's directory in `repository`, like `services/billing`."""
        if self.repository is None:
            return None
        return self.path.resolve().relative_to(self.repository.resolve()).as_posix()

    def as_json(self) -> dict[str, Any]:
        """The machine-readable report of `new --json`."""
        from stackprint import __version__

        return {
            "command": "new",
            "project": str(self.path),
            "repository": None if self.repository is None else str(self.repository),
            "blueprint": self.blueprint.name,
            "versions": {"stackprint": __version__, "source": self.blueprint.source},
            "pretend": self.pretend,
            "answers": self.answers,
            "files": {"added": self.files, "changed": [], "removed": []},
            "commit": self.commit,
            "generators": {
                "ran": self.generators.ran,
                "skipped": self.generators.skipped,
            },
            "next_steps": [] if self.pretend else [f"cd {self.path}", *self.next_steps],
        }


def destination_name(dest: Path) -> str:
    """The directory's own name, also for `.` or `..`, which name the directory they are."""
    return dest.absolute().resolve().name if dest.name in ("", ".", "..") else dest.name


def check_destination(dest: Path) -> None:
    """Refuse destinations that would lose or misplace files, or that cannot be written."""
    from stackprint import filesystem

    if dest.is_symlink():
        raise DestinationError(f"destination {dest} is a symbolic link; give the real directory")
    if dest.exists():
        if not dest.is_dir():
            raise DestinationError(f"destination {dest} exists and is not a directory")
        if any(dest.iterdir()):
            raise DestinationError(f"destination {dest} exists and is not empty")
        # An existing empty directory is filled in place (it may be the shell's cwd).
        filesystem.require_writable(dest, "the project in")
    else:
        filesystem.require_writable(dest.absolute().parent, "the project directory")


def file_overview(files: list[str], base: str | None = None) -> list[str]:
    """Files counted by top-level entry, for a listing that fits a screen: `api/ (12 files)`.

    With `base` (a project's directory in its repository, the files named from the top),
    by the entries of that directory: `services/billing/api/ (12 files)`, and each file
    elsewhere (its workflows) by its path.
    """
    counts: dict[str, int] = {}
    for name in files:
        if base is not None and not name.startswith(f"{base}/"):
            counts[name] = counts.get(name, 0) + 1
            continue
        prefix = "" if base is None else f"{base}/"
        top, sep, _ = name.removeprefix(prefix).partition("/")
        key = prefix + (f"{top}/" if sep else top)
        counts[key] = counts.get(key, 0) + 1
    return [
        f"{key} ({n} file{'s' if n != 1 else ''})" if key.endswith("/") else key
        for key, n in sorted(counts.items())
    ]


def prepare_answers(
    blueprint: blueprints.Blueprint,
    provided: Mapping[str, Any],
    *,
    dest: Path | None,
    use_defaults: bool,
    asker: Asker | None,
) -> dict[str, Any]:
    """Validate the given answers and ask (or default) the rest."""
    check_known(blueprint.questions, provided, "--data/--answers-file")
    data = dict(provided)
    names = {q.name for q in blueprint.questions}
    if dest is not None and "project_name" in names and "project_name" not in data:
        # The directory names the project unless told otherwise, as with `git clone`; the
        # wizard offers it as the default instead.
        if asker is None:
            data["project_name"] = destination_name(dest)
        else:
            asker = _default_project_name(asker, destination_name(dest))
    try:
        precheck(blueprint.questions, data)  # before the wizard's first question
        return resolve(blueprint.questions, data, use_defaults=use_defaults, asker=asker)
    except InvalidAnswerError as exc:
        if exc.key == "project_name" and "project_name" not in provided and dest is not None:
            exc.message += " (taken from the destination's name; pass --data project_name=NAME)"
        raise


def _default_project_name(asker: Asker, name: str) -> Asker:
    def ask(question: Question, default: Any, answers: Mapping[str, Any]) -> Any:
        return asker(question, name if question.name == "project_name" else default, answers)

    return ask


def create(
    dest: Path,
    blueprint: blueprints.Blueprint,
    answers: Mapping[str, Any],
    *,
    git: bool = True,
    commit: bool = True,
    run_generators: bool = True,
    pretend: bool = False,
    trust: bool = False,
    ask: bool = False,
    progress: Progress | None = None,
    output: Progress | None = None,
    today: dt.date | None = None,
) -> CreateResult:
    """Write a new project at `dest` from already validated `answers`.

    For a template that is not stackprint's, `answers` are only what the user gave:
    Copier evaluates the questions (and asks the open ones when `ask`), and the result
    carries the answers Copier recorded.

    Inside an existing git work tree, the project joins that repository (see
    `_Joining`): committed on its current branch, or only staged without `commit`.
    """
    check_destination(dest)
    dest = dest.absolute().resolve() if dest.name in ("", ".", "..") else dest.absolute()

    from stackprint import baseline, filesystem

    # A dry run asks too: it lists the files where they would be written, and refuses
    # what the real run would refuse.
    enclosing = _enclosing_repository(dest) if git else None
    if not commit and enclosing is None and not pretend:
        raise UsageError(
            "--no-commit is for a project inside an existing git repository; "
            "outside one, --no-git leaves the repository out"
        )

    note = progress or (lambda _msg: None)
    blueprint = blueprint.with_trust(trust)
    created = (today or dt.date.today()).isoformat()
    context = blueprint.context(answers)
    next_steps = blueprint.render_next_steps(context)

    # Staged beside the destination so the final rename stays on one filesystem, or inside
    # it when it exists already (an empty directory, perhaps the shell's cwd, is filled in
    # place and never replaced); a dry run touches neither. The names are chosen before
    # anything is created, and created inside the `try`, so an interrupt at any moment
    # finds them in the cleanup.
    in_place = dest.is_dir()
    parent_created = None if pretend or in_place else _topmost_missing(dest.parent)
    name = destination_name(dest)
    where = Path(tempfile.gettempdir()) if pretend else (dest if in_place else dest.parent)
    staging = where / f".{name}.{secrets.token_hex(6)}.stackprint"
    joining: _Joining | None = None
    try:
        with filesystem.refusals_mapped(f"cannot write the project at {dest}"):
            if parent_created is not None:
                dest.parent.mkdir(parents=True, exist_ok=True)
            staging.mkdir(mode=0o700)
        work = staging / name
        with filesystem.refusals_mapped(f"cannot write the project at {dest}"):
            report = build(
                work,
                blueprint,
                answers,
                created=created,
                ask=ask,
                run_generators=run_generators and not pretend,
                progress=note,
                output=output,
            )
        if not blueprint.native:
            from stackprint.project import read_raw

            answers = {k: v for k, v in read_raw(work).items() if not str(k).startswith("_")}
        files = listing(work)
        moved: list[str] = []
        if enclosing is not None:
            # The workflows go to the repository's top (see `workflows`); the listing names
            # every file where it is written, from the top, as `update` reports them.
            top, subdir = enclosing
            moved = workflows.relocate(work, staging / "workflows", subdir)
            _refuse_taken(top, moved)
            files = sorted(
                [f"{subdir}/{file}" for file in listing(work)]
                + [f"{workflows.WORKFLOWS}/{flow}" for flow in moved]
            )
        result = CreateResult(
            dest,
            blueprint,
            dict(answers),
            files,
            next_steps,
            report,
            pretend=pretend,
            repository=None if enclosing is None else enclosing[0],
        )
        if pretend:
            return result
        if git:
            from stackprint import vcs

            note("committing")
            title = f"Generate {context.get('project_name', name)} from stackprint blueprint {blueprint.name}"
            with filesystem.refusals_mapped(f"cannot write the project at {dest}"):
                if enclosing is None:
                    result.commit = vcs.init_repository(work, baseline.message(title, blueprint))
                    baseline.tag(work, result.commit, blueprint)
                else:
                    pristine = _commit_in_repository(
                        enclosing, work, staging, moved, baseline.message(title, blueprint)
                    )
        if enclosing is None:
            if in_place:
                _move_contents(work, dest)
            else:
                work.rename(dest)
            return result
        joining = _Joining(enclosing, dest, in_place)
        with (
            filesystem.refusals_mapped(f"cannot add the project to {enclosing[0]}"),
            # git inherits the blocked signals, so a Ctrl-C cuts no git command short and
            # is delivered when all is written; then the `except` below undoes it all.
            signals.held(),
        ):
            joining.place(work, staging / "workflows", moved)
            result.commit = joining.join(pristine, blueprint, title if commit else None)
        return result
    except BaseException:
        with signals.held():
            if joining is not None:
                joining.undo()
            if parent_created is not None and not dest.exists():
                shutil.rmtree(parent_created, ignore_errors=True)
            if in_place and not pretend:
                _empty(dest, keep=staging)
        raise
    finally:
        with signals.held():
            filesystem.remove_tree(staging)


def _enclosing_repository(dest: Path) -> tuple[Path, str] | None:
    """(the top of the git work tree `dest` would be in, `dest`'s path in it), or None.

    Refuses when that tree has uncommitted changes under `dest` (a tracked file deleted
    there, say) or is in the middle of a merge: the project's commit would take them in.
    """
    from stackprint import vcs
    from stackprint.errors import RefusedError

    top = vcs.toplevel(dest)
    if top is None:
        return None
    subdir = dest.resolve().relative_to(top.resolve()).as_posix()
    if vcs.is_ignored(top, subdir):
        return None  # not part of that repository (a dotfiles repository ignoring `*`, say)
    if vcs.is_merging(top):
        raise RefusedError(
            f"{top} is in the middle of a merge: finish it (git commit) or abort it first"
        )
    dirty = vcs.dirty_paths(top, subdir)
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise RefusedError(
            f"uncommitted changes in {top} under {subdir}: {shown}; commit or stash them first"
        )
    return top, subdir


def _refuse_taken(top: Path, moved: list[str]) -> None:
    """Refuse a workflow name the repository has already (as a file, or tracked)."""
    from stackprint import vcs
    from stackprint.errors import RefusedError

    paths = [f"{workflows.WORKFLOWS}/{name}" for name in moved]
    taken = [path for path in paths if (top / path).exists()] or vcs.tracked(top, paths)
    if taken:
        raise RefusedError(
            f"{top / taken[0]} exists already: the project's workflow "
            "would replace it; move that file or choose another directory"
        )


def _commit_in_repository(
    enclosing: tuple[Path, str], work: Path, staging: Path, moved: list[str], message: str
) -> str:
    """The pristine commit of a project joining the repository around it: the project at
    its path, its CI workflows (moved to `staging/workflows`) at the top."""
    from stackprint import vcs

    top, subdir = enclosing
    also = {workflows.WORKFLOWS: staging / "workflows"} if moved else {}
    return vcs.commit_directory(top, work, None, message, prefix=subdir, also=also)


class _Joining:
    """A project joining the repository around it, step by step, each undone by `undo`.

    It is placed (the project at its path, the workflows at the top), then added, with
    no nested repository: staged, and with a title committed on the current branch as a
    merge of its pristine commit (its baseline, made at its path, tagged under its path).
    Until `create` returns, an interrupt or a failure puts the repository back as it was:
    no project directory, no workflow file, the index, HEAD and tags as they were.
    """

    def __init__(self, enclosing: tuple[Path, str], dest: Path, in_place: bool) -> None:
        from stackprint import vcs

        self.top, self.subdir = enclosing
        self.dest, self.in_place = dest, in_place
        self.placed = False
        self.flows: list[Path] = []  # workflow files put at the top
        self.made: list[Path] = []  # directories made for them
        self.head = vcs.head_or_none(self.top)
        self.indexed = False
        self.commit: str | None = None
        self.tag: str | None = None

    def place(self, work: Path, flows: Path, moved: list[str]) -> None:
        self.placed = True
        if self.in_place:
            _move_contents(work, self.dest)
        else:
            work.rename(self.dest)
        target = self.top / workflows.WORKFLOWS
        self.made = [p for p in (target.parent, target) if not p.exists()]
        for name in moved:
            target.mkdir(parents=True, exist_ok=True)
            self.flows.append(target / name)
            (flows / name).rename(target / name)

    def join(self, pristine: str, blueprint: blueprints.Blueprint, title: str | None) -> str | None:
        from stackprint import baseline, vcs

        message = None
        if title is not None:
            message = baseline.merge_message(f"Add {self.subdir}: {title}", pristine)
        self.indexed = True
        self.commit = vcs.add_subproject(self.top, pristine, message)
        self.tag = baseline.tag(self.top, pristine, blueprint, self.subdir)
        return self.commit

    def undo(self) -> None:
        from stackprint import vcs

        if self.tag is not None:
            vcs.delete_tag(self.top, self.tag)
        if self.commit is not None:
            vcs.move_head_back(self.top, self.commit, self.head)
        if self.indexed:
            paths = [self.subdir, *(p.relative_to(self.top).as_posix() for p in self.flows)]
            vcs.unstage_new(self.top, paths)
        for flow in self.flows:
            flow.unlink(missing_ok=True)
        for made in reversed(self.made):
            with contextlib.suppress(OSError):  # not empty: another file came meanwhile
                made.rmdir()
        if self.placed and not self.in_place:
            shutil.rmtree(self.dest, ignore_errors=True)


def _move_contents(work: Path, dest: Path) -> None:
    """Move the staged project's entries into the existing directory `dest`, itself left
    in place."""
    for name in sorted(e.name for e in work.iterdir()):
        (work / name).rename(dest / name)


def _empty(dest: Path, *, keep: Path) -> None:
    """Undo a half-done in-place move: `dest` was empty before, so all but staging goes."""
    for entry in dest.iterdir():
        if entry != keep:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _topmost_missing(parent: Path) -> Path | None:
    """The topmost of `parent` and its parents that does not exist yet: `new` creates it,
    and removes it again on failure."""
    missing = [p for p in [parent, *parent.parents] if not p.exists()]
    return missing[-1] if missing else None
