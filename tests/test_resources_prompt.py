"""The wizard's resources question, driven in-process through prompt_toolkit's pipe input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput

from stackprint import blueprints
from stackprint.answers import resolve
from stackprint.errors import Interrupted
from stackprint.resources import question as resource_question
from stackprint.resources.prompt import default_lines, line_error
from stackprint.wizard import Wizard
from tests import resources_support

ENTER, CLEAR, CTRL_C = "\r", "\x15", "\x03"


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as inp:
        yield inp


@pytest.fixture
def blueprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> blueprints.Blueprint:
    resources_support.use_fixture_root(tmp_path / "root", monkeypatch)
    return blueprints.load(resources_support.NAME)


def _ask(blueprint: blueprints.Blueprint, pipe: PipeInput, *keys: str) -> list[object]:
    pipe.send_text("".join(keys))
    wizard = Wizard(blueprint, input=pipe, output=DummyOutput())
    answers = resolve(
        blueprint.questions, {"project_name": "shop"}, use_defaults=False, asker=wizard
    )
    resources = answers["resources"]
    assert isinstance(resources, list)
    return resources


def test_default_accepted_then_another_added_after_a_refused_line(
    blueprint: blueprints.Blueprint, pipe: PipeInput
) -> None:
    keys = [
        ENTER,  # resource 1: the default product
        "y",  # add another
        # Refused (an unknown target), then corrected on the same prompt.
        "purchase=item:string,buyer:ref(client)" + ENTER
        + CLEAR + "purchase=qty:int,product:ref(product),note:text?" + ENTER,
        "n",  # no more
    ]  # fmt: skip
    assert _ask(blueprint, pipe, *keys) == [
        {"name": "product", "plural": "products", "fields": ["name:string", "price:float"]},
        {
            "name": "purchase",
            "plural": "purchases",
            "fields": ["qty:int", "product:ref(product)", "note:text?"],
        },
    ]


def test_the_default_can_be_replaced(blueprint: blueprints.Blueprint, pipe: PipeInput) -> None:
    assert _ask(blueprint, pipe, f"{CLEAR}person/staff=name:string{ENTER}", "n") == [
        {"name": "person", "plural": "staff", "fields": ["name:string"]}
    ]


def test_ctrl_c_in_the_resources_is_an_interrupt(
    blueprint: blueprints.Blueprint, pipe: PipeInput
) -> None:
    with pytest.raises(Interrupted):
        _ask(blueprint, pipe, ENTER, CTRL_C)


def test_each_line_is_checked_with_the_resources_before_it(
    blueprint: blueprints.Blueprint,
) -> None:
    question = resource_question.find(blueprint.questions)
    assert question is not None
    customer = {"name": "customer", "plural": "customers", "fields": ["name:string"]}
    assert line_error(question, [customer], "invoice=customer:ref(customer)", {}) == ""
    assert "which is not a resource" in line_error(question, [], "invoice=c:ref(customer)", {})
    assert "is already the resource 'customer'" in line_error(
        question, [customer], "customer=x:string", {}
    )
    assert "must be written NAME[/PLURAL]=FIELD" in line_error(question, [], "customer", {})
    assert "unknown type 'money'" in line_error(question, [], "a=b:money", {})


def test_default_lines_are_the_shorthand_of_the_default() -> None:
    default = [{"name": "box", "plural": "boxen", "fields": ["w:float?"]}, "tag=label:string"]
    assert default_lines(default) == ["box/boxen=w:float?", "tag=label:string"]
    assert default_lines("not a list") == []
    assert default_lines([{"name": "x", "fields": ["bad"]}]) == []


def test_resources_in_a_real_terminal(tmp_path: Path) -> None:
    import sys

    from tests.test_wizard_pty import ANSI, Terminal

    blueprint = resources_support.install(tmp_path / "bp")
    argv = ["-m", "stackprint", "new", "shop", "-b", str(blueprint), "--trust", "--no-git"]
    term = Terminal([sys.executable, *argv], tmp_path)
    term.expect("Name of the project")
    term.send(ENTER)
    term.expect("types: string, text, int, bigint")  # the grammar, shown once
    term.expect("Resource 1")
    term.send(ENTER)
    term.expect("Add another resource?")
    term.send("y")
    term.expect("Resource 2")
    term.send(f"invoice=c:ref(client){ENTER}")
    term.expect("which is not a resource")  # explained, then asked again
    term.expect("Resource 2", after="which is not a resource")
    term.send(f"{CLEAR}invoice=code:string,product:ref(product){ENTER}")
    term.expect("Add another resource?")
    term.send("n")
    term.expect("Generate the project?")
    term.send("y")
    assert term.wait() == 0
    screen = ANSI.sub("", term.screen)
    assert "--resource 'invoice=code:string,product:ref(product)'" in screen
    assert (
        tmp_path / "shop" / "routes.txt"
    ).read_text() == "/products Product\n/invoices Invoice\n"
