"""The terminal wizard: with `resources.prompt`, the only module that imports questionary.

It asks a blueprint's questions from its copier.yml, grouped as the blueprint says, with
the same validation `--data` gets; tests drive it through prompt_toolkit pipe input.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from typing import Any

from stackprint.blueprints import Blueprint
from stackprint.errors import Interrupted, InvalidAnswerError
from stackprint.questions import Question
from stackprint.resources import question as resource_question


class Wizard:
    """An `Asker` that prompts on the terminal; `io` carries prompt_toolkit input/output."""

    def __init__(self, blueprint: Blueprint | None = None, **io: Any) -> None:
        self.blueprint = blueprint
        self._io = io
        self._group: str | None = None

    def _print(self, text: str, style: str = "bold") -> None:
        import questionary

        questionary.print(
            text, style=style, **({"output": self._io["output"]} if "output" in self._io else {})
        )

    def _ask(self, prompt: Any) -> Any:
        try:
            return prompt.unsafe_ask()
        except (KeyboardInterrupt, EOFError) as exc:  # Ctrl-C or Ctrl-D: both mean stop
            raise Interrupted("interrupted: nothing was written") from exc

    def choose_blueprint(self, options: Sequence[tuple[str, str]]) -> str:
        """Pick one of (name, title)."""
        import questionary

        choices = [
            questionary.Choice(title=f"{name}  {title}", value=name) for name, title in options
        ]
        return str(self._ask(questionary.select("Blueprint", choices=choices, **self._io)))

    def __call__(self, question: Question, default: Any, answers: Mapping[str, Any]) -> Any:
        import questionary

        if self.blueprint is not None:
            group = self.blueprint.group_of(question.name)
            if group != self._group:
                self._group = group
                self._print(f"\n{group}")
        if resource_question.is_resources(question):
            from stackprint.resources.prompt import ask_resources

            return ask_resources(
                question,
                default,
                answers,
                io=self._io,
                ask=self._ask,
                say=self._print,
                warn=self._warn,
            )
        message = question.help.splitlines()[0] if question.help else question.name
        message = f"{message} ({question.name})" if question.help else message

        choices = question.choice_list(answers)
        if choices:
            options = [questionary.Choice(title=c.label, value=c.value) for c in choices]
            selected = next((o for o in options if o.value == default), None)
            prompt = questionary.select(message, choices=options, default=selected, **self._io)
            return self._ask(prompt)
        if question.type == "bool":
            return self._ask(questionary.confirm(message, default=bool(default), **self._io))
        # Checked after Enter rather than in prompt_toolkit's one-line toolbar, which cuts
        # a long message at the terminal's width: the message is printed wrapped, and the
        # question asked again with what was typed.
        text = "" if default is None else str(default)
        while True:
            if question.secret:
                prompt = questionary.password(message, **self._io)
            else:
                prompt = questionary.text(message, default=text, **self._io)
            text = str(self._ask(prompt))
            try:
                question.check(text, answers)
            except InvalidAnswerError as exc:
                self._warn(exc.message.split(": ", 1)[-1])
                continue
            return text

    def _warn(self, message: str) -> None:
        """A refused answer, explained in full: wrapped, not cut at the terminal's edge."""
        self._print(wrap(message, self._columns()), style="fg:red")

    def _columns(self) -> int:
        output = self._io.get("output")
        if output is not None:
            return int(output.get_size().columns)
        return shutil.get_terminal_size((80, 24)).columns

    def confirm(
        self, summary: Sequence[tuple[str, Any]], question: str = "Generate the project?"
    ) -> bool:
        """Show the answers and ask whether to go ahead."""
        import questionary

        self._print("\nSummary")
        width = max((len(k) for k, _ in summary), default=0)
        for key, value in summary:
            self._print(f"  {key.ljust(width)}  {shown(value, key)}", style="")
        return bool(self._ask(questionary.confirm(question, default=True, **self._io)))


def shown(value: Any, key: str = "") -> str:
    """An answer as the summary prints it: yes/no, not Python's True/False; resources in
    the `--resource` shorthand."""
    if key == resource_question.NAME and isinstance(value, list):
        return "; ".join(resource_question.shorthand(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == "":
        return "(empty)"
    return str(value)


def wrap(message: str, columns: int) -> str:
    """`message` broken into lines that fit `columns`, continuation lines indented."""
    import textwrap

    return textwrap.fill(message, width=max(columns - 1, 20), subsequent_indent="  ")


def summary_rows(
    destination: str, blueprint: str, answers: Mapping[str, Any], groups: Mapping[str, list[str]]
) -> list[tuple[str, Any]]:
    """Destination and blueprint first, then the answers in the wizard's group order."""
    order = [name for names in groups.values() for name in names]
    ranked = sorted(answers, key=lambda k: order.index(k) if k in order else len(order))
    return [("destination", destination), ("blueprint", blueprint)] + [
        (key, answers[key]) for key in ranked
    ]
