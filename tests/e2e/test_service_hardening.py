"""Hardening of the generated services, checked from outside: each backend is built once and
its binary run against the local PostgreSQL (and Redis for nextjs-go), on loopback only.

- Requests generated from the project's own contract (go-api: its route list, field list
  and error codes; nextjs-go: its OpenAPI document), malformed ones included, never get a
  5xx and always get the documented error body and the security headers.
- Valid documents, SQL metacharacters included, come back from the database unchanged.
- Body, header and read-header limits hold; CORS follows the allow-list; logs are JSON and
  never carry a secret; graceful shutdown completes an in-flight request, and gives up on
  one after SHUTDOWN_TIMEOUT.
- A minute of concurrent load with a tenth malformed requests gives no 5xx and no memory
  growth beyond a bound (HARDENING_LOAD_SECONDS shortens it for local runs).
- No .env or key in the repository, a blank token in .env.example, and no SQL built at run
  time (tests/e2e/sqlcheck).
- govulncheck and npm audit, where their vulnerability databases are reachable.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stackprint import generators
from tests.e2e.support import required_env, run, tail, with_search_path

from .service_harness import (
    Api,
    HypothesisDraw,
    RandomDraw,
    Req,
    RequestFactory,
    Server,
    check_error_body,
    check_item,
    check_response,
    connection_refused,
    encode,
    go_api_contract,
    log_problems,
    nextjs_go_contract,
    parse_raw_response,
    pg_schema,
    raw_exchange,
    read_all,
    run_load,
    send,
    valid_document,
    wait_until,
)

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent

# Every field type, with a two-word resource so path and JSON spellings differ.
FIELDS = "title:string,notes:text,quantity:int,amount:float,due:time,paid:bool"
ANSWERS: dict[str, dict[str, Any]] = {
    "go-api": {
        "module_path": "example.org/acme/billing",
        "resources": [
            {
                "name": "invoice_line",
                "plural": "invoice_lines",
                # notes is optional: null is one of its values.
                "fields": FIELDS.replace("notes:text", "notes:text?").split(","),
            }
        ],
        "auth": True,
    },
    "nextjs-go": {
        "module_path": "example.org/acme/shop/backend",
        "resources": [
            {"name": "invoice_line", "plural": "invoice_lines", "fields": FIELDS.split(",")}
        ],
    },
}
ALLOWED_ORIGIN = "https://app.example.test"
OTHER_ORIGIN = "https://evil.example.test"
GOVULNCHECK = "golang.org/x/vuln/cmd/govulncheck@v1.8.0"
LOAD_SECONDS = float(os.environ.get("HARDENING_LOAD_SECONDS", "60"))

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(repr=False)
class Backend:
    name: str
    root: Path  # the generated project
    module: Path  # its Go module
    binary: Path
    api: Api
    env: dict[str, str]  # what every server of this backend gets, minus the database
    database_url: str
    header_timeout: float  # ReadHeaderTimeout the server runs with
    token: str = field(default_factory=lambda: f"tok-{secrets.token_hex(16)}")

    def __repr__(self) -> str:  # Hypothesis prints the fixtures of a failing example
        return f"<{self.name} backend at {self.root}>"

    def server(self, schema: str, log_path: Path, **extra: str) -> Server:
        env = {
            **self.env,
            "DATABASE_URL": with_search_path(self.database_url, schema),
            "API_TOKEN": self.token,
            **extra,
        }
        return Server(self.binary, env, log_path)

    def secrets(self) -> list[str]:
        """What must never appear in a log line: the token, and the database password."""
        out = [self.token]
        parts = urlsplit(self.database_url)
        if parts.password:
            out.append(f"{parts.username}:{parts.password}@")
        return out


@pytest.fixture(scope="module", params=["go-api", "nextjs-go"])
def backend(
    request: pytest.FixtureRequest, generate: Any, tmp_path_factory: pytest.TempPathFactory
) -> Backend:
    name: str = request.param
    database_url = required_env("TEST_DATABASE_URL")
    work = tmp_path_factory.mktemp(f"hardening-{name}")
    if name == "go-api":
        root = generate(name, ANSWERS[name])
        module, api = root, go_api_contract(root)
        env = {
            # Short enough to test here; the defaults are checked by the project's tests.
            "HTTP_READ_HEADER_TIMEOUT": "2s",
            "HTTP_IDLE_TIMEOUT": "2s",
        }
        header_timeout = 2.0
    else:
        # Only the Go generators: the frontend's npm install is not needed here.
        generated = generate(name, ANSWERS[name], run_generators=False)
        root = work / generated.name
        shutil.copytree(generated, root, symlinks=True)
        run(["make", "generate-go"], root, env=generators.toolchain_env())
        module, api = root / "backend", nextjs_go_contract(root)
        env = {
            "REDIS_URL": required_env("TEST_REDIS_URL"),
            "REDIS_KEY_PREFIX": f"hardening-{secrets.token_hex(4)}:",
            "CACHE_TTL": "60s",  # what a run leaves in Redis expires soon
        }
        header_timeout = 5.0  # fixed in cmd/api
    env |= {
        "CORS_ALLOWED_ORIGINS": ALLOWED_ORIGIN,
        "LOG_LEVEL": "debug",  # the most talkative logs must still keep secrets
        "SHUTDOWN_TIMEOUT": "10s",
    }
    binary = work / "api"
    run(["go", "build", "-o", str(binary), "./cmd/api"], module)
    return Backend(name, root, module, binary, api, env, database_url, header_timeout)


@dataclass(repr=False)
class Service:
    backend: Backend
    server: Server
    ids: list[str]

    def __repr__(self) -> str:
        return f"<{self.backend.name} on port {self.server.port}>"

    @property
    def port(self) -> int:
        return self.server.port

    def factory(self) -> RequestFactory:
        return RequestFactory(self.backend.api, self.backend.token, list(self.ids))


@pytest.fixture(scope="module")
def service(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One server per backend for the tests that do not stop it, with a few rows to address."""
    import random

    log_path = tmp_path_factory.mktemp(f"service-{backend.name}") / "api.log"
    with pg_schema(backend.database_url) as schema:
        server = backend.server(schema, log_path).start()
        try:
            svc = Service(backend, server, [])
            factory = svc.factory()
            post = next(o for o in backend.api.operations if o.method == "POST")
            for seed in range(3):
                resp = send(server.port, factory.valid(RandomDraw(random.Random(seed)), post))
                assert resp.status == 201, resp.body
                svc.ids.append(resp.json()["id"])
            yield svc
        finally:
            server.stop()


