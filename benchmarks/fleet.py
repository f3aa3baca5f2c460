"""A fleet of generated projects kept in step with a newer blueprint, as multi-gitter would.

    python benchmarks/fleet.py                 # build the fleet, run both rounds, print times
    python benchmarks/fleet.py --results benchmarks/RESULTS.md   # also write its section

Twelve projects (nine go-api, three nextjs-go), each with its team's edits, live in bare
"remote" repositories. A newer copy of each blueprint is made in a scratch directory. The
driver then does in each project what a multi-gitter run does: clone, `stackprint update
--branch NAME --blueprint PATH --json`, the project's tests on the branch, push the branch.
Afterwards the clean branches are squash-merged, and a second newer blueprint goes round.
tests/e2e/test_fleet.py runs the same fleet and checks every outcome; this script reports
the fleet's times.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import results_file

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
STACKPRINT = str(Path(sys.executable).with_name("stackprint"))
SECTION = "## fleet update (12 projects)"
IDENTITY = ["-c", "user.name=team", "-c", "user.email=team@example.com"]

# The project's own tests, run on the update branch (the frontend's are left out: the
# blueprint change of a fleet round is in code that the backend's tests cover).
TESTS = {
    "go-api": ["sh", "-c", "go vet ./... && go test ./..."],
    "nextjs-go": ["sh", "-c", "cd backend && go vet ./... && go test ./..."],
}


def go_test_env() -> dict[str, str]:
    """Builds without the clone's path in them, so that the members' identical packages
    compile and pass their tests once in Go's shared caches."""
    flags = " ".join([os.environ.get("GOFLAGS", ""), "-trimpath"]).strip()
    return {**os.environ, "GOFLAGS": flags}


# Every member of a blueprint shares these answers, so identical packages compile (and
# pass their tests) once in Go's shared caches; the fleet differs in what its teams did.
SHARED_ANSWERS = {
    "go-api": {"project_name": "fleet-api", "module_path": "example.com/fleet/api"},
    "nextjs-go": {"project_name": "fleet-web", "module_path": "example.com/fleet/web"},
}
# The Go file each blueprint change appends a line to (a template file without Jinja).
CHANGED_GO = {
    "go-api": "internal/database/database.go",
    "nextjs-go": "backend/internal/platform/database/postgres.go",
}


def run(
    cmd: list[str], cwd: Path, *, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    if check and proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed in {cwd} ({proc.returncode}):\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        )
    return proc


def git(cwd: Path, *args: str) -> str:
    return run(["git", *IDENTITY, *args], cwd).stdout.strip()


# --- the team's edits -------------------------------------------------------------------


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        path = project / rel
        path.write_text(path.read_text() + text)

    return edit


def _write(rel: str, text: str) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    return edit


def _prepend_go(rel: str, comment: str) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        path = project / rel
        path.write_text(f"// {comment}\n" + path.read_text())

    return edit


def _retitle_readme(project: Path) -> None:
    """The README's heading, the line each blueprint change also edits."""
    path = project / "README.md"
    lines = path.read_text().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("# "))
    lines[index] = "# Our team's service\n"
    path.write_text("".join(lines))


def _remove(rel: str) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        (project / rel).unlink()

    return edit


TEAM_TEST = (
    'package team\n\nimport "testing"\n\n'
    'func TestTeamInvariant(t *testing.T) {\n\tif 2+2 != 4 {\n\t\tt.Fatal("arithmetic")\n\t}\n}\n'
)


@dataclass(frozen=True)
class Member:
    """One project of the fleet: its blueprint, answers, the team's edits, and the files
    the first blueprint change must conflict in (none for most)."""

    name: str
    blueprint: str
    edits: tuple[Callable[[Path], None], ...] = ()
    data: tuple[tuple[str, str], ...] = ()
    conflicts: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()  # files the team changed, where a conflict is theirs

    @property
    def generate(self) -> bool:
        # Only branches that merge cleanly run the project's tests, which need the
        # generated code; the others skip the generator steps at `new`.
        return not self.conflicts


