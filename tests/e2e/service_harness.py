"""Black-box harness for the generated API servers: run the built binary, read its contract
from the generated project (go-api: routes, field list, error codes; nextjs-go: the OpenAPI
document), generate valid and malformed requests from it, and judge every answer against
what the project documents.

Request generation is written once against `Draw`: `HypothesisDraw` drives it from a
Hypothesis test (shrinking, unicode edge cases), `RandomDraw` from a seeded `random.Random`
for the load test, where Hypothesis would be the bottleneck.
"""

from __future__ import annotations

import contextlib
import email.parser
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import quote, urlsplit

import yaml
from hypothesis import strategies as st

from tests.e2e.support import free_port

T = TypeVar("T")

# Characters Go's strings.TrimSpace removes (unicode.IsSpace); Python's str.strip() also
# removes \x1c-\x1f, so it cannot stand in for it.
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

# Values that break naive SQL building, escaping or encoding; a valid field must come back
# from the database byte for byte (the behavioural half of "parameterized queries only").
NASTY_STRINGS = [
    "' OR '1'='1",
    "'); DROP TABLE x; --",
    '"',
    "\\",
    "%_%",
    "$1",
    "?",
    "a\tb",
    "\u2028",
    "😀",
    "Ünïcödé",
    "<script>alert(1)</script>",
    "{{ x }}",
    "NULL",
]


def go_trim(value: str) -> str:
    return value.strip(GO_SPACE)


# ---------------------------------------------------------------------------------------
# Contract model


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # string | text | int | float | bool | time
    required: bool  # must be present in a full body
    max_len: int = 0  # characters, string and text only
    int_bits: int = 64
    nullable: bool = False  # null is a value (an optional field)
    blank_ok: bool = False  # "" and spaces are stored like any other string
    zero_time_ok: bool = False  # 0001-01-01T00:00:00Z is a time like any other

    @property
    def nonblank(self) -> bool:
        """Strings must have a non-space character."""
        return self.kind == "string" and not self.blank_ok


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # a template: "/v1/things" or "/v1/things/{id}"
    body: str = ""  # "" none, "full" every field, "patch" any subset
    documented: frozenset[int] = frozenset()  # statuses the contract lists (nextjs-go)

    @property
    def has_id(self) -> bool:
        return "{id}" in self.path

    @property
    def is_list(self) -> bool:
        return self.method == "GET" and not self.has_id and self.path.startswith("/v1/")


@dataclass
class Api:
    """What a generated backend promises, read from the generated project."""

    flavour: str  # "go-api" | "nextjs-go"
    collection: str
    list_key: str
    fields: tuple[Field, ...]
    operations: tuple[Operation, ...]
    error_codes: dict[str, int] = field(default_factory=dict)  # go-api: code -> status
    max_limit: int = 100
    page_param: str = "offset"  # the list's paging parameter besides limit (go-api: cursor)
    max_body: int = 1 << 20
    trims_strings: bool = False  # nextjs-go stores string fields trimmed
    strict_content_type: bool = False  # answers 415 to a body that is not JSON
    extra_security_headers: dict[str, str] = field(default_factory=dict)

    def op(self, method: str, path: str) -> Operation | None:
        for candidate in self.operations:
            if candidate.method == method and _matches(candidate.path, path):
                return candidate
        return None

    def path_known(self, path: str) -> bool:
        return any(_matches(candidate.path, path) for candidate in self.operations)

    @property
    def body_ops(self) -> list[Operation]:
        return [o for o in self.operations if o.body]

    @property
    def v1_ops(self) -> list[Operation]:
        return [o for o in self.operations if o.path.startswith("/v1/")]


def _matches(template: str, path: str) -> bool:
    path = urlsplit(path).path
    pattern = "^" + re.escape(template).replace(re.escape("{id}"), "[^/]+") + "$"
    return re.match(pattern, path) is not None


GO_API_KINDS = {"string", "text", "int", "float", "bool", "time"}