def _assert_ok(svc: Service, req: Req) -> Any:
    resp = send(svc.port, req)
    problems = check_response(svc.backend.api, svc.backend.token, req, resp)
    assert not problems, (
        f"{req.describe(svc.backend.token)}\n-> {resp.status} {resp.body[:500]!r}\n{problems}"
    )
    return resp


# ---------------------------------------------------------------------------------------
# Requests from the contract


@settings(SETTINGS, max_examples=1500)
@given(data=st.data())
def test_generated_requests_get_documented_answers(service: Service, data: st.DataObject) -> None:
    """Valid and malformed requests from the contract: no 5xx, documented error bodies,
    security headers everywhere, malformed input refused."""
    # The ids drawn from stay fixed (the rows made at start): Hypothesis replays examples,
    # so what it draws from must not change between runs.
    req = service.factory().any(HypothesisDraw(data))
    _assert_ok(service, req)


@settings(SETTINGS, max_examples=150)
@given(data=st.data())
def test_valid_documents_round_trip(service: Service, data: st.DataObject) -> None:
    """Whatever valid text is stored (quotes, backslashes, SQL) comes back unchanged, through
    create, read, replace, patch where there is one, and delete."""
    api, factory, draw = service.backend.api, service.factory(), HypothesisDraw(data)
    post = next(o for o in api.operations if o.method == "POST")
    created = _assert_ok(service, factory.valid(draw, post)).json()
    item = f"{api.collection}/{created['id']}"
    headers = factory.headers(body=True)

    fetched = _assert_ok(service, Req("GET", item, factory.headers())).json()
    assert fetched == created

    put = next(o for o in api.operations if o.method == "PUT")
    doc = valid_document(api, put, draw)
    replaced = _assert_ok(service, Req("PUT", item, headers, encode(doc), sent=doc)).json()
    assert replaced["id"] == created["id"] and replaced["created_at"] == created["created_at"]
    # Read back after a change: no stale copy (nextjs-go caches reads in Redis).
    assert _assert_ok(service, Req("GET", item, factory.headers())).json() == replaced

    patch = next((o for o in api.operations if o.method == "PATCH"), None)
    if patch is not None:
        doc = valid_document(api, patch, draw)
        patched = _assert_ok(service, Req("PATCH", item, headers, encode(doc), sent=doc)).json()
        for f in api.fields:
            if f.name not in doc:
                assert patched[f.name] == replaced[f.name], f"PATCH changed {f.name}"
        assert _assert_ok(service, Req("GET", item, factory.headers())).json() == patched

    delete = Req("DELETE", item, factory.headers())
    assert _assert_ok(service, delete).status == 204
    gone = Req("GET", item, factory.headers(), must_reject=True)
    assert _assert_ok(service, gone).status == 404


