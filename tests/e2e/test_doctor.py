"""`doctor` on a machine set up for the end-to-end tests finds every tool."""

from __future__ import annotations

import pytest

from stackprint.cli import main

pytestmark = pytest.mark.e2e


def test_doctor_is_clean_on_this_machine(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["doctor"])
    out = capsys.readouterr().out
    assert info.value.code in (0, None), out
    assert {line.split()[1] for line in out.splitlines()} >= {"git", "go", "protoc", "node", "npm"}