def go_api_contract(project: Path) -> Api:
    """The routes (handlers/routes.go and the first resource's handler), the first
    resource's fields (the recorded answers, read by stackprint's resource model) and the
    error codes (handlers/error_codes.go) of a generated go-api project."""
    from stackprint.resources.spec import parse_resources

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    resource = parse_resources(answers["resources"])[0]
    fields = []
    for spec in resource.fields:
        assert spec.type in GO_API_KINDS, spec
        fields.append(
            Field(
                name=spec.column,
                kind=spec.type,
                required=not spec.optional,
                max_len=spec.kind.max_length or 0,
                int_bits=32,
                nullable=spec.optional,
                blank_ok=True,
                zero_time_ok=True,
            )
        )
    handler = project / "handlers" / f"{resource.name}_handler.go"
    sources = (project / "handlers/routes.go").read_text() + handler.read_text()
    routes = re.findall(r'mux\.HandleFunc\("([A-Z]+) (/[^"]*)"', sources)
    assert routes, f"no routes found in handlers/routes.go and {handler.name}"
    ops = []
    for method, path in routes:
        body = {"POST": "full", "PUT": "full", "PATCH": "patch"}.get(method, "")
        ops.append(Operation(method, path, body))
    collection = next(path for method, path in routes if method == "POST")
    codes = {
        code: int(status)
        for code, status in re.findall(
            r'Code\w+\s*=\s*"(\w+)"\s*//\s*(\d{3})',
            (project / "handlers/error_codes.go").read_text(),
        )
    }
    assert codes, "no error codes found in handlers/error_codes.go"
    return Api(
        flavour="go-api",
        collection=collection,
        list_key=resource.plural,
        fields=tuple(fields),
        operations=tuple(ops),
        error_codes=codes,
        page_param="cursor",
        strict_content_type=True,
        extra_security_headers={
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
            "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
        },
    )


