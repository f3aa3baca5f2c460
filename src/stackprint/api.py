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
    from stackprint.speckit.check import CheckResult
    from stackprint.speckit.feature import Feature
    from stackprint.toolcheck import Diagnosis
    from stackprint.updater import UpdateResult

__all__ = ["DEFAULT_BLUEPRINT", "Prompter", "check", "doctor", "feature", "new", "update"]

DEFAULT_BLUEPRINT = "go-api"
Progress = Callable[[str], None]


class Prompter(Protocol):
    """What `new` asks interactively: the blueprint, each question, a final go-ahead.

    The terminal wizard is one; a script can pass its own.
    """

    blueprint: Blueprint | None

    def __call__(self, question: Any, default: Any, answers: Mapping[str, Any]) -> Any: ...

    def choose_blueprint(self, options: Sequence[tuple[str, str]]) -> str: ...

    def confirm(self, summary: Sequence[tuple[str, Any]]) -> bool: ...


def new(
    dest: str | Path | None = None,
    *,
    blueprint: str | Path | None = None,
    data: Mapping[str, Any] | None = None,
    answers_file: str | Path | None = None,
    defaults: bool = False,
    git: bool = True,
    generate: bool = True,
    pretend: bool = False,
    trust: bool = False,
    prompter: Prompter | None = None,
    confirm: bool = True,
    progress: Progress | None = None,
) -> CreateResult:
    """Generate a project at `dest` (default: `./PROJECT_NAME`) from `blueprint`.

    Answers come from `answers_file`, then `data` (which wins), then the defaults when
    `defaults`, then `prompter`; without one a missing answer raises `MissingAnswerError`.
    `blueprint` is a bundled name or a path; left out, `defaults` takes go-api and a
    prompter is asked. The prompter then confirms the summary (unless `confirm` is False);
    declined, `CancelledError` is raised and nothing is written.
    """
    from stackprint import blueprints
    from stackprint.answers import read_answers_file
    from stackprint.create import check_destination, create, prepare_answers

    target = Path(dest) if dest is not None else None
    if target is not None:
        check_destination(target)  # before anything is asked
    if blueprint is None:
        if prompter is not None:
            options = [(name, blueprints.load(name).title) for name in blueprints.available()]
            blueprint = prompter.choose_blueprint(options)
        elif defaults:
            blueprint = DEFAULT_BLUEPRINT
        else:
            raise UsageError("no blueprint chosen and no terminal to ask: pass --blueprint NAME")
    chosen = blueprints.load(str(blueprint))
    if prompter is not None:
        prompter.blueprint = chosen

    provided: dict[str, Any] = read_answers_file(Path(answers_file)) if answers_file else {}
    provided.update(data or {})
    if not chosen.native:
        # Not stackprint's: Copier evaluates its questionnaire as `copier copy` would.
        return create(
            target or Path(chosen.name),
            chosen,
            provided,
            git=git,
            run_generators=generate,
            pretend=pretend,
            trust=trust,
            ask=not defaults,
            progress=progress,
        )
    answers = prepare_answers(chosen, provided, dest=target, use_defaults=defaults, asker=prompter)
    if target is None:
        target = Path(str(answers.get("project_name") or chosen.name))
    if prompter is not None and confirm and not prompter.confirm(list(answers.items())):
        raise CancelledError("cancelled: nothing was written")
    return create(
        target,
        chosen,
        answers,
        git=git,
        run_generators=generate,
        pretend=pretend,
        trust=trust,
        progress=progress,
    )


def update(
    project: str | Path = ".",
    *,
    data: Mapping[str, Any] | None = None,
    pretend: bool = False,
    branch: str | None = None,
    blueprint: str | Path | None = None,
    trust: bool = False,
    asker: Asker | None = None,
    progress: Progress | None = None,
) -> UpdateResult:
    """Merge the blueprint's current version (and changed answers `data`) into `project`.

    `branch` commits the merge on that new branch and leaves the current branch and the
    work tree as they are. `blueprint` (a path) renders a newer copy of the blueprint
    instead of the recorded one; the project records it from then on. Conflicts raise
    `ConflictError` with the files (and `result`); with `pretend` nothing is written and
    `result.conflicts` lists what would conflict. `result.up_to_date` says whether there
    was anything to do, which is all `update --check` asks.
    """
    from stackprint import blueprints, updater
    from stackprint.project import find_root

    return updater.update(
        find_root(Path(project)),
        data=data,
        asker=asker,
        pretend=pretend,
        branch=branch,
        blueprint=blueprints.load(str(blueprint)) if blueprint is not None else None,
        trust=trust,
        progress=progress,
    )


def feature(
    description: str,
    *,
    project: str | Path = ".",
    short_name: str | None = None,
    number: int | None = None,
    branch: bool = True,
) -> Feature:
    """Add the next spec-kit feature (specs/NNN-name/, and git branch NNN-name unless
    `branch` is False) to the project at or above `project`."""
    from stackprint.project import find_root
    from stackprint.speckit import add_feature

    return add_feature(
        find_root(Path(project)), description, short_name=short_name, number=number, branch=branch
    )


def check(project: str | Path = ".") -> CheckResult:
    """Lint the spec documents of the project at or above `project`; findings, not errors."""
    from stackprint.project import find_root
    from stackprint.speckit.check import CheckResult
    from stackprint.speckit.check import check as run_check

    root = find_root(Path(project))
    return CheckResult(root, run_check(root))


def doctor() -> Diagnosis:
    """The tools the bundled blueprints need, each found or missing, with its version."""
    from stackprint.toolcheck import Diagnosis, diagnose

    return Diagnosis(diagnose())
