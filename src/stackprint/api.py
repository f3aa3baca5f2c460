"""The library API: one keyword-only function per command.

Each returns a result object and raises the typed errors of `stackprint.errors`; none
prints or exits. The command line is these calls plus printing, so a script gets exactly
what `stackprint COMMAND` does without parsing its output.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from stackprint.errors import CancelledError, UsageError

if TYPE_CHECKING:
    from stackprint.answers import Asker
    from stackprint.blueprints import Blueprint
    from stackprint.create import CreateResult
    from stackprint.grow import GrowResult
    from stackprint.speckit.check import CheckResult
    from stackprint.speckit.feature import Feature
    from stackprint.toolcheck import Diagnosis
    from stackprint.updater import UpdateResult

__all__ = [
    "DEFAULT_BLUEPRINT",
    "Prompter",
    "add_field",
    "add_resource",
    "check",
    "doctor",
    "feature",
    "new",
    "remove_resource",
    "update",
]

DEFAULT_BLUEPRINT = "go-api"
Progress = Callable[[str], None]


class Prompter(Protocol):
    """What `new` (and `update`) ask interactively: the blueprint, each question, a final
    go-ahead.

    The terminal wizard is one; a script can pass its own.
    """

    blueprint: Blueprint | None

    def __call__(self, question: Any, default: Any, answers: Mapping[str, Any]) -> Any: ...

    def choose_blueprint(self, options: Sequence[tuple[str, str]]) -> str: ...

    def confirm(
        self, summary: Sequence[tuple[str, Any]], question: str = "Generate the project?"
    ) -> bool: ...


def new(
    dest: str | Path | None = None,
    *,
    blueprint: str | Path | None = None,
    data: Mapping[str, Any] | None = None,
    resources: Sequence[str] = (),
    answers_file: str | Path | None = None,
    defaults: bool = False,
    git: bool = True,
    commit: bool = True,
    generate: bool = True,
    pretend: bool = False,
    trust: bool = False,
    prompter: Prompter | None = None,
    confirm: bool = True,
    progress: Progress | None = None,
    output: Progress | None = None,
) -> CreateResult:
    """Generate a project at `dest` (default: `./PROJECT_NAME`) from `blueprint`.

    Answers come from `answers_file`, then `data` and `resources` (`--resource` specs,
    `NAME[/PLURAL]=FIELD,...`), which win, then the defaults when `defaults`, then
    `prompter`; without one a missing answer raises `MissingAnswerError`. `blueprint` is a
    bundled name or a path (trusted to run code only with `trust`); left out, `defaults`
    takes go-api and a prompter is asked. The prompter then confirms the summary (unless
    `confirm` is False); declined, `CancelledError` is raised and nothing is written.
    `progress` gets each step, `output` each line the generator steps print. Inside an
    existing git work tree the project is committed on that repository's current branch
    (only staged without `commit`), with no repository of its own.
    """
    from stackprint import blueprints
    from stackprint.answers import read_answers_file
    from stackprint.create import check_destination, create, prepare_answers
    from stackprint.resources import question as resource_flags
    from stackprint.wizard import summary_rows

    # Everything given is checked before the prompter asks anything.
    provided: dict[str, Any] = read_answers_file(Path(answers_file)) if answers_file else {}
    given = dict(data or {})
    provided.update(given)
    target = Path(dest) if dest is not None else None
    if target is not None:
        check_destination(target)
    if blueprint is None:
        if prompter is not None:
            options = [(name, blueprints.load(name).title) for name in blueprints.available()]
            blueprint = prompter.choose_blueprint(options)
        elif defaults:
            blueprint = DEFAULT_BLUEPRINT
        else:
            raise UsageError("no blueprint chosen and no terminal to ask: pass --blueprint NAME")
    chosen = blueprints.load(str(blueprint), trust=trust)
    if prompter is not None:
        prompter.blueprint = chosen
    if resources:
        provided.update(resource_flags.from_flags(chosen.questions, resources, given))

    if chosen.native:
        answers = prepare_answers(
            chosen, provided, dest=target, use_defaults=defaults, asker=prompter
        )
        if target is None:
            target = Path(str(answers.get("project_name") or chosen.name))
        if prompter is not None and confirm:
            rows = summary_rows(str(target.absolute()), chosen.name, answers, chosen.groups)
            if not prompter.confirm(rows):
                raise CancelledError("cancelled: nothing was written")
    else:
        # Not stackprint's: Copier evaluates its questionnaire as `copier copy` would.
        answers, target = provided, target or Path(chosen.name)
    return create(
        target,
        chosen,
        answers,
        git=git,
        commit=commit,
        run_generators=generate,
        pretend=pretend,
        trust=trust,
        ask=not chosen.native and not defaults,
        progress=progress,
        output=output,
    )


def update(
    project: str | Path = ".",
    *,
    data: Mapping[str, Any] | None = None,
    resources: Sequence[str] = (),
    pretend: bool = False,
    branch: str | None = None,
    blueprint: str | Path | None = None,
    trust: bool = False,
    asker: Asker | None = None,
    prompter: Prompter | None = None,
    confirm: bool = True,
    progress: Progress | None = None,
    output: Progress | None = None,
) -> UpdateResult:
    """Merge the blueprint's current version (and changed answers `data`) into `project`.

    `resources` (`--resource` specs) add a resource, or replace the one of that name.
    `branch` commits the merge on that new branch and leaves the current branch and the
    work tree as they are. `blueprint` (a path) renders a newer copy of the blueprint
    instead of the recorded one; the project records it from then on. `prompter` asks
    every question again, the recorded answers as defaults, then confirms the summary
    (unless `confirm` is False; declined, `CancelledError`); `asker` only asks. Conflicts
    raise `ConflictError` with the files (and `result`); with `pretend` nothing is written
    and `result.conflicts` lists what would conflict. `result.up_to_date` says whether
    there was anything to do, which is all `update --check` asks. A project in a
    directory of a larger repository merges only its own files (paths in the result are
    the repository's).
    """
    from stackprint import blueprints, updater
    from stackprint.project import find_root
    from stackprint.project import read as read_project
    from stackprint.resources import question as resource_flags
    from stackprint.wizard import summary_rows

    root = find_root(Path(project))
    chosen = blueprints.load(str(blueprint), trust=trust) if blueprint is not None else None
    given = dict(data or {})
    recorded = read_project(root, trust=trust, blueprint=chosen) if resources or prompter else None
    if recorded is not None and resources:
        questions = recorded.blueprint.questions
        given.update(resource_flags.added_to(questions, recorded.answers, resources, given))
    check_answers: Callable[[dict[str, Any]], bool] | None = None
    if prompter is not None and recorded is not None:
        shown = recorded.blueprint
        prompter.blueprint = shown  # grouped as in `new`
        asker = prompter
        if confirm:

            def check_answers(answers: dict[str, Any]) -> bool:
                rows = summary_rows(str(root), shown.name, answers, shown.groups)
                return prompter.confirm(rows, "Update the project with these answers?")

    return updater.update(
        root,
        data=given,
        asker=asker,
        pretend=pretend,
        branch=branch,
        blueprint=chosen,
        trust=trust,
        progress=progress,
        output=output,
        confirm=check_answers,
    )


def add_resource(
    project: str | Path = ".",
    *,
    spec: str,
    pretend: bool = False,
    branch: bool = True,
    spec_kit: bool = True,
    trust: bool = False,
    progress: Progress | None = None,
    output: Progress | None = None,
) -> GrowResult:
    """Add the resource `spec` (`NAME[/PLURAL]=FIELD,...`) to the project at or above
    `project`, through update's three-way merge: every layer gains it, the user's edits
    stay, the migration history gains its table.

    With `spec_kit`, the feature `specs/NNN-manage-<plural>/` is written and committed too,
    on the new branch `NNN-manage-<plural>` (the current branch is left as it was) unless
    `branch` is False. Overlapping edits raise `ConflictError` (its `result` is the
    `GrowResult`); an existing resource of that name raises `RefusedError`.
    """
    from stackprint import grow

    return grow.add_resource(
        Path(project),
        spec=spec,
        pretend=pretend,
        branch=branch,
        spec_kit=spec_kit,
        trust=trust,
        progress=progress,
        output=output,
    )


def add_field(
    project: str | Path = ".",
    *,
    resource: str,
    fields: Sequence[str],
    pretend: bool = False,
    trust: bool = False,
    progress: Progress | None = None,
    output: Progress | None = None,
) -> GrowResult:
    """Add `fields` (`name:type[?]`) to `resource`; its table gains the columns in a new
    migration (a required one with its type's zero value for the rows already there)."""
    from stackprint import grow

    return grow.add_field(
        Path(project),
        resource=resource,
        fields=fields,
        pretend=pretend,
        trust=trust,
        progress=progress,
        output=output,
    )


def remove_resource(
    project: str | Path = ".",
    *,
    name: str,
    drop_table: bool = False,
    pretend: bool = False,
    trust: bool = False,
    progress: Progress | None = None,
    output: Progress | None = None,
) -> GrowResult:
    """Remove the resource `name`: unchanged files go, files the user changed stay and are
    listed in `result.kept`; the table stays unless `drop_table`. `RefusedError` while
    another resource references it."""
    from stackprint import grow

    return grow.remove_resource(
        Path(project),
        name=name,
        drop_table=drop_table,
        pretend=pretend,
        trust=trust,
        progress=progress,
        output=output,
    )


def feature(
    description: str,
    *,
    project: str | Path = ".",
    short_name: str | None = None,
    number: int | None = None,
    branch: bool = True,
    trust: bool = False,
) -> Feature:
    """Add the next spec-kit feature (specs/NNN-name/, and git branch NNN-name unless
    `branch` is False) to the project at or above `project`. `trust` lets a project's
    blueprint from a path load its Jinja extensions."""
    from stackprint.project import find_root
    from stackprint.speckit import add_feature

    return add_feature(
        find_root(Path(project)),
        description,
        short_name=short_name,
        number=number,
        branch=branch,
        trust=trust,
    )


def check(project: str | Path = ".", *, trust: bool = False) -> CheckResult:
    """Lint the spec documents of the project at or above `project`; findings, not errors.

    `trust` lets a project's blueprint from a path load its Jinja extensions."""
    from stackprint.project import find_root
    from stackprint.speckit.check import CheckResult
    from stackprint.speckit.check import check as run_check

    root = find_root(Path(project))
    return CheckResult(root, run_check(root, trust=trust))


def doctor(project: str | Path | None = None) -> Diagnosis:
    """The tools the bundled blueprints need, each found or missing, with its version.

    Inside a project (at or above `project`, default the current directory) the tools that
    project needs instead, and whether its test services answer. An explicit `project`
    that is not one raises `NotAProjectError`.
    """
    from stackprint.errors import NotAProjectError
    from stackprint.project import find_root
    from stackprint.toolcheck import diagnose

    root = None
    try:
        root = find_root(Path(project) if project is not None else Path())
    except NotAProjectError:
        if project is not None:
            raise
    return diagnose(root)