# ---------------------------------------------------------------------------------------
# Limits and timeouts


def _request_head(method: str, path: str, token: str, extra: str = "") -> bytes:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\n{extra}"
    ).encode()


def test_body_limit(service: Service) -> None:
    api, token = service.backend.api, service.backend.token
    title = next(f.name for f in api.fields if f.kind == "string")

    def body_of(size: int) -> bytes:
        prefix = b'{"' + title.encode() + b'": "'
        return prefix + b"x" * (size - len(prefix) - 2) + b'"}'

    over = body_of(api.max_body + 1)
    at_limit = body_of(api.max_body)
    sized = _request_head("POST", api.collection, token, f"Content-Length: {len(over)}\r\n\r\n")
    chunked = _request_head("POST", api.collection, token, "Transfer-Encoding: chunked\r\n\r\n")
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (over[:4096], over[4096:]))
    for label, raw in (("sized", sized + over), ("chunked", chunked + chunks + b"0\r\n\r\n")):
        resp = parse_raw_response(raw_exchange(service.port, raw))
        assert resp.status == 413, f"{label} body over the limit: {resp.status} {resp.body[:300]!r}"
        assert not check_error_body(api, resp), (label, resp.body[:300])

    # At the limit the body is read whole and judged on its content (a too-long title).
    head = _request_head("POST", api.collection, token, f"Content-Length: {len(at_limit)}\r\n\r\n")
    resp = parse_raw_response(raw_exchange(service.port, head + at_limit))
    assert resp.status in (400, 422), (
        f"a body of exactly the limit: {resp.status} {resp.body[:300]!r}"
    )


def test_header_limit(service: Service) -> None:
    # go-api's HTTP_MAX_HEADER_BYTES default (1 MiB), nextjs-go's fixed 64 KiB; net/http
    # allows 4 KiB of slack on top.
    limit = 1 << 20 if service.backend.name == "go-api" else 64 << 10
    padding = "a" * (limit + 8192)
    raw = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: {padding}\r\n\r\n".encode()
    assert parse_raw_response(raw_exchange(service.port, raw)).status == 431
    # Just under the limit is served.
    raw = raw.replace(padding.encode(), b"a" * (limit - 8192))
    assert parse_raw_response(raw_exchange(service.port, raw)).status == 200


