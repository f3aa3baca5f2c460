"""nextjs-go's declared Node versions and its locked dependencies agree: every Node version
the frontend's `engines.node` admits is one each locked package accepts, and `.nvmrc`
picks one of them. Ranges are compared by npm's own semver (the copy inside npm), so
`||`, carets and x-ranges mean exactly what they mean to npm."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

TEMPLATE = Path(__file__).resolve().parents[2] / "blueprints/nextjs-go/template"
LOCKS = sorted((TEMPLATE / "frontend").glob("*package-lock.json*"))

# Reads {"declared": RANGE, "nvmrc": VERSION, "packages": {name: RANGE}} on stdin and
# prints the names whose range does not include all of the declared one.
CHECK = """
const semver = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const refusing = Object.entries(input.packages)
  .filter(([, range]) => !semver.subset(input.declared, range))
  .map(([name, range]) => `${name} wants node ${range}`);
if (!semver.intersects(input.nvmrc, input.declared)) refusing.push(`.nvmrc ${input.nvmrc}`);
console.log(JSON.stringify(refusing));
"""


def _semver() -> str:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail("node and npm are needed to compare engine ranges")
    root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, check=True)
    path = Path(root.stdout.strip()) / "npm/node_modules/semver"
    assert path.is_dir(), f"npm has no semver at {path}"
    return str(path)


def _declared() -> str:
    text = (TEMPLATE / "frontend/package.json.jinja").read_text()
    match = re.search(r'"engines"\s*:\s*\{\s*"node"\s*:\s*"([^"]+)"', text)
    assert match, "frontend/package.json declares no engines.node"
    return match.group(1)


def test_there_is_a_lock_per_styling() -> None:
    assert len(LOCKS) == 2, LOCKS


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name.split("'")[1])
def test_every_locked_package_accepts_the_declared_node_versions(lock: Path) -> None:
    declared = _declared()
    packages = json.loads(lock.read_text())["packages"]
    assert packages[""]["engines"]["node"] == declared, "lock is stale: npm install"
    ranges = {
        name.rpartition("node_modules/")[2]: entry["engines"]["node"]
        for name, entry in packages.items()
        if name
        and isinstance(entry.get("engines"), dict)
        and "node" in entry["engines"]
        # Prebuilt binaries for 32-bit x86 (sharp's win32-ia32) name the Node lines that
        # still ship such builds; npm installs them on that platform only.
        and entry.get("cpu") != ["ia32"]
    }
    assert ranges
    nvmrc = (TEMPLATE / ".nvmrc").read_text().strip()
    out = subprocess.run(
        ["node", "-e", CHECK, _semver()],
        input=json.dumps({"declared": declared, "nvmrc": nvmrc, "packages": ranges}),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == [], f"the frontend declares node {declared}"
