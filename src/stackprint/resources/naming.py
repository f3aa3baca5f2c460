"""Names derived from a snake_case word, spelled the way each generator spells them.

Resource and field names are snake_case words of lowercase letters, each word optionally
ending in digits (`line_item`, `address2`). On that alphabet protoc-gen-go, oapi-codegen and
sqlc agree on every spelling except initialisms: sqlc writes `customer_id` as `CustomerID`,
the other two as `CustomerId`. Each spelling has its own function so templates name the
generator they are talking to.
"""

from __future__ import annotations

import re

NAME_PATTERN = re.compile(r"^[a-z]+[0-9]*(_[a-z]+[0-9]*)*$")

# Words Go style writes in capitals (https://go.dev/wiki/CodeReviewComments#initialisms),
# used for identifiers stackprint writes itself, never for generated ones.
_INITIALISMS = frozenset(
    {"api", "ascii", "cpu", "css", "dns", "eof", "guid", "html", "http", "https", "id", "ip"}
    | {"json", "sql", "ssh", "tcp", "tls", "ttl", "ui", "uid", "uri", "url", "utf8", "uuid"}
    | {"xml"}
)


def words(name: str) -> list[str]:
    return name.split("_")


def proto_go(name: str) -> str:
    """protoc-gen-go's GoCamelCase of a proto field or message name (its exact algorithm)."""
    out: list[str] = []
    i = 0
    while i < len(name):
        c = name[i]
        nxt = name[i + 1] if i + 1 < len(name) else ""
        if c == "_" and i == 0:
            out.append("X")
        elif c == "_" and nxt.islower():
            pass
        elif c.isdigit():
            out.append(c)
        else:
            out.append(c.upper())
            while i + 1 < len(name) and name[i + 1].islower():
                i += 1
                out.append(name[i])
        i += 1
    return "".join(out)


def oapi_go(name: str) -> str:
    """oapi-codegen's default Go name of a schema property (ToCamelCase)."""
    return "".join(w[:1].upper() + w[1:] for w in words(name))


def sqlc_go(name: str) -> str:
    """sqlc's Go name of a column or table: title-cased words, with `id` as `ID`."""
    return "".join("ID" if w == "id" else w[:1].upper() + w[1:] for w in words(name))


def go_ident(name: str) -> str:
    """An exported Go identifier as Go style writes it by hand: `customer_id` -> `CustomerID`."""
    return "".join(w.upper() if w in _INITIALISMS else w[:1].upper() + w[1:] for w in words(name))


def go_local(name: str) -> str:
    """An unexported Go identifier: `line_item` -> `lineItem`, `id` -> `id`."""
    first, *rest = words(name)
    return first + go_ident("_".join(rest)) if rest else first


def pascal(name: str) -> str:
    """TypeScript/React component spelling: `line_item` -> `LineItem`."""
    return "".join(w[:1].upper() + w[1:] for w in words(name))


def camel(name: str) -> str:
    """TypeScript variable spelling: `line_item` -> `lineItem`."""
    p = pascal(name)
    return p[:1].lower() + p[1:]


def kebab(name: str) -> str:
    """URL and file spelling: `line_item` -> `line-item`."""
    return name.replace("_", "-")


def label(name: str) -> str:
    """Words for prose: `line_item` -> `line item`."""
    return name.replace("_", " ")


def title(name: str) -> str:
    """A heading: `line_item` -> `Line item`."""
    text = label(name)
    return text[:1].upper() + text[1:]


_IRREGULAR = {
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "mouse": "mice",
    "goose": "geese",
    "tooth": "teeth",
    "foot": "feet",
}
_UNCOUNTABLE = frozenset({"equipment", "information", "news", "series", "species", "data"})


def plural(name: str) -> str:
    """English plural of the last word of a snake_case name: `line_item` -> `line_items`.

    A default only: the user can give any plural. Uncountable words get an `_items`
    suffix so that the plural still differs from the singular.
    """
    head, _, last = name.rpartition("_")
    prefix = head + "_" if head else ""
    if last in _UNCOUNTABLE:
        return name + "_items"
    if last in _IRREGULAR:
        return prefix + _IRREGULAR[last]
    if re.search(r"[^aeiou]y$", last):
        return prefix + last[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", last):
        return prefix + last + "es"
    if re.search(r"[^aeiou]o$", last) and last not in {"photo", "piano", "memo", "logo", "demo"}:
        return prefix + last + "es"
    return prefix + last + "s"