def nextjs_go_contract(project: Path) -> Api:
    """Operations, documented statuses and the input schema of contracts/openapi/openapi.yaml."""
    doc = yaml.safe_load((project / "contracts/openapi/openapi.yaml").read_text())
    schemas = doc["components"]["schemas"]

    def deref(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        return schemas[ref.rsplit("/", 1)[-1]] if ref else node

    ops = []
    input_schema: dict[str, Any] | None = None
    list_schema: dict[str, Any] | None = None
    max_limit = 100
    for path, item in doc["paths"].items():
        for method, spec in item.items():
            if method == "parameters":
                continue
            body = ""
            if "requestBody" in spec:
                body = "full"
                input_schema = deref(spec["requestBody"]["content"]["application/json"]["schema"])
            for param in spec.get("parameters", []):
                if "$ref" in param:
                    param = doc["components"]["parameters"][param["$ref"].rsplit("/", 1)[-1]]
                if param["name"] == "limit":
                    max_limit = int(param["schema"]["maximum"])
            statuses = frozenset(int(code) for code in spec["responses"])
            ok = spec["responses"].get("200", {}).get("content", {}).get("application/json")
            if method == "get" and "{" not in path and path.startswith("/v1/") and ok:
                list_schema = deref(ok["schema"])
            ops.append(Operation(method.upper(), path, body, statuses))
    assert input_schema is not None and list_schema is not None
    required = set(input_schema.get("required", []))
    fields = []
    for name, prop in input_schema["properties"].items():
        kind, bits, max_len = "", 64, 0
        if prop["type"] == "string" and prop.get("format") == "date-time":
            kind = "time"
        elif prop["type"] == "string":
            # Single-line strings are bounded at 255 characters, text at 10,000.
            kind = "string" if int(prop["maxLength"]) <= 255 else "text"
            max_len = int(prop["maxLength"])
        elif prop["type"] == "integer":
            kind, bits = "int", 32 if prop.get("format") == "int32" else 64
        elif prop["type"] == "number":
            kind = "float"
        elif prop["type"] == "boolean":
            kind = "bool"
        assert kind, f"unknown property type {prop}"
        blank_ok = prop.get("minLength", 0) < 1
        fields.append(
            Field(
                name,
                kind,
                name in required,
                max_len,
                bits,
                nullable=bool(prop.get("nullable")),
                blank_ok=blank_ok,
                zero_time_ok=kind == "time",
            )
        )
    list_key = next(k for k, v in list_schema["properties"].items() if v.get("type") == "array")
    collection = next(o.path for o in ops if o.method == "POST")
    return Api(
        flavour="nextjs-go",
        collection=collection,
        list_key=list_key,
        fields=tuple(fields),
        operations=tuple(ops),
        max_limit=max_limit,
        trims_strings=True,
        page_param="cursor",
        strict_content_type=True,
    )


# ---------------------------------------------------------------------------------------
# Drawing values: one generator, two sources of choices


class Draw(Protocol):
    def choice(self, options: Sequence[T]) -> T: ...
    def integer(self, lo: int, hi: int) -> int: ...
    def chance(self) -> bool: ...
    def text(self, min_size: int, max_size: int) -> str: ...
    def real(self) -> float: ...
    def moment(self) -> datetime: ...
    def blob(self, max_size: int) -> bytes: ...


# Valid field text: any character but NUL and lone surrogates (which JSON cannot carry in
# UTF-8 and the stores reject; both are in the malformed set instead).
_TEXT_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
_OFFSETS = [timedelta(0), timedelta(hours=14), timedelta(hours=-12), timedelta(hours=5, minutes=30)]


class HypothesisDraw:
    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def choice(self, options: Sequence[T]) -> T:
        return self.data.draw(st.sampled_from(options))

    def integer(self, lo: int, hi: int) -> int:
        return self.data.draw(st.integers(lo, hi))

    def chance(self) -> bool:
        return self.data.draw(st.booleans())

    def text(self, min_size: int, max_size: int) -> str:
        return self.data.draw(
            st.one_of(
                st.text(_TEXT_CHARS, min_size=min_size, max_size=max_size),
                st.sampled_from(NASTY_STRINGS).filter(lambda s: min_size <= len(s) <= max_size),
            )
        )

    def real(self) -> float:
        return self.data.draw(st.floats(allow_nan=False, allow_infinity=False))

    def moment(self) -> datetime:
        # Years 1..9999 in every offset, so the instant stays inside RFC 3339's range in UTC.
        return self.data.draw(
            st.datetimes(
                min_value=datetime(1, 1, 2),
                max_value=datetime(9999, 12, 30),
                timezones=st.sampled_from([timezone(o) for o in _OFFSETS]),
            )
        )

    def blob(self, max_size: int) -> bytes:
        return self.data.draw(st.binary(max_size=max_size))


class RandomDraw:
    _POOL = "abcxyzABC019 -_.,'\"\\%$?/\t\u00e9\u00fc\u2028\u3000😀"

    def __init__(self, rnd: Any) -> None:
        self.rnd = rnd

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rnd.randrange(len(options))]

    def integer(self, lo: int, hi: int) -> int:
        # The bounds, small numbers, or anything in range.
        pick = self.rnd.random()
        if pick < 0.1:
            return lo
        if pick < 0.2:
            return hi
        if pick < 0.6 and max(lo, -1000) <= min(hi, 1000):
            return self.rnd.randint(max(lo, -1000), min(hi, 1000))
        return self.rnd.randint(lo, hi)

    def chance(self) -> bool:
        return self.rnd.random() < 0.5

    def text(self, min_size: int, max_size: int) -> str:
        if self.rnd.random() < 0.2:
            candidates = [s for s in NASTY_STRINGS if min_size <= len(s) <= max_size]
            if candidates:
                return self.choice(candidates)
        size = self.rnd.randint(min_size, max(min_size, min(max_size, 24)))
        if self.rnd.random() < 0.02:
            size = max_size
        return "".join(self.choice(self._POOL) for _ in range(size))

    def real(self) -> float:
        return self.choice([0.0, -0.0, 1.5, -2.25, 1e300, 5e-324, self.rnd.uniform(-1e6, 1e6)])

    def moment(self) -> datetime:
        base = datetime(2000, 1, 1, tzinfo=UTC) + timedelta(seconds=self.rnd.randint(0, 10**9))
        return base.astimezone(timezone(self.choice(_OFFSETS)))

    def blob(self, max_size: int) -> bytes:
        return bytes(self.rnd.randrange(256) for _ in range(self.rnd.randint(0, max_size)))


# ---------------------------------------------------------------------------------------
# Requests


@dataclass
class Req:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None
    label: str = "valid"
    must_reject: bool = False  # a 2xx/3xx would be a bug
    sent: dict[str, Any] | None = None  # the valid document sent, for round trips

    def describe(self, token: str) -> str:
        headers = {k: ("<token>" if token in v else v) for k, v in self.headers.items()}
        body = (self.body or b"")[:300]
        return f"[{self.label}] {self.method} {self.path[:300]} {headers} body={body!r}"


@dataclass
class Resp:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def valid_value(f: Field, d: Draw) -> Any:
    if f.nullable and d.integer(0, 5) == 0:
        return None
    if f.kind == "string":
        value = d.text(1, f.max_len)
        return value if go_trim(value) else "x" + value[1:]
    if f.kind == "text":
        return d.text(0, f.max_len)
    if f.kind == "int":
        return d.integer(-(2 ** (f.int_bits - 1)), 2 ** (f.int_bits - 1) - 1)
    if f.kind == "float":
        return d.real()
    if f.kind == "bool":
        return d.chance()
    if f.kind == "time":
        return d.moment().isoformat()
    raise AssertionError(f.kind)


