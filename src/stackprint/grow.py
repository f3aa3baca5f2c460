"""`add resource`, `add field`, `remove resource`: grow a generated project.

Each is a change of the recorded answers followed by `updater.update`: the resources change
(and, for `remove resource --drop-table`, the migration history gains a `drop_table`), a
pristine render of the new answers is committed on the baseline and merged into the
user's branch. So every layer gains or loses the resource, the user's edits are kept, and
edits that overlap the change get conflict markers, exactly as with `update`.

The database is carried along by the migration history (`resources.schema`): `extend()`
appends a `create_table` or an `add_columns` for what the resources gained, and never
touches an earlier entry, so every existing migration file renders byte-identically.
A removed resource's table stays unless `drop_table` is asked for.

`add resource` also starts the resource's spec-kit feature, `specs/NNN-manage-<plural>/`;
on its branch `NNN-manage-<plural>` by default, made with `update(branch=...)`, which
merges in memory and leaves the current branch and work tree alone until it is done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stackprint import vcs
from stackprint.errors import ConflictError, InvalidAnswerError, RefusedError, UsageError
from stackprint.render import MIGRATIONS
from stackprint.resources import question as resource_question
from stackprint.resources import schema
from stackprint.resources.spec import (
    Field,
    Resource,
    SpecError,
    from_answer,
    parse_field,
    parse_resource,
)
from stackprint.resources.validate import resources_error

if TYPE_CHECKING:
    from stackprint.build import Progress
    from stackprint.project import Recorded
    from stackprint.speckit.feature import Feature
    from stackprint.updater import UpdateResult


@dataclass(frozen=True)
class PlannedFeature:
    """The spec-kit feature `add resource --pretend` would write."""

    name: str  # NNN-manage-<plural>, also the branch's name
    on_branch: bool  # on that new branch (else on the current one)
    changes: tuple[tuple[str, str], ...]  # (status letter as in `update`, project path)

    @property
    def directory(self) -> str:
        from stackprint.speckit.numbering import SPECS_DIR

        return f"{SPECS_DIR}/{self.name}"


@dataclass
class GrowResult:
    """What `add resource`, `add field` or `remove resource` did (or, with `pretend`,
    would do): the update's result plus what is particular to growing."""

    command: str  # "add resource", "add field" or "remove resource"
    resource: str
    update: UpdateResult
    # The migration files the change adds (their names), where the blueprint renders its
    # history as files; one that migrates with GORM's AutoMigrate adds none.
    migrations_added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # removed by the blueprint, kept as edited
    table_kept: str | None = None  # the table `remove resource` left in the database
    feature: Feature | None = None
    feature_branch: str | None = None  # the spec-kit branch the change was committed on
    # With `pretend`: the spec-kit feature that would be written (its name = its branch's,
    # whether that branch would be made, and its files), none being written.
    planned_feature: PlannedFeature | None = None
    # Next.js build directories (untracked) beside removed files: their route types still
    # name the removed pages, so the next type check fails until they go.
    stale_builds: list[str] = field(default_factory=list)

    @property
    def pretend(self) -> bool:
        return self.update.pretend

    @property
    def conflicts(self) -> list[str]:
        return self.update.conflicts

    def files(self, status: str) -> list[str]:
        return self.update.files(status)

    @property
    def next_steps(self) -> list[str]:
        steps = list(self.update.next_steps)
        if self.feature_branch is not None and not self.conflicts and not self.pretend:
            steps = [f"git push -u origin {self.feature_branch}", "open a pull request from it"]
        if self.migrations_added and not self.pretend:
            steps.append("migrate the database: the new migrations follow the existing ones")
        if self.table_kept and not self.pretend:
            steps.append(
                f"the {self.table_kept} table and its rows stay in the database; "
                "`remove resource --drop-table` would have dropped it"
            )
        if self.kept and not self.pretend:
            steps.append("delete the kept files yourself once you no longer need them")
        steps += [
            f"rm -rf {build}: it holds the build output (route types included) of removed pages"
            for build in self.stale_builds
        ]
        return steps

    def as_json(self) -> dict[str, Any]:
        """The machine-readable report of `--json`: update's, plus what grew."""
        report = self.update.as_json()
        report.update(
            {
                "command": self.command,
                "resource": self.resource,
                "migrations_added": self.migrations_added,
                "kept": self.kept,
                "table_kept": self.table_kept,
                "branch": self.feature_branch or report["branch"],
                "feature": self._feature_json(),
                "next_steps": self.next_steps,
            }
        )
        return report

    def _feature_json(self) -> dict[str, Any] | None:
        if self.feature is not None:
            return {
                "number": self.feature.feature_num,
                "name": self.feature.branch_name,
                "directory": str(self.feature.directory),
                "branch_created": self.feature.branch_created,
                "written": True,
            }
        plan = self.planned_feature
        if plan is None:
            return None
        from stackprint.updater import STATUS_NAMES

        return {
            "number": plan.name.split("-", 1)[0],
            "name": plan.name,
            "directory": plan.directory,
            "branch_created": False,
            "branch": plan.name if plan.on_branch else None,
            "files": {
                name: [path for status, path in plan.changes if status == letter]
                for letter, name in STATUS_NAMES.items()
            },
            "written": False,
        }


