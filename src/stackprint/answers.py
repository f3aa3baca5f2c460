"""Answers from flags, files and the wizard, resolved in copier.yml order and validated."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

from stackprint.errors import AnswersFileError, MissingAnswerError, StackprintError, UsageError
from stackprint.questions import Question
from stackprint.resources import question as resource_question


class Asker(Protocol):
    """Asks one question interactively and returns a valid answer (the wizard is one)."""

    def __call__(self, question: Question, default: Any, answers: Mapping[str, Any]) -> Any: ...


def parse_data(pairs: Iterable[str]) -> dict[str, str]:
    """`KEY=VALUE` flags to a mapping; the value may contain `=`."""
    data: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--data expects KEY=VALUE, got '{pair}'")
        data[key.strip()] = value
    return data


def read_answers_file(path: Path) -> dict[str, Any]:
    """Answers from a YAML file, such as another project's `.copier-answers.yml`.

    Copier's own `_`-prefixed bookkeeping keys are ignored, so a recorded answers file
    can be replayed as it is.
    """
    import yaml

    from stackprint import yamlio

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AnswersFileError(f"cannot read answers file {path}: {exc.strerror}") from exc
    try:
        data = yamlio.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise AnswersFileError(f"answers file {path} is not valid YAML{where}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise AnswersFileError(f"answers file {path} must be a mapping of question: answer")
    return {str(k): v for k, v in data.items() if not str(k).startswith("_")}


def check_known(questions: list[Question], provided: Mapping[str, Any], origin: str) -> None:
    """Refuse answers to questions the blueprint does not ask."""
    known = {q.name for q in questions if not q.computed}
    unknown = sorted(set(provided) - known)
    if unknown:
        raise UsageError(
            f"{origin} names unknown question{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(k) for k in unknown)} (known: {', '.join(sorted(known))})"
        )


def resolve(
    questions: list[Question],
    provided: Mapping[str, Any],
    *,
    use_defaults: bool,
    asker: Asker | None,
) -> dict[str, Any]:
    """Answer every question in order and return the answers Copier records.

    A provided answer wins; then the default when `use_defaults`; then the asker; with no
    asker a missing answer is an error naming the flag to pass.
    """
    context: dict[str, Any] = {}
    recorded: dict[str, Any] = {}
    for question in questions:
        if question.computed or not question.is_asked(context):
            context[question.name] = question.default_value(context)
            continue
        if question.name in provided:
            value = question.check(provided[question.name], context)
        elif use_defaults and question.default is not None:
            value = question.check(question.default_value(context), context)
        elif asker is not None:
            value = question.check(
                asker(question, question.default_value(context), context), context
            )
        else:
            raise MissingAnswerError(question.name)
        value = resource_question.recorded_form(question, value)
        context[question.name] = recorded[question.name] = value
    return recorded


def is_derived(question: Question) -> bool:
    """A question whose default is a template over other answers (e.g. a plural)."""
    default = question.default
    return isinstance(default, str) and ("{{" in default or "{%" in default)


def without_derived_defaults(
    questions: list[Question], recorded: Mapping[str, Any]
) -> dict[str, Any]:
    """Recorded answers minus those that only repeat their derived default.

    Such an answer was never the user's choice, so when the answers it derives from change
    it must follow them: recorded `resource_plural: products` is forgotten (and recomputed)
    when it equals what `resource: product` gives, and kept when the user had set it.
    """
    return {
        question.name: value
        for question, value, default in _against_defaults(questions, recorded)
        if not (is_derived(question) and value == default)
    }


def _against_defaults(
    questions: list[Question], answers: Mapping[str, Any]
) -> Iterator[tuple[Question, Any, Any]]:
    """(question, answer, default) for each answered question, in order, each default
    rendered with the answers before it (unanswered questions stand at their defaults)."""
    context: dict[str, Any] = {}
    for question in questions:
        default = _default_or_none(question, context)
        if question.name in answers:
            yield question, answers[question.name], default
            context[question.name] = answers[question.name]
        else:
            context[question.name] = default


def _default_or_none(question: Question, context: Mapping[str, Any]) -> Any:
    from jinja2 import TemplateError

    try:
        return question.default_value(context)
    except (StackprintError, TemplateError, TypeError, ValueError):
        return None


def precheck(
    questions: list[Question],
    provided: Mapping[str, Any],
    fallback: Mapping[str, Any] | None = None,
) -> None:
    """Validate every provided answer before anything is asked, so a bad --data value or
    answers file fails before the user has typed the other answers.

    Questions not provided stand at `fallback` or their defaults while checking; a provided
    answer that is wrong only with another answer is caught again when `resolve` reaches it.
    """
    from jinja2 import TemplateError

    fallback = fallback or {}
    context: dict[str, Any] = {}
    for question in questions:
        name = question.name
        try:
            asked = not question.computed and question.is_asked(context)
        except (StackprintError, TemplateError, ValueError):
            asked = True
        if asked and name in provided:
            context[name] = question.check(provided[name], context)
        elif asked and name in fallback:
            context[name] = fallback[name]
        else:
            context[name] = _default_or_none(question, context)


def context_of(questions: list[Question], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers plus the computed values, as templates see them."""
    context: dict[str, Any] = {}
    for question in questions:
        if question.name in answers:
            context[question.name] = answers[question.name]
        else:
            context[question.name] = question.default_value(context)
    return context


def resource_flags(key: str, value: Any) -> list[str]:
    """The resources answer as `--resource` flags ([] for any other answer)."""
    if key != resource_question.NAME or not isinstance(value, list):
        return []
    flag = resource_question.FLAG
    return [arg for item in value for arg in (flag, resource_question.shorthand(item))]


def non_default(
    questions: list[Question], answers: Mapping[str, Any], implied: Mapping[str, Any]
) -> dict[str, Any]:
    """The answers that differ from what `--defaults` would pick, given the earlier answers
    (a derived default follows them) and the `implied` ones (project_name from DEST)."""
    return {
        question.name: value
        for question, value, default in _against_defaults(questions, answers)
        if value != implied.get(question.name, default)
    }


def command_line(
    blueprint: str,
    dest: str,
    answers: Mapping[str, Any],
    questions: list[Question] | None = None,
    implied: Mapping[str, Any] | None = None,
) -> str:
    """The non-interactive `stackprint new` that reproduces these answers: with `questions`,
    only the answers that differ from the defaults, and `--defaults` for the rest."""
    import json
    import shlex

    def flag(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if isinstance(value, str) else json.dumps(value)

    parts = ["stackprint", "new", dest, "--blueprint", blueprint]
    if questions is not None:
        answers = non_default(questions, answers, implied or {})
        parts.append("--defaults")
    for key, value in answers.items():
        parts += resource_flags(key, value) or ["--data", f"{key}={flag(value)}"]
    return " ".join(shlex.quote(p) for p in parts)