def valid_document(api: Api, op: Operation, d: Draw) -> dict[str, Any]:
    doc = {}
    for f in api.fields:
        wanted = f.required if op.body == "full" else False
        if wanted or d.chance():
            doc[f.name] = valid_value(f, d)
    return doc


def expected_value(api: Api, f: Field, value: Any) -> Any:
    """What the server stores and returns for a valid value."""
    if value is None:
        return None
    if f.kind == "string" and api.trims_strings:
        return go_trim(value)
    if f.kind == "time":
        return datetime.fromisoformat(value).astimezone(UTC)
    return value


def returned_value(f: Field, value: Any) -> Any:
    if value is None:
        return None
    if f.kind == "time":
        return datetime.fromisoformat(value).astimezone(UTC)
    if f.kind == "float":
        # protojson writes doubles as JavaScript does (2.5e16 as 25000000000000000, with
        # padding digits): equal as doubles, not as decimal numbers.
        return float(value)
    return value


DEFAULTS = {"string": "", "text": "", "int": 0, "float": 0.0, "bool": False}


def _wrong_values(f: Field) -> list[tuple[Any, bool]]:
    """Values of the wrong type or out of range for f, as (value, must the server reject)."""
    raw = RawJSON
    out: list[tuple[Any, bool]] = [([1, 2], True), ({"a": 1}, True)]
    if f.kind in {"string", "text"}:
        out += [
            ("x" * (f.max_len + 1), True),
            ("é" * (f.max_len + 1), True),
            ("a\x00b", True),
            # encoding/json turns a lone surrogate into U+FFFD, protojson refuses it: both fine.
            (raw('"\\ud800"'), False),
            (12345, True),
            (True, True),
        ]
        if f.nonblank:
            out += [("", True), ("   ", True), ("\u3000\t", True)]
    elif f.kind == "int":
        top = 2 ** (f.int_bits - 1)
        out += [
            (top, True),
            (-top - 1, True),
            (1.5, True),
            ("twelve", True),
            (raw("1e400"), True),
            (raw("1" + "0" * 400), True),
            ("42", False),  # protojson reads int32 from strings
            (None, False),
        ]
    elif f.kind == "float":
        out += [
            ("NaN", True),
            ("Infinity", True),
            ("-Infinity", True),
            ("abc", True),
            (raw("1e400"), True),
            (False, True),
            ("1.5", False),
        ]
    elif f.kind == "bool":
        out += [(1, True), ("yes", True), (0, True), ("true", False)]
    elif f.kind == "time":
        out += [
            ("not a time", True),
            ("2030-13-01T00:00:00Z", True),
            ("2030-01-01", True),
            ("0000-01-01T00:00:00+01:00", True),  # year -1 in UTC
            ("9999-12-31T23:59:59-01:00", True),  # year 10000 in UTC
            ("0001-01-01T00:00:00Z", not f.zero_time_ok),  # Go's zero time
            (1893456000, True),
            ("", True),
        ]
    return out


@dataclass(frozen=True)
class RawJSON:
    """A JSON fragment inserted verbatim (values Python's json cannot produce)."""

    text: str


def encode(doc: Any) -> bytes:
    """json.dumps, with RawJSON fragments spliced in."""
    fragments: dict[str, str] = {}

    def default(o: Any) -> Any:
        if isinstance(o, RawJSON):
            key = f"@@raw{len(fragments)}@@"
            fragments[key] = o.text
            return key
        raise TypeError(o)

    text = json.dumps(doc, default=default)
    for key, fragment in fragments.items():
        text = text.replace(json.dumps(key), fragment)
    return text.encode()


