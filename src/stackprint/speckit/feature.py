"""`stackprint feature`: start the next feature of a project, as spec-kit's
create-new-feature script does, with spec.md and plan.md pre-filled from the answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stackprint.errors import RefusedError, UsageError
from stackprint.speckit import layout, numbering, slug
from stackprint.speckit.render import NEW_FEATURE_DOCS, FeatureInfo, render_docs, write

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Feature:
    """A feature that was added: its number, branch (= spec directory name) and files."""

    number: int
    branch_name: str
    directory: Path
    spec_file: Path
    plan_file: Path
    branch_created: bool
    files: tuple[Path, ...] = ()

    @property
    def feature_num(self) -> str:
        return numbering.format_number(self.number)

    def as_json(self) -> dict[str, str]:
        """What spec-kit's `create-new-feature --json` prints."""
        return {
            "BRANCH_NAME": self.branch_name,
            "SPEC_FILE": str(self.spec_file),
            "FEATURE_NUM": self.feature_num,
        }


def _suffix(description: str, short_name: str | None) -> str:
    suffix = (
        slug.clean_name(short_name)
        if short_name is not None
        else slug.slug_from_description(description)
    )
    if not suffix:
        what = "--short-name" if short_name is not None else "the description"
        raise UsageError(
            f"{what} gives an empty feature name: it needs letters or digits",
            hint="pass --short-name, for example --short-name invoice-export",
        )
    return suffix


def add_feature(
    project: Path,
    description: str,
    *,
    short_name: str | None = None,
    number: int | None = None,
    branch: bool = True,
    trust: bool = False,
    today: dt.date | None = None,
) -> Feature:
    """Create `specs/NNN-slug/` with spec.md and plan.md, point `.specify/feature.json` at
    it and, unless `branch` is False, create and switch to git branch `NNN-slug`.
    `trust` lets a blueprint from a path load its Jinja extensions."""
    from stackprint import project as projects
    from stackprint import vcs

    description = " ".join(description.split())
    if not description:
        raise UsageError("the feature description is empty")
    if number is not None and number < 1:
        raise UsageError(f"--number must be a positive whole number, got {number}")
    project = project.absolute()
    recorded = projects.read(project, trust=trust)
    branches: list[str] = []
    if branch:
        top = vcs.toplevel(project)  # a project may be a directory of a larger one
        if top is None:
            raise RefusedError(
                f"{project} is not a git repository",
                hint="pass --no-branch to only write the spec files",
            )
        # Only the project's own changes: in a monorepo, another team's uncommitted work
        # elsewhere rides along to the new branch untouched, as git carries it.
        under = project.resolve().relative_to(top.resolve()).as_posix()
        dirty = vcs.dirty_paths(project, "" if under == "." else under)
        if dirty:
            shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
            raise RefusedError(
                f"uncommitted changes would be carried over to the new branch: {shown}",
                hint="commit them first, or pass --no-branch",
            )
        branches = vcs.branch_names(project)

    if number is None:
        number = numbering.next_number(project, branches)
    else:
        taken = numbering.dirs_with_number(project, number)
        if taken:
            raise RefusedError(
                f"feature number {numbering.format_number(number)} is already used by "
                f"specs/{taken[0].name}",
                hint="leave out --number to take the next free one",
            )
    name = slug.branch_name(numbering.format_number(number), _suffix(description, short_name))
    if name in branches:
        raise RefusedError(
            f"branch '{name}' already exists", hint="pick another --short-name or --number"
        )
    directory = project / numbering.SPECS_DIR / name
    if directory.exists():
        raise RefusedError(f"{directory.relative_to(project)} already exists")

    info = FeatureInfo(
        number=numbering.format_number(number),
        branch=name,
        title=description[0].upper() + description[1:],
        description=description,
        created=(today or dt.date.today()).isoformat(),
    )
    documents = render_docs(
        project, recorded.blueprint, recorded.context, info, NEW_FEATURE_DOCS, initial=False
    )
    if branch:
        vcs.create_branch(project, name)
    files = write(project, documents)
    files.append(layout.write_feature_pointer(project, info.directory))
    return Feature(
        number=number,
        branch_name=name,
        directory=directory,
        spec_file=directory / "spec.md",
        plan_file=directory / "plan.md",
        branch_created=branch,
        files=tuple(files),
    )


def resource_feature_name(project: Path, plural: str, branches: list[str]) -> tuple[int, str]:
    """The number and name (`004-manage-invoices`) of the feature that adds `plural`."""
    from stackprint.resources import naming

    number = numbering.next_number(project, branches)
    suffix = slug.clean_name(f"manage-{naming.kebab(plural)}")
    return number, slug.branch_name(numbering.format_number(number), suffix)


def resource_feature_files(name: str) -> list[str]:
    """The project paths `write_resource_feature` writes for the feature `name`
    (`NNN-manage-<plural>`): what `add resource --pretend` says it would write."""
    from stackprint.speckit.render import RESOURCE_FEATURE_DOCS

    docs = [f"{numbering.SPECS_DIR}/{name}/{doc}" for doc in RESOURCE_FEATURE_DOCS]
    return [*docs, layout.FEATURE_JSON]


def write_resource_feature(
    project: Path,
    *,
    number: int,
    name: str,
    resource: str,
    plural: str,
    branch_created: bool,
    trust: bool = False,
    today: dt.date | None = None,
) -> Feature:
    """Write `specs/<name>/` for the resource `add resource` just added: its spec, plan,
    data model and tasks, as the generated code implements them (the documents describe
    that resource alone), and point `.specify/feature.json` at it."""
    from stackprint import project as projects
    from stackprint.resources import naming
    from stackprint.speckit.render import RESOURCE_FEATURE_DOCS, title_of

    recorded = projects.read(project, trust=trust)
    words = naming.label(plural)
    info = FeatureInfo(
        number=numbering.format_number(number),
        branch=name,
        title=title_of(name.split("-", 1)[1]),
        description=f"Create, list, view, update and delete {words}",
        created=(today or dt.date.today()).isoformat(),
    )
    documents = render_docs(
        project,
        recorded.blueprint,
        recorded.context,
        info,
        RESOURCE_FEATURE_DOCS,
        initial=True,
        focus=[resource],
    )
    files = write(project, documents)
    files.append(layout.write_feature_pointer(project, info.directory))
    directory = project / numbering.SPECS_DIR / name
    return Feature(
        number=number,
        branch_name=name,
        directory=directory,
        spec_file=directory / "spec.md",
        plan_file=directory / "plan.md",
        branch_created=branch_created,
        files=tuple(files),
    )
