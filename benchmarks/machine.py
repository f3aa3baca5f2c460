"""What the figures were measured on: machine, load, tool versions, date."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import subprocess
import threading
from pathlib import Path


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gb() -> float:
    for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def os_name() -> str:
    try:
        info = platform.freedesktop_os_release()
        return info.get("PRETTY_NAME", "Linux")
    except OSError:
        return platform.system()


def tool_version(argv: list[str]) -> str:
    """First line of a tool's version output, or 'not installed'."""
    if shutil.which(argv[0]) is None and not Path(argv[0]).is_file():
        return "not installed"
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    text = (proc.stdout or proc.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def describe(versions: dict[str, str]) -> list[tuple[str, str]]:
    """Machine lines first, then the given tool versions."""
    return [
        ("date (UTC)", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")),
        ("CPU", f"{cpu_model()}, {os.cpu_count()} cores"),
        ("memory", f"{memory_gb():.1f} GB"),
        ("OS", f"{os_name()}, kernel {platform.release()}"),
        ("load average at start (1/5/15 min)", load_average()),
        *versions.items(),
    ]


class LoadSampler:
    """The 1-minute load average every few seconds, so each section can say the most it ran
    under: on a shared machine that explains slow or noisy figures."""

    def __init__(self, interval: float = 5.0) -> None:
        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, os.getloadavg()[0])
            self._stop.wait(self.interval)

    def reset(self) -> float:
        """The peak since the last reset (or the start)."""
        now = os.getloadavg()[0]
        peak, self.peak = max(self.peak, now), now
        return peak

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