FLEET = (
    Member("g01-untouched", "go-api"),
    Member(
        "g02-own-package",
        "go-api",
        (_write("team/team_test.go", TEAM_TEST),),
        edited=("team/team_test.go",),
    ),
    Member(
        "g03-readme-notes",
        "go-api",
        (_append("README.md", "\n## On call\n\nThe platform team, #oncall.\n"),),
        edited=("README.md",),
    ),
    Member(
        "g04-make-target",
        "go-api",
        (_append("Makefile", "\n# team: our own target\nteam:\n\t@echo team\n"),),
        edited=("Makefile",),
    ),
    Member(
        "g05-gitignore",
        "go-api",
        (_append(".gitignore", "\n# team\n*.local\n"),),
        edited=(".gitignore",),
    ),
    Member(
        "g06-main-comment",
        "go-api",
        (_prepend_go("cmd/api/main.go", "Command api is run by the platform team."),),
        edited=("cmd/api/main.go",),
    ),
    # A team without Docker drops the compose file.
    Member("g07-no-compose", "go-api", (_remove("compose.yaml"),), edited=("compose.yaml",)),
    Member(
        "g08-invoices",
        "go-api",
        (_write("team/team_test.go", TEAM_TEST), _append("README.md", "\nInvoices only.\n")),
        data=(("resources", '[{name: invoice, fields: ["number:string", "total_cents:int"]}]'),),
        edited=("team/team_test.go", "README.md"),
    ),
    Member(
        "g09-retitled",
        "go-api",
        (_retitle_readme,),
        conflicts=("README.md",),
        edited=("README.md",),
    ),
    Member("n10-untouched", "nextjs-go"),
    Member(
        "n11-team-code",
        "nextjs-go",
        (
            _write("backend/team/team_test.go", TEAM_TEST),
            _append("frontend/next.config.ts", "// team: reviewed\n"),
        ),
        edited=("backend/team/team_test.go", "frontend/next.config.ts"),
    ),
    Member(
        "n12-db-notes",
        "nextjs-go",
        (_append(CHANGED_GO["nextjs-go"], "\n// team: pool sizes tuned in production\n"),),
        conflicts=(CHANGED_GO["nextjs-go"],),
        edited=(CHANGED_GO["nextjs-go"],),
    ),
)


# --- blueprints -------------------------------------------------------------------------


def newer_blueprint(source: Path, dest: Path, version: int) -> Path:
    """A copy of the blueprint at `source` with the changes of fleet `version`: its README
    heading says so, a document is added, and a Go file gains a comment line."""
    shutil.copytree(source, dest)
    template = dest / "template"
    readme = template / "README.md.jinja"
    lines = readme.read_text().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("# "))
    lines[index] = lines[index].split(" (fleet v")[0].rstrip("\n") + f" (fleet v{version})\n"
    readme.write_text("".join(lines))
    (template / "docs" / "fleet").mkdir(parents=True, exist_ok=True)
    (template / "docs" / "fleet" / f"v{version}.md").write_text(
        f"# Fleet v{version}\n\nAdded by blueprint version {version}.\n"
    )
    go_file = template / CHANGED_GO[source.name]
    go_file.write_text(go_file.read_text() + f"\n// fleet v{version}: kept in step\n")
    return dest


# --- the fleet --------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one project's driver run did."""

    member: Member
    code: int
    report: dict[str, Any]
    tests_passed: bool | None = None  # None: not run
    seconds: float = 0.0


@dataclass
class Fleet:
    root: Path
    remotes: dict[str, Path] = field(default_factory=dict)  # name -> bare repository
    mains: dict[str, str] = field(default_factory=dict)  # name -> main's sha at the start

    def clone(self, name: str, where: Path) -> Path:
        dest = where / name
        run(["git", "clone", "--quiet", str(self.remotes[name]), str(dest)], self.root)
        return dest

    def main_of(self, name: str) -> str:
        return git(self.remotes[name], "rev-parse", "main")


def build_fleet(root: Path, members: tuple[Member, ...] = FLEET) -> Fleet:
    """Generate every member, apply its team's edits, and push it to a bare remote."""
    fleet = Fleet(root)
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    for member in members:
        project = seeds / member.name
        cmd = [STACKPRINT, "new", str(project), "-b", member.blueprint, "--defaults", "-q"]
        answers = {**SHARED_ANSWERS[member.blueprint], **dict(member.data)}
        cmd += [arg for key, value in answers.items() for arg in ("--data", f"{key}={value}")]
        if not member.generate:
            cmd.append("--no-generate")
        run(cmd, root)
        if member.edits:
            for edit in member.edits:
                edit(project)
            git(project, "add", "--all")
            git(project, "commit", "--quiet", "-m", "Team edits")
        remote = root / "remotes" / f"{member.name}.git"
        run(["git", "clone", "--quiet", "--bare", str(project), str(remote)], root)
        fleet.remotes[member.name] = remote
        fleet.mains[member.name] = fleet.main_of(member.name)
    return fleet


def drive(
    fleet: Fleet,
    members: tuple[Member, ...],
    *,
    branch: str,
    blueprints: dict[str, Path],
    workdir: Path,
    tests: bool = True,
) -> list[Outcome]:
    """In each project, what multi-gitter runs: clone, update on a branch, test, push."""
    workdir.mkdir(parents=True)
    outcomes = []
    for member in members:
        start = time.monotonic()
        clone = fleet.clone(member.name, workdir)
        update = run(
            [
                STACKPRINT,
                "update",
                "--branch",
                branch,
                "--blueprint",
                str(blueprints[member.blueprint]),
                "--trust",
                "--json",
            ],
            clone,
            check=False,
        )
        if update.returncode not in (0, 1):
            raise RuntimeError(f"update failed in {member.name}:\n{update.stderr}")
        outcome = Outcome(member, update.returncode, json.loads(update.stdout))
        if tests and update.returncode == 0:
            git(clone, "switch", "--quiet", branch)
            tested = run(TESTS[member.blueprint], clone, check=False, env=go_test_env())
            outcome.tests_passed = tested.returncode == 0
        git(clone, "push", "--quiet", "origin", branch)
        outcome.seconds = time.monotonic() - start
        outcomes.append(outcome)
    return outcomes