class RequestFactory:
    """Builds requests for one API: valid ones and every kind of malformed one."""

    MALFORMED_KINDS = ("body", "field", "ctype", "id", "query", "method", "auth", "path")

    def __init__(self, api: Api, token: str, ids: list[str]) -> None:
        self.api = api
        self.token = token
        self.ids = ids  # known ids; the caller adds created ones

    def headers(self, body: bool = False) -> dict[str, str]:
        h = {"Authorization": f"Bearer {self.token}", "X-Request-ID": "fuzz-1"}
        if body:
            h["Content-Type"] = "application/json"
        return h

    def some_id(self, d: Draw) -> str:
        if self.ids and d.chance():
            return d.choice(self.ids)
        return str(uuid.UUID(int=d.integer(0, 2**128 - 1)))

    def fill(self, op: Operation, d: Draw) -> str:
        return op.path.replace("{id}", self.some_id(d))

    def valid(self, d: Draw, op: Operation | None = None) -> Req:
        op = op or d.choice(self.api.v1_ops)
        path = self.fill(op, d)
        if op.is_list and d.chance():
            path += f"?limit={d.integer(1, self.api.max_limit)}"
            if self.api.page_param == "offset":
                path += f"&offset={d.integer(0, 50)}"
        if not op.body:
            return Req(op.method, path, self.headers())
        doc = valid_document(self.api, op, d)
        return Req(op.method, path, self.headers(True), encode(doc), sent=doc)

    def malformed(self, d: Draw) -> Req:
        kind = d.choice(self.MALFORMED_KINDS)
        return getattr(self, f"_bad_{kind}")(d)

    def any(self, d: Draw) -> Req:
        return self.valid(d) if d.integer(0, 3) == 0 else self.malformed(d)

    # -- malformed kinds --------------------------------------------------------------

    def _body_op(self, d: Draw) -> tuple[Operation, str]:
        op = d.choice(self.api.body_ops)
        return op, self.fill(op, d)

    def _bad_body(self, d: Draw) -> Req:
        op, path = self._body_op(d)
        variant = d.integer(0, 7)
        must = True
        if variant == 0:
            body = d.blob(64)
            with contextlib.suppress(ValueError):
                must = not isinstance(json.loads(body), dict)
            label = "bytes"
        elif variant == 1:
            body = encode(d.choice([[], [1], "text", 42, None, True]))
            label = "not an object"
        elif variant == 2:
            body, label = b"", "empty"
        elif variant == 3:
            body, label = b"[" * 20000 + b"]" * 20000, "deep nesting"
        elif variant == 4:
            doc = valid_document(self.api, op, d)
            doc["unknown_" + secrets.token_hex(2)] = 1
            body, label = encode(doc), "unknown field"
        elif variant == 5:
            required = [f for f in self.api.fields if f.required]
            doc = valid_document(self.api, op, d)
            if op.body == "full" and required:
                doc.pop(d.choice(required).name, None)
            else:
                must = False
            body, label = encode(doc), "missing field"
        elif variant == 6:
            body, label = b'{"' + self.api.fields[0].name.encode() + b'":', "truncated"
        else:
            body, label = b"{" + b'"a":1,' * 5 + b"}", "trailing comma"
        return Req(op.method, path, self.headers(True), body, f"body/{label}", must)

    def _bad_field(self, d: Draw) -> Req:
        op, path = self._body_op(d)
        doc: dict[str, Any] = valid_document(self.api, op, d)
        f = d.choice(self.api.fields)
        value, must = d.choice(_wrong_values(f))
        doc[f.name] = value
        label = f"field/{f.name}={value!r}"[:80]
        return Req(op.method, path, self.headers(True), encode(doc), label, must)

    def _bad_ctype(self, d: Draw) -> Req:
        op, path = self._body_op(d)
        doc = valid_document(self.api, op, d)
        headers = self.headers()
        ctype = d.choice(
            [
                None,
                "text/plain",
                "application/xml",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "garbage;;;",
                "application/json; charset=utf-16",
            ]
        )
        if ctype is not None:
            headers["Content-Type"] = ctype
        must = self.api.strict_content_type and not (ctype or "").startswith("application/json")
        return Req(op.method, path, headers, encode(doc), f"content-type {ctype}", must)

    def _bad_id(self, d: Draw) -> Req:
        op = d.choice([o for o in self.api.operations if o.has_id])
        raw = d.choice(
            [
                d.text(1, 40),
                "not-a-uuid",
                "00000000-0000-0000-0000-00000000000g",
                "1" * 5000,
                "%00",
                "' OR 1=1 --",
                "../../etc/passwd",
            ]
        )
        path = op.path.replace("{id}", quote(raw, safe=""))
        body = None
        headers = self.headers(bool(op.body))
        if op.body:
            body = encode(valid_document(self.api, op, d))
        try:  # Go's uuid.Parse takes the forms Python's does (braces, urn:uuid:, no dashes)
            uuid.UUID(raw)
            must = False
        except ValueError:
            must = True
        return Req(op.method, path, headers, body, f"id {raw[:40]!r}", must)

    def _bad_query(self, d: Draw) -> Req:
        op = next(o for o in self.api.operations if o.is_list)
        param = d.choice(["limit", self.api.page_param])
        value = d.choice(
            [
                d.text(1, 12),
                "-1",
                "0",
                str(self.api.max_limit + 1),
                "1e3",
                "0x10",
                "2147483648",
                "99999999999999999999",
                " 1",
                "",
            ]
        )
        must = not _in_range(param, value, self.api.max_limit)
        query = f"{param}={quote(value, safe='')}"
        if d.chance():
            query += f"&{param}=1&api_key=QUERY-SECRET-1"
        return Req("GET", f"{op.path}?{query}", self.headers(), None, f"query {query}", must)

    def _bad_method(self, d: Draw) -> Req:
        path = self.fill(d.choice(self.api.operations), d)
        method = d.choice(["PATCH", "PUT", "DELETE", "POST", "OPTIONS", "TRACE", "FOO", "PROPFIND"])
        must = self.api.op(method, path) is None
        body = b"{}" if method in {"PATCH", "PUT", "POST"} else None
        return Req(method, path, self.headers(body is not None), body, f"method {method}", must)

    def _bad_auth(self, d: Draw) -> Req:
        req = self.valid(d)
        auth = d.choice(
            [
                None,
                "Bearer WRONG-SECRET-1",
                "Bearer",
                "Bearer ",
                f"Basic {self.token}",
                f"Bearer {self.token[:-1]}",
                f"Bearer {self.token}x",
                "Bearer " + "A" * 4000,
                f"Token {self.token}",
            ]
        )
        if auth is None:
            req.headers.pop("Authorization")
        else:
            req.headers["Authorization"] = auth
        req.label, req.must_reject = f"auth {auth!r}"[:60], True
        return req

    def _bad_path(self, d: Draw) -> Req:
        suffix = quote(d.text(1, 20), safe="")
        path = d.choice(
            [
                "/v1",
                "/v1/",
                "/v2/" + suffix,
                self.api.collection + "/" + suffix + "/extra",
                "/" + suffix,
                "/v1/" + suffix,
            ]
        )
        must = not self.api.path_known(path)
        return Req("GET", path, self.headers(), None, f"path {path[:60]}", must)


