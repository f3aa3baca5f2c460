"""The generated services under load: wrk against go-api, nextjs-go and a net/http + pgx
baseline serving the same SQL, taken in turn in the same run, on every endpoint: get by
id, list, update, and create alternating with delete."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cli_bench import Tools, new_argv
from measure import BenchError, Figure, Report, Target, paired_ratios, remove, run

HERE = Path(__file__).resolve().parent
SEED_ROWS = 1000
# The large table: list latency must not grow with it (keyset pages, no total count).
BIG_ROWS = 1_000_000
LIST_PATH = "/v1/products?limit=20"
WRK_THREADS = 2
WRK_SCRIPT = HERE / "wrk_report.lua"
# What makes the baseline's statements each service's (benchmarks/baseline/main.go), as
# PostgreSQL's statement log shows them.
BASELINE_SQL = {
    # Keyset pages, oldest first; an update reads the row FOR UPDATE in a transaction and
    # saves every column (GORM's Save), an insert returns nothing.
    "go-api": {"LIST_ORDER": "created_at, id", "LOCKING_UPDATE": "1"},
    # Keyset pages, newest first; sqlc's INSERT and UPDATE return the row.
    "nextjs-go": {"LIST_ORDER": "created_at DESC, id DESC", "RETURNING": "1"},
}
BINARY = {"go-api": "bin/api", "nextjs-go": "backend/bin/api"}
BUILD = {"go-api": ["make", "build"], "nextjs-go": ["make", "build-backend"]}

_projects: dict[str, Path] = {}  # generated once per invocation, shared with lighthouse


@dataclass
class Server:
    """A running HTTP server process and how to call it."""

    name: str
    proc: subprocess.Popen[bytes]
    base: str
    token: str = ""
    db_url: str = ""
    ids: list[str] = field(default_factory=list)
    flavour: str = ""  # the blueprint whose JSON it speaks (the baseline: its service's)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def peak_mb(self) -> float:
        """VmHWM: the most resident memory the process has used so far."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise BenchError(f"no VmHWM for {self.name}")

    def cpu_seconds(self) -> float:
        """User + system CPU time the server has used so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Endpoint:
    """What one wrk run asks for (see wrk_report.lua)."""

    name: str
    path: str
    by_id: bool = False  # "{id}" in `path` walks the seeded ids
    method: str = ""  # GET when empty
    write: bool = False  # sends a product as the JSON body
    mode: str = ""  # "create-delete": POSTs to `path` alternate with DELETEs of their rows

    def env(self, server: Server, ids: Path) -> dict[str, str]:
        return {
            "WRK_IDS_FILE": str(ids) if self.by_id else "",
            "WRK_METHOD": self.method,
            "WRK_BODY": json.dumps(product_body(server.flavour, 0)) if self.write else "",
            "WRK_MODE": self.mode,
        }


LIST = Endpoint("list (limit 20)", LIST_PATH)
ENDPOINTS = (
    Endpoint("get by id", "/v1/products/{id}", by_id=True),
    LIST,
    Endpoint("update (PUT)", "/v1/products/{id}", by_id=True, method="PUT", write=True),
    Endpoint("create, then delete", "/v1/products", write=True, mode="create-delete"),
)


@dataclass
class Load:
    """One wrk run's summary."""

    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    cpu_us: float  # the server's CPU time per request: barely moved by other load


# --- set-up ------------------------------------------------------------------------------


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url:
        raise BenchError("no PostgreSQL: set BENCH_DATABASE_URL (or TEST_DATABASE_URL)")
    return url


def redis_url() -> str:
    url = os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL")
    if not url:
        raise BenchError("no Redis: set BENCH_REDIS_URL (or TEST_REDIS_URL)")
    return url


