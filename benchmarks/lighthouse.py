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
    """`npm ci` of the pinned lighthouse into benchmarks/.work; returns its CLI script."""
    target = work / "lighthouse"
    cli = target / "node_modules" / "lighthouse" / "cli" / "index.js"
    lock = (PINNED / "package-lock.json").read_bytes()
    if cli.is_file() and (target / "package-lock.json").read_bytes() == lock:
        return cli
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(PINNED / name, target / name)
    run(["npm", "ci", "--no-audit", "--no-fund"], cwd=target, timeout=900)
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


def audit(cli: Path, url: str, out: Path) -> dict[str, float]:
    """One Lighthouse run (its default: mobile, simulated throttling), performance only."""
    run(
        [
            "node",
            str(cli),
            url,
            "--quiet",
            "--only-categories=performance",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": CHROME},
        timeout=300,
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    audits = data["audits"]
    return {
        "score": float(data["categories"]["performance"]["score"]) * 100,
        "cls": float(audits["cumulative-layout-shift"]["numericValue"]),
        "lcp": float(audits["largest-contentful-paint"]["numericValue"]),
        "fcp": float(audits["first-contentful-paint"]["numericValue"]),
        "tbt": float(audits["total-blocking-time"]["numericValue"]),
    }


def benchmark(tools: Tools, report: Report) -> None:
    if not Path(CHROME).is_file():
        raise BenchError(f"no Chromium at {CHROME}: set CHROME_PATH")
    cli = install(tools.work)
    project = services.project(tools, "nextjs-go")
    frontend = project / "frontend"
    with services.running_service(tools, "nextjs-go") as backend:
        env = {
            **tools.env,
            "API_BASE_URL": backend.base,
            "API_TOKEN": backend.token,
            "NEXT_TELEMETRY_DISABLED": "1",
        }
        run(["npm", "run", "build"], cwd=frontend, env=env, timeout=900)
        with next_server(frontend, env, tools.work / "services" / "next-start.log") as base:
            results = []
            for i in range(tools.warmup + tools.runs):
                result = audit(cli, base + PAGE, tools.work / "services" / f"lighthouse-{i}.json")
                if i >= tools.warmup:
                    results.append(result)
    section = f"nextjs-go list page ({PAGE}), Lighthouse {pinned_version()}, mobile preset"
    report.add(
        Figure(
            section, "performance score", "points", [r["score"] for r in results], Target(">=", 95)
        )
    )
    report.add(
        Figure(
            section, "cumulative layout shift", "", [r["cls"] for r in results], Target("<", 0.1)
        )
    )
    for key, name in (
        ("fcp", "first contentful paint"),
        ("lcp", "largest contentful paint"),
        ("tbt", "total blocking time"),
    ):
        report.add(Figure(section, name, "ms", [r[key] for r in results]))


def versions() -> dict[str, str]:
    from machine import tool_version

    return {"Lighthouse": pinned_version(), "Chromium": tool_version([CHROME, "--version"])}