def _in_range(param: str, value: str, max_limit: int) -> bool:
    if value == "":
        return True  # an empty parameter is an absent one
    if param == "cursor":
        return False  # only a next_cursor the API returned is one
    if not re.fullmatch(r"[+-]?[0-9]+", value):
        return False
    n = int(value)
    return 1 <= n <= max_limit if param == "limit" else 0 <= n < 2**31


# ---------------------------------------------------------------------------------------
# Sending


def send(port: int, req: Req, timeout: float = 15) -> Resp:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        return send_on(conn, req)
    finally:
        conn.close()


def send_on(conn: http.client.HTTPConnection, req: Req) -> Resp:
    conn.request(req.method, req.path, body=req.body, headers=req.headers)
    resp = conn.getresponse()
    return Resp(resp.status, resp.headers, resp.read())


def raw_exchange(port: int, data: bytes, timeout: float = 30) -> bytes:
    """Send raw bytes, half-close, and read everything the server answers. A server that
    answers before reading everything (and resets the rest) still gets its answer read."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        return read_all(sock)


def read_all(sock: socket.socket) -> bytes:
    chunks = []
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def parse_raw_response(raw: bytes) -> Resp:
    """The first HTTP/1.1 response in raw (its body as sent, not de-chunked)."""
    assert raw, "the server closed the connection without answering"
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, _, header_block = head.decode("latin-1").partition("\r\n")
    headers = email.parser.Parser(_class=http.client.HTTPMessage).parsestr(header_block + "\r\n")
    assert isinstance(headers, http.client.HTTPMessage)
    return Resp(int(status_line.split()[1]), headers, body)


# ---------------------------------------------------------------------------------------
# Judging answers


def check_response(api: Api, token: str, req: Req, resp: Resp) -> list[str]:
    """Everything wrong with resp as an answer to req, per the project's own documentation."""
    problems = []
    status = resp.status
    if status >= 500:
        problems.append(f"server error {status}")
    if token.encode() in resp.body:
        problems.append("the response echoes the API token")
    if status == 431:
        return problems  # net/http's own plain-text answer; no handler ran
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
    headers.update(api.extra_security_headers)
    for name, want in headers.items():
        if resp.headers.get(name) != want:
            problems.append(f"header {name} = {resp.headers.get(name)!r}, want {want!r}")
    if req.must_reject and 200 <= status < 300:
        problems.append(f"malformed request accepted with {status}")
    if status == 401 and not (resp.headers.get("WWW-Authenticate") or "").startswith("Bearer"):
        problems.append("401 without a Bearer WWW-Authenticate challenge")
    if status == 405 and not resp.headers.get("Allow"):
        problems.append("405 without an Allow header")
    if api.flavour == "nextjs-go":
        op = api.op(req.method, req.path)
        if op is not None and status not in op.documented and status != 405:
            problems.append(f"status {status} is not documented for {op.method} {op.path}")
    if req.method == "HEAD":
        return problems
    if status >= 400:
        problems += check_error_body(api, resp)
    elif status in (200, 201):
        problems += check_success_body(api, req, resp)
    elif status == 204 and resp.body:
        problems.append(f"204 with a body {resp.body[:100]!r}")
    return problems