def ensure_wrk() -> str:
    """wrk from PATH, or from Debian's package when running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        try:
            run(["apt-get", "install", "-y", "wrk"], timeout=600)
        except BenchError:  # a fresh machine may have no package lists yet
            run(["apt-get", "update"], timeout=600)
            run(["apt-get", "install", "-y", "wrk"], timeout=600)
        found = shutil.which("wrk")
    if not found:
        raise BenchError("wrk is not installed: apt-get install wrk")
    return found


def with_schema(url: str, schema: str) -> str:
    """The URL with a search_path, so each service gets tables of its own in one database."""
    parts = urllib.parse.urlsplit(url)
    query = [*urllib.parse.parse_qsl(parts.query), ("search_path", schema)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def fresh_schema(url: str, schema: str) -> None:
    run(
        [
            "psql",
            url,
            "-v",
            "ON_ERROR_STOP=1",
            "-qc",
            f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}",
        ]
    )


def drop_schema(url: str, schema: str) -> None:
    with contextlib.suppress(BenchError):
        run(["psql", url, "-qc", f"DROP SCHEMA IF EXISTS {schema} CASCADE"])


def project(tools: Tools, blueprint: str) -> Path:
    """A project generated with every default and its generators, once per invocation."""
    if blueprint not in _projects:
        dest = tools.scratch / "services" / blueprint
        remove(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        run(new_argv(tools, blueprint, dest), env=tools.env)
        _projects[blueprint] = dest
    return _projects[blueprint]


def build_backend(tools: Tools, blueprint: str) -> Path:
    root = project(tools, blueprint)
    run(BUILD[blueprint], cwd=root, env=tools.env)
    return root / BINARY[blueprint]


def build_baseline(tools: Tools) -> Path:
    out = tools.work / "baseline" / "baseline"
    run(["go", "build", "-o", str(out), "."], cwd=HERE / "baseline", env=tools.env)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- running servers ---------------------------------------------------------------------


def request(server: Server, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    headers = {**server.headers(), "Content-Type": "application/json"}
    req = urllib.request.Request(server.base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read() or b"null")


def wait_healthy(server: Server, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise BenchError(
                f"{server.name} exited {server.proc.returncode}:\n"
                f"{log.read_text(errors='replace')[-1500:]}"
            )
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(server.base + "/healthz", timeout=2) as resp,
        ):
            if resp.status == 200:
                return
        time.sleep(0.2)
    raise BenchError(f"{server.name} did not answer /healthz within {timeout:.0f} s")


@contextlib.contextmanager
def serve(
    name: str, argv: list[str], env: dict[str, str], port: int, log: Path, token: str = ""
) -> Iterator[Server]:
    """Start a server, wait until it is healthy, stop it (SIGTERM, then SIGKILL) after."""
    with log.open("wb") as err:
        proc = subprocess.Popen(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL
        )
    server = Server(name, proc, f"http://127.0.0.1:{port}", token)
    try:
        wait_healthy(server, log)
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def service_env(tools: Tools, blueprint: str, db_url: str, port: int, token: str) -> dict[str, str]:
    env = {**tools.env, "DATABASE_URL": db_url, "HTTP_ADDR": f"127.0.0.1:{port}"}
    if blueprint == "nextjs-go":
        env |= {
            "API_TOKEN": token,
            "REDIS_URL": redis_url(),
            "REDIS_KEY_PREFIX": f"bench-{secrets.token_hex(4)}:",
        }
    return env


@contextlib.contextmanager
def running_service(tools: Tools, blueprint: str, rows: int = SEED_ROWS) -> Iterator[Server]:
    """The generated backend, built, on a fresh schema with `rows` products: SEED_ROWS go
    through its API (their ids are kept), more are inserted by SQL."""
    admin = database_url()
    schema = f"bench_{blueprint.replace('-', '_')}" + ("" if rows == SEED_ROWS else f"_{rows}")
    binary = build_backend(tools, blueprint)
    fresh_schema(admin, schema)
    port = free_port()
    token = secrets.token_hex(16) if blueprint == "nextjs-go" else ""
    env = service_env(tools, blueprint, with_schema(admin, schema), port, token)
    log = tools.work / "services" / f"{blueprint}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        with serve(blueprint, [str(binary)], env, port, log, token) as server:
            server.db_url, server.flavour = env["DATABASE_URL"], blueprint
            if rows == SEED_ROWS:
                server.ids = seed(server)
            else:
                seed_sql(admin, schema, rows)  # into the tables the service migrated
            yield server
    finally:
        drop_schema(admin, schema)


def product_body(flavour: str, i: int) -> dict[str, Any]:
    return {
        "name": f"Product {i}",
        "description": f"Benchmark product number {i}.",
        # nextjs-go's bigint travels as a decimal string.
        "price_cents": str(100 + i) if flavour == "nextjs-go" else 100 + i,
        "in_stock": i % 2 == 0,
    }


def seed(server: Server) -> list[str]:
    """Create the products through the API; return their ids."""
    ids = []
    for i in range(SEED_ROWS):
        body = product_body(server.flavour, i)
        try:
            ids.append(str(request(server, "POST", "/v1/products", body)["id"]))
        except urllib.error.HTTPError as exc:
            raise BenchError(f"seeding {server.name}: {exc.code} {exc.read()[:300]!r}") from exc
    return ids


def seed_sql(admin: str, schema: str, rows: int) -> None:
    """`rows` products in one INSERT ... SELECT generate_series, a second apart, then VACUUM
    (ANALYZE): a table of that size in service has been vacuumed, and autovacuum would
    otherwise start on the fresh rows while they are measured."""
    insert = (
        "INSERT INTO products (id, name, description, price_cents, in_stock, created_at, updated_at) "
        "SELECT gen_random_uuid(), 'Product ' || g, 'Benchmark product number ' || g || '.', "
        "100 + g % 100000, g % 2 = 0, t, t "
        f"FROM generate_series(1, {rows}) AS g, "
        "LATERAL (SELECT now() - make_interval(secs => g)) AS s(t)"
    )
    # One session, one -c per statement: VACUUM cannot run inside the transaction that a
    # single -c of several statements is.
    statements = [f"SET search_path TO {schema}", insert, "VACUUM (ANALYZE) products"]
    argv = ["psql", admin, "-v", "ON_ERROR_STOP=1", "-q"]
    for statement in statements:
        argv += ["-c", statement]
    run(argv, timeout=1800)


# --- load --------------------------------------------------------------------------------


def wrk(
    binary: str, server: Server, endpoint: Endpoint, ids: Path, duration: int, connections: int
) -> Load:
    """One wrk run; the Lua script prints a JSON summary with the percentiles."""
    argv = [
        binary,
        f"-t{WRK_THREADS}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "5s",
        "-s",
        str(WRK_SCRIPT),
    ]
    for key, value in server.headers().items():
        argv += ["-H", f"{key}: {value}"]
    env = {**os.environ, **endpoint.env(server, ids)}
    cpu_before = server.cpu_seconds()
    out = run([*argv, server.base + endpoint.path], env=env, timeout=duration + 120)
    cpu = server.cpu_seconds() - cpu_before
    line = next((x for x in out.splitlines() if x.startswith("{")), None)
    if line is None:
        raise BenchError(f"wrk printed no summary:\n{out[-1000:]}")
    data = json.loads(line)
    return Load(
        data["rps"],
        data["p50_us"] / 1000,
        data["p95_us"] / 1000,
        data["p99_us"] / 1000,
        int(data["errors"]),
        cpu / max(int(data["requests"]), 1) * 1e6,
    )


def load_pair(
    binary: str,
    pair: list[Server],
    endpoint: Endpoint,
    ids: Path,
    runs: int,
    warmup: int,
    duration: int,
    connections: int,
) -> list[list[Load]]:
    """Load each server in turn, `runs` times after `warmup` short runs each."""
    results: list[list[Load]] = [[] for _ in pair]
    for round_no in range(warmup + runs):
        for index, server in enumerate(pair):
            warming = round_no < warmup
            load = wrk(
                binary,
                server,
                endpoint,
                ids,
                min(duration, 5) if warming else duration,
                connections,
            )
            if not warming:
                results[index].append(load)
    return results


def add_load_figures(
    report: Report, section: str, name: str, loads: list[Load], targets: bool
) -> None:
    def target(op: str, value: float) -> Target | None:
        return Target(op, value) if targets else None

    report.add(
        Figure(section, f"{name}: throughput", "req/s", [x.rps for x in loads], target(">=", 5000))
    )
    report.add(Figure(section, f"{name}: p50 latency", "ms", [x.p50_ms for x in loads]))
    report.add(
        Figure(section, f"{name}: p95 latency", "ms", [x.p95_ms for x in loads], target("<=", 20))
    )
    report.add(Figure(section, f"{name}: p99 latency", "ms", [x.p99_ms for x in loads]))
    report.add(Figure(section, f"{name}: server CPU per request", "µs", [x.cpu_us for x in loads]))
    errors = sum(x.errors for x in loads)
    if errors:
        report.notes.append(f"{section}, {name}: {errors} failed or non-2xx responses under load")


def write_ids(tools: Tools, name: str, ids: list[str]) -> Path:
    path = tools.work / "services" / f"{name}-ids.txt"
    path.write_text("\n".join(ids) + "\n", encoding="utf-8")
    return path


def compare_endpoint(
    report: Report,
    section: str,
    endpoint: str,
    ours: list[Load],
    theirs: list[Load],
    blueprint: str,
) -> None:
    add_load_figures(report, section, f"{blueprint} {endpoint}", ours, True)
    add_load_figures(report, section, f"baseline {endpoint}", theirs, False)
    rps = paired_ratios([x.rps for x in ours], [x.rps for x in theirs])
    cpu = paired_ratios([x.cpu_us for x in ours], [x.cpu_us for x in theirs])
    name = f"{endpoint}: {blueprint} / baseline"
    report.add(Figure(section, f"{name} req/s (paired)", "ratio", rps, Target(">=", 0.6)))
    report.add(Figure(section, f"{name} server CPU per request (paired)", "ratio", cpu))


@contextlib.contextmanager
def running_baseline(tools: Tools, binary: Path, blueprint: str, db_url: str) -> Iterator[Server]:
    """The yardstick, on the service's own tables, running the service's statements."""
    port = free_port()
    env = {**tools.env, **BASELINE_SQL[blueprint], "HTTP_ADDR": f"127.0.0.1:{port}"}
    env["DATABASE_URL"] = db_url
    log = tools.work / "services" / f"baseline-{blueprint}.log"
    with serve("baseline", [str(binary)], env, port, log) as server:
        server.flavour = blueprint
        yield server


def bench_service(
    tools: Tools,
    report: Report,
    blueprint: str,
    baseline: Path,
    wrk_bin: str,
    duration: int,
    connections: int,
) -> None:
    """One service and the baseline, loaded in turn on each endpoint: get by id, list,
    update, and create alternating with delete."""
    section = f"service {blueprint} under load ({connections} connections, {duration} s)"
    with (
        running_service(tools, blueprint) as service,
        running_baseline(tools, baseline, blueprint, service.db_url) as base,
    ):
        ids = write_ids(tools, blueprint, service.ids)
        for endpoint in ENDPOINTS:
            ours, theirs = load_pair(
                wrk_bin,
                [service, base],
                endpoint,
                ids,
                tools.runs,
                tools.warmup,
                duration,
                connections,
            )
            compare_endpoint(report, section, endpoint.name, ours, theirs, blueprint)
        list_by_table_size(
            tools, report, section, blueprint, service, ids, wrk_bin, duration, connections
        )
        peak = [service.peak_mb()]
        report.add(
            Figure(section, f"{blueprint}: peak memory (VmHWM)", "MB", peak, Target("<", 100))
        )
        report.add(Figure(section, "baseline: peak memory (VmHWM)", "MB", [base.peak_mb()]))


def list_by_table_size(
    tools: Tools,
    report: Report,
    section: str,
    blueprint: str,
    small: Server,
    ids: Path,
    wrk_bin: str,
    duration: int,
    connections: int,
) -> None:
    """The list endpoint on SEED_ROWS and on BIG_ROWS rows, two instances loaded in turn."""
    with running_service(tools, blueprint, BIG_ROWS) as big:
        at_small, at_big = load_pair(
            wrk_bin,
            [small, big],
            LIST,
            ids,
            tools.runs,
            tools.warmup,
            duration,
            connections,
        )
    add_load_figures(
        report, section, f"{blueprint} list (limit 20) at {BIG_ROWS:,} rows", at_big, False
    )
    report.add(
        Figure(
            section,
            f"list (limit 20): p95 at {BIG_ROWS:,} rows / at {SEED_ROWS:,} rows (paired)",
            "ratio",
            paired_ratios([x.p95_ms for x in at_big], [x.p95_ms for x in at_small]),
            Target("<=", 1.3),
        )
    )
    report.add(
        Figure(
            section,
            f"list (limit 20): req/s at {BIG_ROWS:,} rows / at {SEED_ROWS:,} rows (paired)",
            "ratio",
            paired_ratios([x.rps for x in at_big], [x.rps for x in at_small]),
        )
    )


def benchmark(
    tools: Tools,
    report: Report,
    duration: int,
    connections: int,
    blueprints: tuple[str, ...] = ("go-api", "nextjs-go"),
) -> None:
    """The generated services, each beside the baseline on its own tables."""
    wrk_bin = ensure_wrk()
    database_url()
    if shutil.which("psql") is None:
        raise BenchError("psql is not installed (Debian: postgresql-client)")
    baseline = build_baseline(tools)
    for blueprint in blueprints:
        if blueprint not in BINARY:
            raise BenchError(f"unknown service {blueprint!r}; choose from {', '.join(BINARY)}")
        try:
            bench_service(tools, report, blueprint, baseline, wrk_bin, duration, connections)
        except BenchError as exc:
            report.skip(f"service {blueprint}", str(exc).strip().replace("\n", " / ")[:1500])


def versions() -> dict[str, str]:
    from machine import tool_version

    found = {"wrk": tool_version(["wrk", "--version"])}
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if url and shutil.which("psql"):
        found["PostgreSQL"] = tool_version(["psql", url, "-Atc", "show server_version"])
    rurl = os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL")
    if rurl and shutil.which("redis-cli"):
        info = subprocess.run(
            ["redis-cli", "-u", rurl, "info", "server"], capture_output=True, text=True, check=False
        ).stdout
        found["Redis"] = next(
            (
                x.split(":", 1)[1].strip()
                for x in info.splitlines()
                if x.startswith("redis_version:")
            ),
            "unknown",
        )
    return found
