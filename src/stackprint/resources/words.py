"""Words no resource, plural or field may be called: they would not compile, or would clash."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


GO = _words(
    "break case chan const continue default defer else fallthrough for func go goto if import "
    "interface map package range return select struct switch type var any bool byte comparable "
    "complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint "
    "uint8 uint16 uint32 uint64 uintptr true false iota nil append cap clear close complex copy "
    "delete imag len make max min new panic print println real recover"
)
# Reserved words and primitive type names; `number` is neither reserved nor a clash
# (`invoice.number`, `const number` are plain TypeScript) and names many a field.
TYPESCRIPT = _words(
    "class enum export extends super this throw try catch finally typeof instanceof void with "
    "yield let static implements private protected public await async function null undefined "
    "boolean object symbol unknown never debugger in of arguments eval"
)
SQL = _words(
    "all and as asc between by check column constraint create cross current desc distinct drop "
    "exists fetch foreign from full grant group having inner insert intersect into is join key "
    "left like limit natural not offset on or order outer primary references right table then "
    "to union unique update user using values when where window"
)
# Names the generated code itself defines beside the resources' own.
GENERATED = _words(
    "api config server handler handlers service services model models main routes setup health "
    "healthz readyz problem v1 queries schema_migrations migrations unimplemented options "
    "validation_error field_error field_errors error_body error_detail cursor next_cursor page "
    "auto_migrate err_not_found err_invalid_input err_conflict default_list_limit max_list_limit"
)
RESERVED = GO | TYPESCRIPT | SQL | GENERATED
# Resource names also become packages, routes and files: these would shadow generated ones.
RESERVED_RESOURCES = frozenset({"app", "lib", "components", "styles", "tests", "internal", "cmd"})
# Go names protoc-gen-go's message types, GORM models and sqlc rows already use.
RESERVED_GO_MEMBERS = frozenset(
    {"Reset", "String", "ProtoMessage", "ProtoReflect", "Descriptor", "TableName", "ID"}
)