# ---- the three commands -----------------------------------------------------------------


def add_resource(
    project: Path,
    *,
    spec: str,
    pretend: bool = False,
    branch: bool = True,
    spec_kit: bool = True,
    trust: bool = False,
    progress: Progress | None = None,
    output: Progress | None = None,
) -> GrowResult:
    """Add the resource `spec` (`NAME[/PLURAL]=FIELD,...`) after the project's resources.

    With `spec_kit` (and a blueprint that has spec-kit documents) the feature
    `specs/NNN-manage-<plural>/` is written and committed with the change, on the new
    branch `NNN-manage-<plural>` unless `branch` is False (then on the current branch).
    """
    from stackprint import project as projects
    from stackprint.speckit import stack
    from stackprint.speckit.feature import resource_feature_name

    root = projects.find_root(project).absolute()
    recorded = projects.read(root, trust=trust)
    current = _resources(recorded)
    try:
        added = parse_resource(spec)
    except SpecError as exc:
        raise UsageError(f"resource '{spec}': {exc}") from None
    if added.name in {r.name for r in current}:
        raise RefusedError(
            f"the project already has a resource '{added.name}'",
            hint=f"add fields to it with `stackprint add field {added.name} NAME:TYPE`",
        )
    resources = [*current, added]
    history = _checked(recorded, resources)
    feature_name: tuple[int, str] | None = None
    # The project may be a directory of a larger repository (a monorepo).
    in_repository = vcs.toplevel(root) is not None
    if spec_kit and stack.has_stack(recorded.blueprint.speckit_dir):
        branches = vcs.branch_names(root) if in_repository else []
        feature_name = resource_feature_name(root, added.plural, branches)
        if branch and feature_name[1] in branches:
            raise RefusedError(f"branch '{feature_name[1]}' already exists")
    on_branch = feature_name[1] if feature_name is not None and branch else None
    start = (vcs.current_branch(root), vcs.head(root)) if in_repository else None
    result = _merge(
        "add resource",
        added.name,
        root,
        recorded,
        resources,
        history,
        pretend=pretend,
        # A dry run previews the merge into HEAD, where the new branch would start.
        branch=None if pretend else on_branch,
        trust=trust,
        progress=progress,
        output=output,
    )
    if feature_name is not None and pretend and not result.update.up_to_date:
        from stackprint.speckit.feature import resource_feature_files

        files = resource_feature_files(feature_name[1])
        result.planned_feature = PlannedFeature(
            name=feature_name[1],
            on_branch=on_branch is not None,
            changes=tuple(("M" if (root / f).exists() else "A", f) for f in files),
        )
    if feature_name is not None and not pretend and not result.update.up_to_date:
        result.feature_branch = on_branch
        try:
            result.feature = _write_feature(root, result, feature_name, added, trust)
        except BaseException:
            # Interrupted (or failed) after the merge: all or nothing, so the merge goes too.
            if start is not None:
                vcs.roll_back(root, start[0], start[1], drop_branch=on_branch)
            raise
    return result