def test_slow_headers_are_cut_off(service: Service) -> None:
    """A client that never finishes its headers (slowloris) is disconnected after the
    read-header timeout, while the server keeps answering others."""
    timeout = service.backend.header_timeout
    with socket.create_connection(("127.0.0.1", service.port), timeout=timeout + 10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
        start = time.monotonic()
        assert send(service.port, Req("GET", "/healthz", {})).status == 200
        data = read_all(sock)
        elapsed = time.monotonic() - start
    assert data == b"", f"answered a request without an end of headers: {data[:200]!r}"
    assert elapsed < timeout + 3, f"slow client held for {elapsed:.1f}s (timeout {timeout}s)"


def test_idle_keep_alive_is_closed(service: Service) -> None:
    if service.backend.name != "go-api":
        pytest.skip("nextjs-go's idle timeout is fixed at 120s; its Go test checks the server")
    with socket.create_connection(("127.0.0.1", service.port), timeout=15) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        data = b""
        while b'"ok"' not in data:
            chunk = sock.recv(4096)
            assert chunk, "closed before answering"
            data += chunk
        start = time.monotonic()
        rest = read_all(sock)
        elapsed = time.monotonic() - start
    assert rest == b"" and elapsed < 2 + 3, f"idle connection kept {elapsed:.1f}s (timeout 2s)"


# ---------------------------------------------------------------------------------------
# CORS, logs


def test_cors_follows_the_allow_list(service: Service) -> None:
    api, factory = service.backend.api, service.factory()
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }

    resp = send(
        service.port, Req("OPTIONS", api.collection, {"Origin": ALLOWED_ORIGIN, **preflight})
    )
    h = resp.headers
    assert resp.status == 204, resp.body
    assert h.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    assert "POST" in (h.get("Access-Control-Allow-Methods") or "")
    assert "authorization" in (h.get("Access-Control-Allow-Headers") or "").lower()
    assert "Origin" in (h.get("Vary") or "")
    assert h.get("Access-Control-Allow-Credentials") is None

    req = Req("OPTIONS", api.collection, {"Origin": OTHER_ORIGIN, **preflight}, must_reject=True)
    resp = _assert_ok(service, req)
    assert resp.status >= 400 and resp.headers.get("Access-Control-Allow-Origin") is None

    resp = _assert_ok(
        service, Req("GET", api.collection, {**factory.headers(), "Origin": ALLOWED_ORIGIN})
    )
    assert resp.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    resp = _assert_ok(
        service, Req("GET", api.collection, {**factory.headers(), "Origin": OTHER_ORIGIN})
    )
    assert resp.headers.get("Access-Control-Allow-Origin") is None


def test_logs_are_json_and_keep_secrets(service: Service) -> None:
    api, factory = service.backend.api, service.factory()
    title = next(f.name for f in api.fields if f.kind == "string")
    post = next(o for o in api.operations if o.method == "POST")
    import random

    doc = valid_document(api, post, RandomDraw(random.Random(7)))
    doc[title] = "ROW-SECRET-3"
    sentinels = [
        "ROW-SECRET-3",
        "QUERY-SECRET-3",
        "WRONG-SECRET-3",
        "COOKIE-SECRET-3",
        "HEADER-SECRET-3",
    ]
    _assert_ok(service, Req("POST", api.collection, factory.headers(True), encode(doc), sent=doc))
    _assert_ok(service, Req("GET", f"{api.collection}?api_key=QUERY-SECRET-3", factory.headers()))
    _assert_ok(
        service,
        Req("GET", api.collection, {"Authorization": "Bearer WRONG-SECRET-3"}, must_reject=True),
    )
    extra = {"Cookie": "session=COOKIE-SECRET-3", "X-Api-Key": "HEADER-SECRET-3"}
    _assert_ok(service, Req("GET", api.collection, {**factory.headers(), **extra}))

    records = service.server.log_records()
    requests = [r for r in records if r.get("status") in (200, 201, 401)]
    assert requests, "no request is logged: the access log is missing"
    problems = log_problems(service.server, [*service.backend.secrets(), *sentinels])
    assert not problems, "\n".join(problems[:20])


# ---------------------------------------------------------------------------------------
# Graceful shutdown