def check_error_body(api: Api, resp: Resp) -> list[str]:
    ctype = resp.headers.get("Content-Type", "")
    try:
        body = resp.json()
    except ValueError:
        return [f"error body is not JSON: {resp.body[:200]!r}"]
    if api.flavour == "go-api":
        problems = []
        if ctype != "application/json":
            problems.append(f"error content type {ctype!r}")
        if not isinstance(body, dict) or set(body) != {"error"}:
            return [*problems, f"error body {body!r} is not {{'error': {{...}}}}"]
        err = body["error"]
        if not isinstance(err, dict) or not {"code", "message"} <= set(err) <= {
            "code",
            "message",
            "field",
        }:
            return [*problems, f"error object {err!r} lacks code/message or has extra keys"]
        if not all(isinstance(v, str) and v for v in err.values()):
            problems.append(f"error values must be non-empty strings: {err!r}")
        if api.error_codes.get(err["code"]) != resp.status:
            problems.append(f"code {err['code']!r} is not documented for status {resp.status}")
        return problems
    problems = []
    if ctype != "application/problem+json":
        problems.append(f"problem content type {ctype!r}")
    keys = {"type", "title", "status", "detail", "instance", "errors"}
    if not isinstance(body, dict) or not {"type", "title", "status"} <= set(body) <= keys:
        return [*problems, f"problem {body!r} lacks type/title/status or has unknown keys"]
    if body["status"] != resp.status:
        problems.append(f"problem status {body['status']} != HTTP status {resp.status}")
    if not (isinstance(body["type"], str) and isinstance(body["title"], str) and body["title"]):
        problems.append(f"problem type/title not strings: {body!r}")
    for key in ("detail", "instance"):
        if key in body and not isinstance(body[key], str):
            problems.append(f"problem {key} is not a string")
    for item in body.get("errors", []):
        if not (isinstance(item, dict) and set(item) == {"field", "message"}):
            problems.append(f"field error {item!r} is not {{field, message}}")
    return problems


def check_item(api: Api, item: Any) -> list[str]:
    want = {"id", "created_at", "updated_at", *(f.name for f in api.fields)}
    if not isinstance(item, dict) or set(item) != want:
        return [f"item keys {sorted(item) if isinstance(item, dict) else item!r} != {sorted(want)}"]
    problems = []
    try:
        uuid.UUID(item["id"])
        for key in ("created_at", "updated_at"):
            datetime.fromisoformat(item[key])
    except (ValueError, TypeError, AttributeError):
        problems.append(f"id or timestamps malformed in {item!r}")
    types: dict[str, tuple[type, ...]] = {
        "string": (str,),
        "text": (str,),
        "time": (str,),
        "int": (int,),
        "float": (int, float),
        "bool": (bool,),
    }
    for f in api.fields:
        value = item[f.name]
        if value is None and f.nullable:
            continue
        if not isinstance(value, types[f.kind]) or (f.kind != "bool" and isinstance(value, bool)):
            problems.append(f"{f.name} = {value!r} is not a {f.kind}")
    return problems


def check_success_body(api: Api, req: Req, resp: Resp) -> list[str]:
    path = urlsplit(req.path).path
    if not path.startswith("/v1/"):
        return []
    try:
        body = resp.json()
    except ValueError:
        return [f"{resp.status} body is not JSON: {resp.body[:200]!r}"]
    op = api.op(req.method, req.path)
    if op is not None and op.is_list:
        if not isinstance(body, dict) or not isinstance(body.get(api.list_key), list):
            return [f"list body {body!r} has no {api.list_key!r} array"]
        return [p for item in body[api.list_key] for p in check_item(api, item)]
    problems = check_item(api, body)
    if not problems and req.sent is not None:
        for f in api.fields:
            if f.name in req.sent:
                if req.sent[f.name] is None and req.method == "PATCH" and f.nullable:
                    continue  # go-api: a null in a patch leaves the field alone
                want = expected_value(api, f, req.sent[f.name])
                got = returned_value(f, body[f.name])
                if got != want:
                    problems.append(f"{f.name}: sent {req.sent[f.name]!r}, got back {got!r}")
    return problems


