"""The blueprint question that holds the resources, and its answer from `--resource` flags.

Any blueprint may ask for resources: a question named `resources` of `type: yaml`
(validated with `{{ resources | resources_error }}`) gets the `--resource` shorthand, the
one-at-a-time wizard and the grammar in `stackprint blueprints NAME`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stackprint.errors import UsageError
from stackprint.resources.spec import (
    SpecError,
    from_answer,
    parse_resource,
    parse_resources,
    type_names,
)

if TYPE_CHECKING:
    from stackprint.questions import Question

NAME = "resources"
FLAG = "--resource"
GRAMMAR = "NAME[/PLURAL]=FIELD,FIELD,..."
EXAMPLE = "invoice=number:string,total:float,issued_on:date,customer:ref(customer)"


def is_resources(question: Question) -> bool:
    return question.name == NAME and question.type == "yaml"


def find(questions: Iterable[Question]) -> Question | None:
    """The blueprint's resources question, if it asks one."""
    return next((q for q in questions if is_resources(q) and not q.computed), None)


def recorded_form(question: Question, value: Any) -> Any:
    """A checked answer as it is recorded: resources as `{name, plural, fields}` mappings
    with the plural written out, so a later change of the default plural rule never
    renames a table."""
    if not is_resources(question):
        return value
    return [resource.to_answer() for resource in parse_resources(value)]


def from_flags(
    questions: Sequence[Question], flags: Sequence[str], data: Mapping[str, Any]
) -> dict[str, Any]:
    """The answer the `--resource` flags give, as `{resources: [...]}` (empty without flags).

    `data` are the `--data` answers: giving the resources both ways is refused rather than
    silently preferring one.
    """
    if not flags:
        return {}
    question = find(questions)
    if question is None:
        raise UsageError(f"{FLAG} is not supported: this blueprint asks for no resources")
    if question.name in data:
        raise UsageError(
            f"{FLAG} and --data {question.name}=... both give the resources; use one of them"
        )
    resources = []
    for text in flags:
        try:
            resources.append(parse_resource(text).to_answer())
        except SpecError as exc:
            raise UsageError(f"{FLAG} '{text}': {exc}") from None
    return {question.name: resources}


def added_to(project: Path, flags: Sequence[str], data: Mapping[str, Any]) -> dict[str, Any]:
    """For `update --resource`: the project's recorded resources with each flag's resource
    replacing the one of the same name, or added after the others ({} without flags)."""
    if not flags:
        return {}
    from stackprint import project as recorded_project

    recorded = recorded_project.read(project)
    given = from_flags(recorded.blueprint.questions, flags, data)[NAME]
    resources = [from_answer(item).to_answer() for item in recorded.answers.get(NAME) or []]
    for resource in given:
        names = [r["name"] for r in resources]
        if resource["name"] in names:
            resources[names.index(resource["name"])] = resource
        else:
            resources.append(resource)
    return {NAME: resources}


def shorthand(item: Any) -> str:
    """One recorded resource as its `--resource` value; the plural only when not derived."""
    from stackprint.resources import naming

    resource = from_answer(item)
    head = resource.name
    if resource.plural != naming.plural(resource.name):
        head += f"/{resource.plural}"
    return f"{head}={','.join(f.spec() for f in resource.fields)}"


def help_lines(default: Any, help_text: str = "") -> list[str]:
    """How `stackprint blueprints NAME` shows the resources question: flag, default, grammar."""
    import shlex

    try:
        shown = " ".join(f"{FLAG} {shlex.quote(shorthand(item))}" for item in default or [])
    except SpecError:
        shown = str(default)
    lines = [f"  {FLAG} {GRAMMAR}  (repeatable, in order; or --data {NAME}=<yaml>)"]
    if help_text:
        lines.append(f"      {help_text.splitlines()[0]}")
    return [
        *lines,
        f"      default: {shown or 'none'}",
        "      FIELD is name:type, or name:type? when optional (nullable)",
        f"      types: {type_names()}",
        "      a reference names a resource listed before it (or its own, optional): "
        "customer:ref(customer)",
        "      id, created_at and updated_at are added to every resource",
        f"      example: {FLAG} 'customer=name:string,email:string?,tier:enum(free|pro)'",
        f"               {FLAG} '{EXAMPLE}'",
    ]
