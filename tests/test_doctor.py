"""`doctor`: tools from the user's PATH, minimums from go.mod and Node engines, a project's
own needs and whether its test database answers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from stackprint import toolcheck as doctor
from stackprint.cli import main

FAKE_VERSIONS = {
    "go": "go version go{v} linux/amd64",
    "node": "v{v}",
    "npm": "{v}",
    "make": "GNU Make {v}",
    "protoc": "libprotoc {v}",
}


def fake_path(tmp_path: Path, versions: dict[str, str]) -> str:
    """A PATH with git and tools that print the given versions."""
    import shutil

    bindir = tmp_path / "fakebin"
    bindir.mkdir(exist_ok=True)
    for tool in ("git", "sh"):
        found = shutil.which(tool)
        assert found is not None
        (bindir / tool).symlink_to(found)
    for tool, version in versions.items():
        script = bindir / tool
        script.write_text(f"#!/bin/sh\necho '{FAKE_VERSIONS[tool].format(v=version)}'\n")
        script.chmod(0o755)
    return str(bindir)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    return int(info.value.code or 0), capsys.readouterr().out


def rows(out: str) -> dict[str, list[str]]:
    """Tool name -> the words of its line (the status is one or two words: `too old`)."""
    table = {}
    for line in out.splitlines():
        words = line.split()
        if len(words) > 2 and not line.startswith(("Project", "note")):
            table[words[2] if words[:2] == ["too", "old"] else words[1]] = words
    return table


def test_node_minimum_is_the_lowest_version_a_range_admits() -> None:
    assert doctor.node_minimum(">=20") == "20.0.0"
    assert doctor.node_minimum("^18.18.0 || ^19.8.0 || >= 20.0.0") == "18.18.0"
    assert doctor.node_minimum(">=v12.22.7") == "12.22.7"
    assert doctor.node_minimum("20.x") == "20.0.0"
    assert doctor.node_minimum("<16") is None


def test_minimums_come_from_go_mod_and_node_engines(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "go.mod.jinja").write_text("module x\n\ngo 1.24.3\n")
    (tmp_path / "go.mod").write_text("module y\n\ngo 1.22\n")
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "package.json").write_text('{"engines": {"node": ">=20"}}')
    (tmp_path / "web" / "{% if x %}package-lock.json{% endif %}.jinja").write_text(
        '{"packages": {"": {"engines": {"node": ">=20"}},'
        ' "node_modules/strict": {"engines": {"node": "^20.19.0 || >=22.12"}}}}'
    )
    assert doctor.requirements(tmp_path) == {
        "go": ("1.24.3", "svc/go.mod"),
        "node": ("20.19.0", "web/package-lock.json: strict"),
    }


def test_bundled_blueprints_minimums_are_their_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from stackprint import blueprints

    needs = [
        doctor.requirements(blueprints.load(n).path / "template") for n in ("go-api", "nextjs-go")
    ]
    go_needed = max((n["go"][0] for n in needs), key=doctor.version_key)
    monkeypatch.setenv(
        "PATH",
        fake_path(
            tmp_path,
            {"go": "1.20.0", "node": "99.0.0", "npm": "10.0.0", "make": "4.3", "protoc": "29.1"},
        ),
    )
    code, out = run(["doctor"], capsys)
    assert code == 3  # go 1.20 is older than the blueprints' go.mod ask for
    go_line = next(line for line in out.splitlines() if " go " in line)
    assert go_line.startswith("too old") and "1.20.0" in go_line
    assert f">= {go_needed}" in go_line and "go.mod" in go_line
    assert rows(out)["node"][0] == "ok"

    (tmp_path / "newer").mkdir()
    newer = {"go": "9.0.0", "node": "99.0.0", "npm": "10.0.0", "make": "4.3", "protoc": "29.1"}
    monkeypatch.setenv("PATH", fake_path(tmp_path / "newer", newer))
    code, out = run(["doctor"], capsys)
    assert code == 0, out


@pytest.fixture
def fake_postgres() -> Iterator[int]:
    """A server that answers PostgreSQL's SSLRequest with 'N', as a real one without TLS does."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                if conn.recv(8) == (8).to_bytes(4, "big") + (80877103).to_bytes(4, "big"):
                    conn.sendall(b"N")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port
    server.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_inside_a_project_it_checks_that_project_and_its_test_database(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fake_postgres: int,
) -> None:
    project = tmp_path / "svc"
    assert (
        run(["new", str(project), "-b", "go-api", "--defaults", "--no-generate", "-q"], capsys)[0]
        == 0
    )
    (project / "go.mod").write_text("module x\n\ngo 1.21.0\n")
    sub = project / "internal"
    monkeypatch.chdir(sub)
    monkeypatch.setenv(
        "PATH", fake_path(tmp_path, {"go": "1.21.5", "make": "4.3", "protoc": "29.1"})
    )
    monkeypatch.setenv("TEST_DATABASE_URL", f"postgres://u:p@127.0.0.1:{fake_postgres}/db")
    code, out = run(["doctor"], capsys)
    assert code == 0, out
    assert f"Project {project}" in out
    assert "for this project (go.mod)" in out and ">= 1.21.0" in out
    assert "node" not in rows(out)  # go-api needs no Node
    assert f"answers at 127.0.0.1:{fake_postgres}" in out

    monkeypatch.setenv("TEST_DATABASE_URL", f"postgres://u:p@127.0.0.1:{free_port()}/db")
    code, out = run(["doctor"], capsys)
    assert code == 3
    assert "down" in out and "no answer at 127.0.0.1" in out
