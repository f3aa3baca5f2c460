"""Lighthouse on the generated nextjs-go list page: `next build`, `next start`, backend up."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import services
from cli_bench import Tools
from measure import BenchError, Figure, Report, Target, run

HERE = Path(__file__).resolve().parent
PINNED = HERE / "lighthouse"  # package.json + package-lock.json pinning lighthouse
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"
PAGE = "/products"


def pinned_version() -> str:
    data = json.loads((PINNED / "package.json").read_text(encoding="utf-8"))
    return str(data["dependencies"]["lighthouse"])


def install(work: Path) -> Path:
    """The pinned lighthouse, installed into benchmarks/.work; returns its CLI script.

    `npm install` rather than `npm ci`: a dependency of lighthouse asks for
    third-party-web@latest, which `npm ci` rejects as out of sync as soon as a newer one is
    published; `npm install` still takes the locked versions.
    """
    target = work / "lighthouse"
    cli = target / "node_modules" / "lighthouse" / "cli" / "index.js"
    marker = target / "installed-from.json"
    pinned = (PINNED / "package.json").read_text(encoding="utf-8")
    if cli.is_file() and marker.is_file() and marker.read_text(encoding="utf-8") == pinned:
        return cli
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(PINNED / name, target / name)
    run(["npm", "install", "--no-audit", "--no-fund"], cwd=target, timeout=900)
    marker.write_text(pinned, encoding="utf-8")
    return cli


def wait_for(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"next start exited {proc.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as resp:
            if resp.status == 200:
                return
        time.sleep(0.5)
    raise BenchError(f"{url} did not answer 200 within {timeout:.0f} s")


@contextlib.contextmanager
def next_server(frontend: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """`next start` of the production build; stopped with its whole process group."""
    port = services.free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["npm", "run", "start", "--", "--hostname", "127.0.0.1", "--port", str(port)],
            cwd=frontend,
            env=env,
            stdout=out,
            stderr=out,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + PAGE, proc)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# Lighthouse's default is a throttled phone (4x slower CPU, slow 4G, simulated); the
# desktop preset is what the list page of an admin UI mostly meets. Both are reported.
PRESETS = {"mobile (default)": [], "desktop": ["--preset=desktop"]}
METRICS = (
    ("fcp", "first-contentful-paint", "first contentful paint"),
    ("lcp", "largest-contentful-paint", "largest contentful paint"),
    ("tbt", "total-blocking-time", "total blocking time"),
)


def audit(cli: Path, url: str, out: Path, flags: list[str]) -> dict[str, float]:
    """One Lighthouse run, performance category only."""
    argv = ["node", str(cli), url, "--quiet", "--only-categories=performance", "--output=json"]
    argv += [f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}", *flags]
    run(argv, env={**os.environ, "CHROME_PATH": CHROME}, timeout=300)
    data = json.loads(out.read_text(encoding="utf-8"))
    audits = data["audits"]
    result = {
        "score": float(data["categories"]["performance"]["score"]) * 100,
        "cls": float(audits["cumulative-layout-shift"]["numericValue"]),
    }
    for key, audit_id, _ in METRICS:
        result[key] = float(audits[audit_id]["numericValue"])
    return result


def audit_presets(tools: Tools, cli: Path, url: str) -> dict[str, list[dict[str, float]]]:
    """Each preset in turn, `runs` times after `warmup` runs thrown away."""
    results: dict[str, list[dict[str, float]]] = {name: [] for name in PRESETS}
    for i in range(tools.warmup + tools.runs):
        for index, (name, flags) in enumerate(PRESETS.items()):
            out = tools.work / "services" / f"lighthouse-{index}-{i}.json"
            result = audit(cli, url, out, flags)
            if i >= tools.warmup:
                results[name].append(result)
    return results


def add_figures(report: Report, preset: str, results: list[dict[str, float]]) -> None:
    section = f"nextjs-go list page ({PAGE}), Lighthouse {pinned_version()}, {preset}"
    score = [r["score"] for r in results]
    report.add(Figure(section, "performance score", "points", score, Target(">=", 95)))
    cls = [r["cls"] for r in results]
    report.add(Figure(section, "cumulative layout shift", "", cls, Target("<", 0.1)))
    for key, _, name in METRICS:
        report.add(Figure(section, name, "ms", [r[key] for r in results]))


def benchmark(tools: Tools, report: Report) -> None:
    """`next build` and `next start` of the generated frontend, backend up, then audits."""
    if not Path(CHROME).is_file():
        raise BenchError(f"no Chromium at {CHROME}: set CHROME_PATH")
    cli = install(tools.work)
    frontend = services.project(tools, "nextjs-go") / "frontend"
    with services.running_service(tools, "nextjs-go") as backend:
        env = {**tools.env, "API_BASE_URL": backend.base, "API_TOKEN": backend.token}
        env["NEXT_TELEMETRY_DISABLED"] = "1"
        # Generating the project installs no frontend dependencies; `make dev` would.
        run(
            [str(frontend.parent / "scripts" / "ensure-frontend-deps.sh")],
            cwd=frontend,
            timeout=900,
        )
        run(["npm", "run", "build"], cwd=frontend, env=env, timeout=900)
        with next_server(frontend, env, tools.work / "services" / "next-start.log") as base:
            results = audit_presets(tools, cli, base + PAGE)
    for preset, runs in results.items():
        add_figures(report, preset, runs)


def versions() -> dict[str, str]:
    from machine import tool_version

    return {"Lighthouse": pinned_version(), "Chromium": tool_version([CHROME, "--version"])}