def _half_sent_create(backend: Backend, port: int) -> tuple[socket.socket, bytes]:
    """A connection that has sent the headers and half the body of a valid create."""
    import random

    post = next(o for o in backend.api.operations if o.method == "POST")
    body = encode(valid_document(backend.api, post, RandomDraw(random.Random(1))))
    head = _request_head(
        "POST", backend.api.collection, backend.token, f"Content-Length: {len(body)}\r\n\r\n"
    )
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(head + body[: len(body) // 2])
    return sock, body[len(body) // 2 :]


def test_shutdown_completes_an_in_flight_request(backend: Backend, tmp_path: Path) -> None:
    with pg_schema(backend.database_url) as schema:
        server = backend.server(schema, tmp_path / "api.log", SHUTDOWN_TIMEOUT="20s").start()
        try:
            sock, rest = _half_sent_create(backend, server.port)
            with sock:
                time.sleep(0.5)  # the handler is reading the body
                server.signal()
                # The listener closes first: new clients are refused while ours is served.
                assert wait_until(lambda: connection_refused(server.port), 10), (
                    "still accepting connections after SIGTERM"
                )
                assert server.proc is not None and server.proc.poll() is None, (
                    f"exited with a request in flight:\n{server.log()[-2000:]}"
                )
                sock.sendall(rest)
                resp = parse_raw_response(read_all(sock))
            assert resp.status == 201, resp.body[:500]
            assert not check_item(backend.api, resp.json())
            code = server.wait(15)
        finally:
            server.kill()
    assert code == 0, f"exit {code} after a graceful shutdown:\n{server.log()[-2000:]}"
    assert '"msg":"stopped"' in server.log()


def test_shutdown_gives_up_after_its_timeout(backend: Backend, tmp_path: Path) -> None:
    """A client that never finishes cannot hold the process past SHUTDOWN_TIMEOUT."""
    with pg_schema(backend.database_url) as schema:
        server = backend.server(schema, tmp_path / "api.log", SHUTDOWN_TIMEOUT="2s").start()
        try:
            sock, _ = _half_sent_create(backend, server.port)
            with sock:
                time.sleep(0.5)
                start = time.monotonic()
                server.signal()
                server.wait(2 + 8)
                elapsed = time.monotonic() - start
        finally:
            server.kill()
    assert 1.5 <= elapsed < 2 + 5, f"stopped after {elapsed:.1f}s with SHUTDOWN_TIMEOUT=2s"


# ---------------------------------------------------------------------------------------
# Load


def test_load_with_malformed_requests(service: Service) -> None:
    """Eight keep-alive clients for a minute, a tenth of the requests malformed: no 5xx, no
    broken connection, every answer as documented, and RSS that stops growing.

    The bound: the first seconds warm everything up (connection pools, buffers, the Go heap
    at its working size); the largest RSS of the last 10 s may exceed the largest of seconds
    5 to 15 by at most 16 MiB. Both servers stay within about 2 MiB of it here (24 to 33 MiB
    in all); GOGC=100 lets a heap of a few live MiB swing by about as much again. In the
    measured window the clients send over 30,000 requests, so a leak of 512 bytes per
    request, or of one goroutine per request (2 KiB of stack at the least), exceeds it.
    """
    seconds = LOAD_SECONDS
    result = run_load(
        service.server,
        service.backend.api,
        service.backend.token,
        seconds=seconds,
        workers=8,
        malformed_share=0.1,
        seed=1234,
    )
    summary = (
        f"{result.requests} requests in {result.seconds:.0f}s, {result.malformed} malformed, "
        f"statuses {dict(sorted(result.statuses.items()))}"
    )
    print(summary)
    assert not result.errors, f"{summary}\n" + "\n".join(result.errors[:10])
    assert not result.problems, f"{summary}\n" + "\n".join(result.problems)
    assert not [s for s in result.statuses if s >= 500], summary
    assert result.requests >= 20 * seconds, f"too little load to mean anything: {summary}"
    assert 0.05 < result.malformed / result.requests < 0.15, summary

    warm = result.rss_max(min(5, seconds / 4), min(15, seconds / 2))
    final = result.rss_max(seconds - min(10, seconds / 4), result.seconds)
    mib = 1 << 20
    print(f"RSS warm {warm / mib:.1f} MiB, end {final / mib:.1f} MiB")
    assert final - warm <= 16 * mib, (
        f"RSS grew from {warm / mib:.1f} to {final / mib:.1f} MiB under load ({summary})"
    )
    problems = log_problems(service.server, service.backend.secrets())
    assert not problems, "\n".join(problems[:20])


# ---------------------------------------------------------------------------------------
# The repository and the dependencies


def test_no_secret_in_the_repository(backend: Backend) -> None:
    root = backend.root
    tracked = run(["git", "ls-files"], root).stdout.splitlines()
    env_files = [p for p in tracked if re.fullmatch(r"\.env(\..+)?", Path(p).name)]
    assert ".env.example" in env_files, "no .env.example at the root"
    leaked = [p for p in env_files if not p.endswith(".example")]
    assert not leaked, f"environment files committed: {leaked}"

    example = (root / ".env.example").read_text()
    assert re.search(r"^API_TOKEN=$", example, re.M), "API_TOKEN in .env.example is not blank"
    assert re.search(r"^CORS_ALLOWED_ORIGINS=", example, re.M)
    module_dir = backend.module.relative_to(root).as_posix()
    for local in [".env"] + ([f"{module_dir}/.env"] if module_dir != "." else []):
        check = subprocess.run(["git", "check-ignore", "-q", local], cwd=root, check=False)
        assert check.returncode == 0, f"{local} is not ignored by git"

    key_patterns = [
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
        r"AKIA[0-9A-Z]{16}",
        r"gh[pousr]_[A-Za-z0-9]{36}",
    ]
    found = []
    for name in tracked:
        path = root / name
        if path.is_file() and not path.is_symlink():
            text = path.read_text(errors="replace")
            found += [f"{name}: {p}" for p in key_patterns if re.search(p, text)]
    assert not found, found


def test_sql_is_never_built_at_run_time(backend: Backend, tmp_path: Path) -> None:
    checker = HERE / "sqlcheck" / "main.go"
    result = subprocess.run(
        ["go", "run", str(checker), str(backend.module)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    # The checker is not vacuous: it flags the usual ways of splicing values into SQL.
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "bad.go").write_text(
        "package bad\n\n"
        'import (\n\t"context"\n\t"fmt"\n)\n\n'
        "type db interface {\n\tExec(ctx context.Context, sql string, args ...any) error\n"
        "\tWhere(q any, args ...any) db\n}\n\n"
        "func f(ctx context.Context, d db, name string) {\n"
        '\t_ = d.Exec(ctx, "DELETE FROM t WHERE name = \'" + name + "\'")\n'
        '\tq := fmt.Sprintf("SELECT * FROM t WHERE name = %q", name)\n'
        "\t_ = d.Exec(ctx, q)\n"
        '\td.Where("name = " + name)\n'
        '\t_ = d.Exec(ctx, "SELECT 1 WHERE $1 = $2", name, "x"+name)\n'
        "}\n"
    )
    result = subprocess.run(
        ["go", "run", str(checker), str(bad)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1 and result.stdout.count("built at run time") == 3, result.stdout


def _reachable(host: str) -> str | None:
    try:
        socket.getaddrinfo(host, 443)
    except OSError as err:
        return f"{host} is unreachable ({err})"
    return None


def test_govulncheck(backend: Backend) -> None:
    """No known vulnerability reaches the code (govulncheck reports only reachable ones)."""
    reason = _reachable("vuln.go.dev")
    if reason:
        pytest.skip(f"govulncheck needs its database: {reason}")
    result = subprocess.run(
        ["go", "run", GOVULNCHECK, "./..."],
        cwd=backend.module,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, tail(result.stdout + result.stderr, 120)


def test_npm_audit(backend: Backend) -> None:
    if backend.name != "nextjs-go":
        pytest.skip("go-api has no npm dependencies")
    result = subprocess.run(
        ["npm", "audit", "--omit=dev", "--audit-level=high", "--json"],
        cwd=backend.root / "frontend",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        report = {}
    if "error" in report or "metadata" not in report:
        pytest.skip(
            f"npm's audit endpoint did not answer: {tail(result.stdout + result.stderr, 10)}"
        )
    counts = report["metadata"]["vulnerabilities"]
    assert counts.get("high", 0) == 0 and counts.get("critical", 0) == 0, counts
