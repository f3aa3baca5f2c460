"""The wizard, driven in-process through prompt_toolkit's pipe input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput

from stackprint import blueprints
from stackprint.answers import resolve
from stackprint.errors import Interrupted
from stackprint.wizard import Wizard
from tests.conftest import MakeBlueprint

ENTER, CLEAR, DOWN, CTRL_C = "\r", "\x15", "\x1b[B", "\x03"


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as inp:
        yield inp


def _wizard(make_blueprint: MakeBlueprint, pipe: PipeInput) -> tuple[Wizard, blueprints.Blueprint]:
    blueprint = blueprints.load(str(make_blueprint()))
    return Wizard(blueprint, input=pipe, output=DummyOutput()), blueprint


def test_wizard_asks_every_question_with_defaults_and_choices(
    make_blueprint: MakeBlueprint, pipe: PipeInput
) -> None:
    wizard, blueprint = _wizard(make_blueprint, pipe)
    # project_name: replace the default; greeting: accept the rendered default;
    # flavour: move to the second choice; shout: yes.
    pipe.send_text(f"{CLEAR}shop{ENTER}{ENTER}{DOWN}{ENTER}y")
    answers = resolve(blueprint.questions, {}, use_defaults=False, asker=wizard)
    assert answers == {
        "project_name": "shop",
        "greeting": "hello shop",
        "flavour": "chocolate",
        "shout": True,
    }


def test_wizard_rejects_invalid_text_until_it_is_valid(
    make_blueprint: MakeBlueprint, pipe: PipeInput
) -> None:
    wizard, blueprint = _wizard(make_blueprint, pipe)
    pipe.send_text(f"{CLEAR}Bad Name{ENTER}{CLEAR}good{ENTER}")
    question = blueprint.questions[0]
    assert wizard(question, "tiny", {}) == "good"


def test_wizard_skips_answers_already_given(make_blueprint: MakeBlueprint, pipe: PipeInput) -> None:
    wizard, blueprint = _wizard(make_blueprint, pipe)
    asked: list[str] = []

    def spy(question: Any, default: Any, answers: Any) -> Any:
        asked.append(question.name)
        return wizard(question, default, answers)

    pipe.send_text(f"{ENTER}n")
    answers = resolve(
        blueprint.questions, {"project_name": "x", "greeting": "hi"}, use_defaults=False, asker=spy
    )
    assert asked == ["flavour", "shout"]
    assert answers["shout"] is False


def test_confirmation_can_decline(make_blueprint: MakeBlueprint, pipe: PipeInput) -> None:
    wizard, _ = _wizard(make_blueprint, pipe)
    pipe.send_text("n")
    assert wizard.confirm([("project_name", "x")]) is False


def test_ctrl_c_is_an_interrupt_that_says_nothing_was_written(
    make_blueprint: MakeBlueprint, pipe: PipeInput
) -> None:
    wizard, blueprint = _wizard(make_blueprint, pipe)
    pipe.send_text(CTRL_C)
    with pytest.raises(Interrupted, match="nothing was written"):
        wizard(blueprint.questions[0], "tiny", {})


def test_blueprint_choice(pipe: PipeInput) -> None:
    wizard = Wizard(input=pipe, output=DummyOutput())
    pipe.send_text(f"{DOWN}{ENTER}")
    assert wizard.choose_blueprint([("a", "first"), ("b", "second")]) == "b"