# ---------------------------------------------------------------------------------------
# Running a server


def psql(database_url: str, sql: str) -> None:
    subprocess.run(
        ["psql", database_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
        timeout=60,
    )


@contextlib.contextmanager
def pg_schema(database_url: str) -> Iterator[str]:
    schema = f"hard_{secrets.token_hex(5)}"
    psql(database_url, f"CREATE SCHEMA {schema}")
    try:
        yield schema
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            psql(database_url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")


class Server:
    """One running API process, its log in a file (a full pipe would block it)."""

    def __init__(self, binary: Path, env: dict[str, str], log_path: Path) -> None:
        self.binary = binary
        self.port = free_port()
        self.env = {**env, "HTTP_ADDR": f"127.0.0.1:{self.port}"}
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> Server:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(self.binary)],
                cwd=self.binary.parent,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited at start:\n{self.log()[-3000:]}")
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"server not healthy in {timeout}s:\n{self.log()[-3000:]}")
            time.sleep(0.1)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def rss_bytes(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise AssertionError("no VmRSS in /proc status")

    def signal(self, sig: int = signal.SIGTERM) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def wait(self, timeout: float) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout=timeout)

    def stop(self, timeout: float = 30) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.signal(signal.SIGTERM)
        try:
            return self.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_records(self) -> list[dict[str, Any]]:
        """Every line of the log as JSON; a line that is not JSON fails the caller."""
        records = []
        # JSON lines end only at "\n": str.splitlines() would also split inside a record at
        # characters JSON leaves unescaped (U+0085, U+2028, ...), which fuzzed paths contain.
        lines = [line for line in self.log().split("\n") if line]
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
            except ValueError as err:
                raise AssertionError(f"log line {number} is not JSON: {line[:300]!r}") from err
            assert isinstance(record, dict) and {"time", "level", "msg"} <= set(record), line
            records.append(record)
        return records


def log_problems(server: Server, secrets_: Sequence[str]) -> list[str]:
    """Log lines that leak a secret, plus any ERROR line (malformed input is never one)."""
    problems = []
    for record in server.log_records():
        line = json.dumps(record, ensure_ascii=False)
        problems += [f"log leaks {s!r}: {line[:300]}" for s in secrets_ if s in line]
        if record["level"] == "ERROR":
            problems.append(f"error logged: {line[:500]}")
    return problems


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def connection_refused(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except OSError:
        return True


# ---------------------------------------------------------------------------------------
# Load


@dataclass
class LoadResult:
    requests: int = 0
    malformed: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rss: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, bytes)
    seconds: float = 0.0

    def rss_max(self, start: float, end: float) -> int:
        return max(rss for t, rss in self.rss if start <= t <= end)


def run_load(
    server: Server,
    api: Api,
    token: str,
    seconds: float,
    workers: int,
    malformed_share: float,
    seed: int,
) -> LoadResult:
    """`workers` keep-alive clients send requests back to back for `seconds`, a share of
    them malformed, while the server's RSS is sampled twice a second."""
    import random
    import threading

    result = LoadResult()
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + seconds

    def worker(index: int) -> None:
        rnd = random.Random(seed + index)
        draw = RandomDraw(rnd)
        ids: list[str] = []
        factory = RequestFactory(api, token, ids)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        while time.monotonic() < deadline:
            malformed = rnd.random() < malformed_share
            req = factory.malformed(draw) if malformed else factory.valid(draw)
            try:
                resp = send_on(conn, req)
            except (OSError, http.client.HTTPException) as err:
                conn.close()
                with lock:
                    result.errors.append(f"{type(err).__name__}: {err} on {req.describe(token)}")
                continue
            problems = check_response(api, token, req, resp)
            if resp.status == 201 and not problems:
                ids.append(resp.json()["id"])
                del ids[:-200]
            with lock:
                result.requests += 1
                result.malformed += malformed
                result.statuses[resp.status] = result.statuses.get(resp.status, 0) + 1
                if problems and len(result.problems) < 20:
                    result.problems.append(f"{req.describe(token)}: {problems}")
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        result.rss.append((time.monotonic() - start, server.rss_bytes()))
        time.sleep(0.5)
    for thread in threads:
        thread.join()
    result.rss.append((time.monotonic() - start, server.rss_bytes()))
    result.seconds = time.monotonic() - start
    return result
