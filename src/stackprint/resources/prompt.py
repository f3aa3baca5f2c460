"""The wizard's resources question: one resource at a time, each checked as it is typed.

Each resource is one line in the `--resource` shorthand (`NAME[/PLURAL]=FIELD,...`), so
what the wizard teaches is what the flag takes. A line is checked together with the
resources before it by the blueprint's own validator; "Add another?" ends the list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from stackprint.errors import InvalidAnswerError
from stackprint.resources.question import GRAMMAR, shorthand
from stackprint.resources.spec import SpecError, parse_resource, type_names

if TYPE_CHECKING:
    from stackprint.questions import Question


def default_lines(default: Any) -> list[str]:
    """The default resources as shorthand lines; a default that cannot be read offers none."""
    if not isinstance(default, list):
        return []
    try:
        return [shorthand(item) for item in default]
    except SpecError:
        return []


def line_error(
    question: Question, previous: list[dict[str, Any]], text: str, answers: Mapping[str, Any]
) -> str:
    """Why `text` cannot be the next resource after `previous` ("" when it can)."""
    try:
        candidate = parse_resource(text).to_answer()
        question.check([*previous, candidate], answers)
    except SpecError as exc:
        return str(exc)
    except InvalidAnswerError as exc:
        return exc.message.split(": ", 1)[-1]
    return ""


def ask_resources(
    question: Question,
    default: Any,
    answers: Mapping[str, Any],
    *,
    io: Mapping[str, Any],
    ask: Callable[[Any], Any],
    say: Callable[[str, str], None],
    warn: Callable[[str], None],
) -> list[dict[str, Any]]:
    """Ask for resources until the user adds no more; returns them in the recorded form.

    `ask` runs a prompt (the wizard's, which turns Ctrl-C into an interrupt), `say` prints
    a line with a style, `warn` prints a refusal wrapped to the terminal, and `io` carries
    prompt_toolkit's input and output.
    """
    import questionary

    defaults = default_lines(default)
    say(f"  One resource per line: {GRAMMAR}", "")
    say(f"  FIELD is name:type, or name:type? when optional; types: {type_names()}", "")
    chosen: list[dict[str, Any]] = []
    while True:
        number = len(chosen)

        typed = defaults[number] if number < len(defaults) else ""
        while True:
            # Checked on Enter rather than in prompt_toolkit's validation toolbar, which
            # shows one line cut at the terminal's width; a refused line is explained in
            # full, wrapped, and asked again with what was typed.
            text = str(ask(questionary.text(f"Resource {number + 1}", default=typed, **io)))
            error = line_error(question, chosen, text, answers)
            if not error:
                break
            warn(error)
            typed = text
        chosen.append(parse_resource(str(text)).to_answer())
        more = len(chosen) < len(defaults)
        if not ask(questionary.confirm("Add another resource?", default=more, **io)):
            return chosen
