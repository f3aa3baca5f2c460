"""The terminal wizard: with `resources.prompt`, the only module that imports questionary.

It asks a blueprint's questions from its copier.yml, grouped as the blueprint says, with
the same validation `--data` gets; tests drive it through prompt_toolkit pipe input.
"""

from __future__ import annotations

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
        except KeyboardInterrupt as exc:
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
                question, default, answers, io=self._io, ask=self._ask, say=self._print
            )
        message = question.help.splitlines()[0] if question.help else question.name
        message = f"{message} ({question.name})" if question.help else message

        def validate(text: str) -> bool | str:
            try:
                question.check(text, answers)
            except InvalidAnswerError as exc:
                return exc.message.split(": ", 1)[-1]
            return True

        choices = question.choice_list(answers)
        if choices:
            options = [questionary.Choice(title=c.label, value=c.value) for c in choices]
            selected = next((o for o in options if o.value == default), None)
            prompt = questionary.select(message, choices=options, default=selected, **self._io)
        elif question.type == "bool":
            prompt = questionary.confirm(message, default=bool(default), **self._io)
        elif question.secret:
            prompt = questionary.password(message, validate=validate, **self._io)
        else:
            text_default = "" if default is None else str(default)
            prompt = questionary.text(message, default=text_default, validate=validate, **self._io)
        return self._ask(prompt)

    def confirm(self, summary: Sequence[tuple[str, Any]]) -> bool:
        """Show the answers and ask whether to go ahead."""
        import questionary

        self._print("\nSummary")
        width = max((len(k) for k, _ in summary), default=0)
        for key, value in summary:
            self._print(f"  {key.ljust(width)}  {value}", style="")
        return bool(
            self._ask(questionary.confirm("Generate the project?", default=True, **self._io))
        )
