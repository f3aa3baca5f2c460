"""`doctor` on a machine set up for the end-to-end tests finds the real tools on PATH.

Whether the machine is *clean* depends on it (this one has no protoc on PATH, and its
Node is older than a locked test dependency asks for); what must hold anywhere is that
every tool present is found with the version it reports itself.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from stackprint.cli import main

pytestmark = pytest.mark.e2e


def test_doctor_finds_each_tool_on_path_with_its_own_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["doctor"])
    out = capsys.readouterr().out
    row = re.compile(r"^(ok|too old|missing|\S+)\s+(\S+)\s+(\S+)")
    rows = {m[2]: (m[1], m[3]) for m in map(row.match, out.splitlines()) if m}
    for tool, version_flag in (("git", "--version"), ("go", "version"), ("node", "--version")):
        assert shutil.which(tool), f"{tool} is needed by the e2e suite"
        own = subprocess.run([tool, version_flag], capture_output=True, text=True).stdout
        assert rows[tool][1].lstrip("v") in own, out
    assert rows["git"][0] == "ok" and rows["go"][0] == "ok", out
    # Exit 3 exactly when something is missing, too old or not answering.
    problems = [r for r in rows.values() if r[0] in ("missing", "too old")]
    assert (info.value.code or 0) == (3 if problems else 0), out