def add_field(
    project: Path,
    *,
    resource: str,
    fields: Sequence[str],
    pretend: bool = False,
    trust: bool = False,
    progress: Progress | None = None,
    output: Progress | None = None,
) -> GrowResult:
    """Add `fields` (`name:type[?]` specs) after the fields of `resource`.

    A required field gets, in the rows already stored, the zero value of its type (stated
    in its migration); a required reference cannot be added to a table that may hold rows.
    """
    from stackprint import project as projects

    if not fields:
        raise UsageError("name at least one field to add, like due_on:date")
    root = projects.find_root(project).absolute()
    recorded = projects.read(root, trust=trust)
    current = _resources(recorded)
    target = _find(current, resource)
    new: list[Field] = []
    for text in fields:
        try:
            new.append(parse_field(text))
        except SpecError as exc:
            raise UsageError(str(exc)) from None
    have = {f.name for f in target.fields}
    for f in new:
        if f.name in have:
            raise RefusedError(f"resource '{resource}' already has a field '{f.name}'")
        have.add(f.name)
    grown = Resource(target.name, target.plural, (*target.fields, *new))
    resources = [grown if r.name == resource else r for r in current]
    history = _checked(recorded, resources)
    return _merge(
        "add field",
        resource,
        root,
        recorded,
        resources,
        history,
        pretend=pretend,
        trust=trust,
        progress=progress,
        output=output,
    )


def remove_resource(
    project: Path,
    *,
    name: str,
    drop_table: bool = False,
    pretend: bool = False,
    trust: bool = False,
    progress: Progress | None = None,
    output: Progress | None = None,
) -> GrowResult:
    """Remove the resource `name`: its files the user did not change go, the changed ones
    stay (listed in `kept`). Its table stays in the database unless `drop_table`.

    Refused while another resource references it, and for the last resource.
    """
    from stackprint import project as projects

    root = projects.find_root(project).absolute()
    recorded = projects.read(root, trust=trust)
    current = _resources(recorded)
    _find(current, name)
    referrers = [
        f"{r.name}.{f.name}"
        for r in current
        if r.name != name
        for f in r.fields
        if f.type == "ref" and f.target == name
    ]
    if referrers:
        raise RefusedError(
            f"resource '{name}' is referenced by {', '.join(referrers)}: remove those "
            "fields or resources first"
        )
    if len(current) == 1:
        raise RefusedError(f"'{name}' is the project's only resource: a project keeps one")
    resources = [r for r in current if r.name != name]
    history = _checked(recorded, resources)
    migrations = None
    table = schema.replay(history).get(name)
    if drop_table and table is not None:
        history = [*history, {"kind": "drop_table", "plural": table.name}]
        migrations = history
    result = _merge(
        "remove resource",
        name,
        root,
        recorded,
        resources,
        history,
        migrations=migrations,
        pretend=pretend,
        trust=trust,
        progress=progress,
        output=output,
    )
    if table is not None and not drop_table:
        result.table_kept = table.name
    result.kept = _kept(root, result.update)
    if not pretend:
        tops = {path.split("/", 1)[0] for path in result.files("removed") if "/" in path}
        result.stale_builds = sorted(
            f"{top}/.next" for top in tops if (root / top / ".next").is_dir()
        )
    return result


# ---- shared steps -------------------------------------------------------------------------


def _resources(recorded: Recorded) -> list[Resource]:
    questions = recorded.blueprint.questions
    if not recorded.blueprint.native or resource_question.find(questions) is None:
        raise UsageError(f"blueprint {recorded.blueprint.name} asks for no resources")
    try:
        return [from_answer(item) for item in recorded.answers.get(resource_question.NAME) or []]
    except SpecError as exc:
        raise InvalidAnswerError(resource_question.NAME, str(exc)) from None


def _find(resources: Sequence[Resource], name: str) -> Resource:
    for r in resources:
        if r.name == name:
            return r
    names = ", ".join(r.name for r in resources)
    raise UsageError(f"the project has no resource '{name}' (it has {names})")


def _has_history(recorded: Recorded) -> bool:
    return any(q.name == MIGRATIONS for q in recorded.blueprint.questions)


def _checked(recorded: Recorded, resources: Sequence[Resource]) -> list[dict[str, Any]]:
    """The new resources checked, and the migration history they extend to."""
    answer = [r.to_answer() for r in resources]
    problem = resources_error(answer)
    if problem:
        raise InvalidAnswerError(resource_question.NAME, problem)
    if not _has_history(recorded):
        return []
    try:
        return schema.history(recorded.answers.get(MIGRATIONS), answer)
    except schema.HistoryError as exc:
        raise InvalidAnswerError(resource_question.NAME, str(exc)) from None


