"""Answers from flags and files are cast and validated exactly as the copier.yml says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from stackprint.answers import (
    check_known,
    command_line,
    context_of,
    parse_data,
    read_answers_file,
    resolve,
)
from stackprint.errors import AnswersFileError, InvalidAnswerError, MissingAnswerError, UsageError
from stackprint.questions import Question, parse_questions
from tests.conftest import SMALL_COPIER_YML

QUESTIONS = parse_questions(yaml.safe_load(SMALL_COPIER_YML))


def test_defaults_render_with_earlier_answers() -> None:
    answers = resolve(QUESTIONS, {"project_name": "shop"}, use_defaults=True, asker=None)
    assert answers == {
        "project_name": "shop",
        "greeting": "hello shop",
        "flavour": "vanilla",
        "shout": False,
    }


def test_computed_values_are_not_recorded_but_reach_the_context() -> None:
    answers = resolve(QUESTIONS, {}, use_defaults=True, asker=None)
    assert "loud_greeting" not in answers
    assert context_of(QUESTIONS, answers)["loud_greeting"] == "HELLO TINY"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("project_name", "Bad Name", "must be kebab-case"),
        ("flavour", "mint", "'mint' is not one of: vanilla, chocolate"),
        ("shout", "perhaps", "expected bool"),
    ],
)
def test_invalid_answers_name_the_key_and_the_reason(key: str, value: str, message: str) -> None:
    with pytest.raises(InvalidAnswerError) as info:
        resolve(QUESTIONS, {key: value}, use_defaults=True, asker=None)
    assert info.value.key == key
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_flag_strings_are_cast_to_the_question_type() -> None:
    answers = resolve(QUESTIONS, {"shout": "yes"}, use_defaults=True, asker=None)
    assert answers["shout"] is True


def test_missing_answer_without_asker_names_the_flag() -> None:
    with pytest.raises(MissingAnswerError) as info:
        resolve(QUESTIONS, {"project_name": "x"}, use_defaults=False, asker=None)
    assert info.value.key == "greeting"
    assert "--data greeting=VALUE" in str(info.value)


def test_asker_gets_the_rendered_default_and_its_answer_is_validated() -> None:
    seen: list[tuple[str, Any]] = []

    def asker(question: Question, default: Any, answers: Any) -> Any:
        seen.append((question.name, default))
        return {"greeting": "hi", "flavour": "chocolate", "shout": "no"}[question.name]

    answers = resolve(QUESTIONS, {"project_name": "p"}, use_defaults=False, asker=asker)
    assert seen == [("greeting", "hello p"), ("flavour", "vanilla"), ("shout", False)]
    assert answers["flavour"] == "chocolate"
    assert answers["shout"] is False


def test_parse_data_keeps_equals_in_values_and_rejects_pairs_without_one() -> None:
    assert parse_data(["a=b=c", "empty="]) == {"a": "b=c", "empty": ""}
    with pytest.raises(UsageError, match="KEY=VALUE"):
        parse_data(["novalue"])


def test_unknown_keys_are_refused_with_the_known_ones_listed() -> None:
    with pytest.raises(UsageError) as info:
        check_known(QUESTIONS, {"colour": "red"}, "--data")
    assert "'colour'" in str(info.value)
    assert "project_name" in str(info.value)
    assert "loud_greeting" not in str(info.value)  # computed values are not questions


def test_answers_file_ignores_copier_bookkeeping(tmp_path: Path) -> None:
    path = tmp_path / "answers.yml"
    path.write_text("_src_path: stackprint:tiny\n_commit: abc\nflavour: chocolate\n")
    assert read_answers_file(path) == {"flavour": "chocolate"}


@pytest.mark.parametrize(
    ("text", "message"),
    [("flavour: [unclosed\n", "not valid YAML (line 2)"), ("- a\n- b\n", "must be a mapping")],
)
def test_corrupted_answers_files_are_one_line_errors(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "answers.yml"
    path.write_text(text)
    with pytest.raises(AnswersFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_answers_file(path)


def test_missing_answers_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AnswersFileError, match="cannot read"):
        read_answers_file(tmp_path / "absent.yml")


def test_command_line_reproduces_answers() -> None:
    line = command_line("tiny", "my dir", {"project_name": "p", "shout": True, "n": 3})
    assert (
        line
        == "stackprint new 'my dir' --blueprint tiny --data project_name=p --data shout=true --data n=3"
    )