def squash_merge(fleet: Fleet, name: str, branch: str, workdir: Path) -> None:
    """Squash-merge `branch` into main as a forge does: one commit whose message lists the
    branch's commit messages. The branch stays on the remote, as forges keep it."""
    clone = fleet.clone(name, workdir)
    messages = git(clone, "log", "--format=* %B", f"main..origin/{branch}")
    git(clone, "merge", "--quiet", "--squash", f"origin/{branch}")
    git(clone, "commit", "--quiet", "-m", f"Update to the newer blueprint (#1)\n\n{messages}")
    git(clone, "push", "--quiet", "origin", "main")


@dataclass
class Rounds:
    first: list[Outcome]
    second: list[Outcome]
    seconds: dict[str, float]
    # Whether each project's main was as its team left it after round 1 (before merging).
    untouched: dict[str, bool] = field(default_factory=dict)


def run_rounds(root: Path, members: tuple[Member, ...] = FLEET) -> tuple[Fleet, Rounds]:
    """The whole exercise: build, round one with tests, squash-merge the clean branches,
    round two (which only has to merge)."""
    from stackprint.paths import blueprints_root

    seconds: dict[str, float] = {}
    start = time.monotonic()
    fleet = build_fleet(root, members)
    seconds["generate and edit 12 projects"] = time.monotonic() - start

    names = sorted({m.blueprint for m in members})
    v2 = {n: newer_blueprint(blueprints_root() / n, root / "v2" / n, 2) for n in names}
    v3 = {n: newer_blueprint(v2[n], root / "v3" / n, 3) for n in names}

    start = time.monotonic()
    first = drive(
        fleet, members, branch="stackprint/update-v2", blueprints=v2, workdir=root / "round1"
    )
    seconds["round 1: clone, update --branch, tests, push"] = time.monotonic() - start
    untouched = {m.name: fleet.main_of(m.name) == fleet.mains[m.name] for m in members}

    start = time.monotonic()
    for outcome in first:
        if outcome.code == 0:
            squash_merge(fleet, outcome.member.name, "stackprint/update-v2", root / "merges")
    seconds["squash-merge the clean branches"] = time.monotonic() - start

    start = time.monotonic()
    second = drive(
        fleet,
        members,
        branch="stackprint/update-v3",
        blueprints=v3,
        workdir=root / "round2",
        tests=False,
    )
    seconds["round 2: clone, update --branch, push"] = time.monotonic() - start
    return fleet, Rounds(first, second, seconds, untouched)


# --- the benchmark report ---------------------------------------------------------------


def section(rounds: Rounds) -> list[str]:
    total = sum(rounds.seconds.values())
    per_update = [o.seconds for o in rounds.first]
    lines = [
        SECTION,
        "",
        "Nine go-api and three nextjs-go projects with their teams' edits, updated to a newer",
        "copy of their blueprint as multi-gitter would (`python benchmarks/fleet.py`; the same",
        "fleet as tests/e2e/test_fleet.py). Round 1 runs each project's tests on its branch",
        "(go-api: `go vet` + `go test`; nextjs-go: the backend's); round 2 only merges. Go's",
        "build cache was warm; a first run also compiles the blueprints' dependencies once.",
        "",
        "| phase | seconds |",
        "|---|---|",
    ]
    lines += [f"| {phase} | {value:.1f} |" for phase, value in rounds.seconds.items()]
    lines += [
        f"| **total** | **{total:.1f}** |",
        "",
        f"Round 1 per project: median {sorted(per_update)[len(per_update) // 2]:.1f} s, "
        f"max {max(per_update):.1f} s; "
        f"{sum(o.code == 0 for o in rounds.first)} clean, "
        f"{sum(o.code == 1 for o in rounds.first)} with conflicts.",
        "",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, help="write the fleet's section into this file")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args(argv)
    os.environ.setdefault("TEST_DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", ""))
    os.environ.setdefault("TEST_REDIS_URL", os.environ.get("BENCH_REDIS_URL", ""))
    root = Path(tempfile.mkdtemp(prefix="stackprint-fleet-"))
    try:
        _, rounds = run_rounds(root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    lines = section(rounds)
    print("\n".join(lines))
    if args.results:
        text = results_file.put_section(
            args.results.read_text(encoding="utf-8"), SECTION[3:], "\n".join(lines)
        )
        args.results.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