def _merge(
    command: str,
    resource: str,
    root: Path,
    recorded: Recorded,
    resources: Sequence[Resource],
    history: list[dict[str, Any]],
    *,
    migrations: list[dict[str, Any]] | None = None,
    pretend: bool,
    branch: str | None = None,
    trust: bool,
    progress: Progress | None,
    output: Progress | None,
) -> GrowResult:
    from stackprint import updater

    before = _history_before(recorded)
    added = [m.file for m in schema.migrations(history)[len(before) :]] if history else []
    data = {resource_question.NAME: [r.to_answer() for r in resources]}
    try:
        update = updater.update(
            root,
            data=data,
            migrations=migrations,
            pretend=pretend,
            branch=branch,
            trust=trust,
            progress=progress,
            output=output,
        )
    except ConflictError as exc:
        update = exc.result  # type: ignore[assignment]
        if not isinstance(update, updater.UpdateResult):
            raise
        result = GrowResult(command, resource, update, migrations_added=_as_files(added, update))
        raise _conflict(result) from None
    result = GrowResult(command, resource, update, migrations_added=_as_files(added, update))
    if pretend and update.conflicts:
        raise _conflict(result)
    return result


def _as_files(names: list[str], update: UpdateResult) -> list[str]:
    """Those of the new history entries' file names that the render added as files."""
    added = {path.rsplit("/", 1)[-1] for path in update.files("added")}
    return [name for name in names if name in added]


def _history_before(recorded: Recorded) -> list[Mapping[str, Any]]:
    """The history the project's files were rendered from (initial when none is recorded)."""
    value = recorded.answers.get(MIGRATIONS)
    if value is not None:
        return list(schema.check_entries(value))
    resources = recorded.answers.get(resource_question.NAME) or []
    return list(schema.initial_entries(resources)) if _has_history(recorded) else []


def _conflict(result: GrowResult) -> ConflictError:
    count = len(result.conflicts)
    files = f"{count} file{'s' if count != 1 else ''}"
    where = f" on branch {result.update.branch}" if result.update.branch else ""
    verb = "would conflict in" if result.pretend else f"merged with conflicts{where} in"
    error = ConflictError(
        f"{result.command} {result.resource} {verb} {files}",
        result.conflicts,
        hint="\n".join(result.next_steps) or None,
    )
    error.result = result
    return error


def _kept(root: Path, update: UpdateResult) -> list[str]:
    """The files the blueprint removed that the user had changed, which stay.

    After a real merge they are the removed files still in the tree (git's merge removed the
    others); for a dry run, those whose content on the branch differs from the baseline's.
    """
    removed = update.files("removed")
    if not removed or update.up_to_date:
        return []
    if not update.pretend:
        if update.branch is not None:
            return sorted(vcs.files_in_commit(root, update.merge_commit or "HEAD", removed))
        return [path for path in removed if (root / path).exists()]
    base = update.base or "HEAD"
    ours = vcs.files_in_commit(root, "HEAD", removed)
    theirs = vcs.files_in_commit(root, base, removed)
    return sorted(path for path, entry in ours.items() if theirs.get(path) != entry)


def _write_feature(
    root: Path,
    result: GrowResult,
    feature_name: tuple[int, str],
    added: Resource,
    trust: bool,
) -> Feature | None:
    """Write and commit the new resource's spec-kit feature, on its branch when the merge
    went there. Not after conflicts: the answers may hold markers until they are resolved."""
    from stackprint.speckit.feature import write_resource_feature

    if result.conflicts:
        return None
    if result.feature_branch is not None:
        vcs.switch(root, result.feature_branch)
    number, name = feature_name
    feature = write_resource_feature(
        root,
        number=number,
        name=name,
        resource=added.name,
        plural=added.plural,
        branch_created=result.feature_branch is not None,
        trust=trust,
    )
    vcs.commit_paths(
        root,
        list(feature.files),  # absolute: the repository may hold more than this project
        f"Start feature {name}: spec, plan, data model and tasks of the {added.name} resource",
    )
    return feature
