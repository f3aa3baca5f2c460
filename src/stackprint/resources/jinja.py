"""The templates' view of the resources, as a Jinja extension named in each copier.yml.

`_jinja_extensions: [stackprint.resources.jinja.ResourcesExtension]` gives templates:

- `resources | resource_model`: the checked resources as `ResourceView`s, in order;
  `resources | resource_model(migrations)` also knows which fields were added after their
  table was created (`FieldView.added_later`, `gorm_default`);
- `resources | resources_error`: "" or the first broken rule (for copier.yml validators);
- the naming filters (`proto_go`, `oapi_go`, `sqlc_go`, `go_ident`, `go_local`, `pascal`,
  `camel`, `kebab`, `label`, `title`, `plural`).

Both stackprint and a plain `copier copy` load it, so they render the same files.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

from stackprint.resources import naming, schema
from stackprint.resources.spec import Field, Resource
from stackprint.resources.types import FieldType
from stackprint.resources.validate import check_resources, resources_error
from stackprint.shared_files import shared_file


@dataclass(frozen=True)
class FieldView:
    """A field with every spelling and per-layer fact a template needs."""

    field: Field
    resource: ResourceView
    number: int  # 1-based position among the resource's own fields

    # --- as written ---------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.field.name

    @property
    def type(self) -> str:
        return self.field.type

    @property
    def optional(self) -> bool:
        return self.field.optional

    @property
    def required(self) -> bool:
        return not self.field.optional

    @property
    def enum_values(self) -> tuple[str, ...]:
        return self.field.enum_values

    @property
    def is_ref(self) -> bool:
        return self.field.type == "ref"

    @property
    def target(self) -> ResourceView | None:
        """The referenced resource (for `ref`)."""
        return self.resource.model.get(self.field.target) if self.is_ref else None

    # --- names ----------------------------------------------------------------------
    @property
    def column(self) -> str:
        """Column, JSON property and query parameter: `customer_id` for `customer:ref(...)`."""
        return self.field.column

    @property
    def kind(self) -> FieldType:
        return self.field.kind

    @property
    def label(self) -> str:
        return naming.label(self.field.name)

    @property
    def title(self) -> str:
        return naming.title(self.field.name)

    @property
    def proto_go(self) -> str:
        return naming.proto_go(self.column)

    @property
    def oapi_go(self) -> str:
        return naming.oapi_go(self.column)

    @property
    def sqlc_go(self) -> str:
        return naming.sqlc_go(self.column)

    @property
    def go_ident(self) -> str:
        return naming.go_ident(self.column)

    @property
    def go_local(self) -> str:
        return naming.go_local(self.column)

    @property
    def camel(self) -> str:
        return naming.camel(self.column)

    # --- per layer ------------------------------------------------------------------
    @property
    def pg(self) -> str:
        return self.kind.pg

    @property
    def proto(self) -> str:
        return self.kind.proto

    @property
    def go(self) -> str:
        return self.kind.go

    @property
    def ts(self) -> str:
        """TypeScript type; an enum is the union of its values."""
        if self.type == "enum":
            return " | ".join(f'"{v}"' for v in self.enum_values)
        return self.kind.ts

    @property
    def input(self) -> str:
        return self.kind.input

    @property
    def openapi(self) -> dict[str, Any]:
        """The property's schema, nullable when optional (OpenAPI 3.0 style)."""
        schema = dict(self.kind.openapi)
        if self.type == "enum":
            schema["enum"] = list(self.enum_values)
        if self.optional:
            schema["nullable"] = True
        return schema

    @property
    def openapi_nullable(self) -> dict[str, Any]:
        """The property's schema with null as a value, as OpenAPI 3.0.3 reads it: an
        `enum` lists null too, since `nullable` does not extend it. For an optional field,
        or a partial update (PATCH) whose null means "leave the field as it is". (Not in
        `openapi`: oapi-codegen turns a null enum value into a constant "<nil>".)"""
        schema = {**self.openapi, "nullable": True}
        if self.type == "enum":
            schema["enum"] = [*self.enum_values, None]
        return schema

    @property
    def max_length(self) -> int | None:
        return self.kind.max_length

    @property
    def minimum(self) -> int | float | None:
        return self.kind.minimum

    @property
    def maximum(self) -> int | float | None:
        return self.kind.maximum

    @property
    def json(self) -> str:
        return self.kind.json

    @property
    def sortable(self) -> bool:
        return self.kind.sortable

    # --- go-api: nullable fields of protobuf responses --------------------------------
    @property
    def proto_nullable(self) -> str:
        """The protobuf type that carries the field where an unset value must read as
        JSON null: the well-known wrapper of its scalar (protojson writes an unset proto3
        `optional` scalar not at all, an unset message field as null)."""
        return _PROTO_NULLABLE[self.kind.proto][0]

    @property
    def proto_nullable_go(self) -> str:
        """The Go function that makes a `proto_nullable` from a value of the field's
        protobuf scalar type."""
        return _PROTO_NULLABLE[self.kind.proto][1]

    # --- schema history ---------------------------------------------------------------
    @property
    def added_later(self) -> bool:
        """Whether the field was added to the resource after its table was created (known
        when the model was made with the migration history)."""
        return self.field.name in self.resource.model.added_later(self.resource.name)

    @property
    def gorm_default(self) -> str:
        """The GORM tag setting (`default:0`) that lets AutoMigrate add this required
        field to a table that already has rows: the zero value of its type, which GORM
        writes for a zero value anyway, so inserts are unchanged. "" when not needed."""
        if not self.added_later or self.optional:
            return ""
        return f"default:{schema.zero_value(self.field)}"

    # --- values for generated tests -------------------------------------------------
    @property
    def example(self) -> Any:
        if self.type == "enum":
            return self.enum_values[0]
        return self.kind.example

    @property
    def example_update(self) -> Any:
        if self.type == "enum":
            return self.enum_values[-1]
        return self.kind.example_update

    @property
    def edges(self) -> tuple[Any, ...]:
        """Values a round trip must keep exactly (null included when optional)."""
        values = self.enum_values if self.type == "enum" else self.kind.edges
        return (*values, None) if self.optional else tuple(values)


@dataclass(frozen=True, eq=False)
class ResourceView:
    resource: Resource
    model: Model
    index: int  # 0-based position in the project

    @property
    def name(self) -> str:
        return self.resource.name

    @property
    def plural(self) -> str:
        return self.resource.plural

    @property
    def table(self) -> str:
        return self.resource.plural

    @property
    def path(self) -> str:
        """URL segment of the collection: `line-items`."""
        return naming.kebab(self.resource.plural)

    @cached_property
    def fields(self) -> tuple[FieldView, ...]:
        return tuple(FieldView(f, self, i + 1) for i, f in enumerate(self.resource.fields))

    @property
    def refs(self) -> tuple[FieldView, ...]:
        return tuple(f for f in self.fields if f.is_ref)

    @property
    def referenced_by(self) -> tuple[FieldView, ...]:
        """Fields of any resource (this one included) that reference this resource."""
        return tuple(f for r in self.model for f in r.refs if f.field.target == self.name)

    @property
    def field_types(self) -> frozenset[str]:
        return frozenset(f.type for f in self.fields)

    def __getattr__(self, attr: str) -> str:
        # Spellings of the singular and the plural: `pascal`, `plural_kebab`, ... .
        word, _, spelling = attr.rpartition("_")
        base = {"": self.resource.name, "plural": self.resource.plural}.get(word)
        func = _SPELLINGS.get(spelling)
        if base is None or func is None:
            raise AttributeError(attr)
        return func(base)


_PROTO_NULLABLE: dict[str, tuple[str, str]] = {
    "string": ("google.protobuf.StringValue", "wrapperspb.String"),
    "int32": ("google.protobuf.Int32Value", "wrapperspb.Int32"),
    "int64": ("google.protobuf.Int64Value", "wrapperspb.Int64"),
    "double": ("google.protobuf.DoubleValue", "wrapperspb.Double"),
    "bool": ("google.protobuf.BoolValue", "wrapperspb.Bool"),
    "google.protobuf.Timestamp": ("google.protobuf.Timestamp", "timestamppb.New"),
}

_SPELLINGS: dict[str, Callable[[str], str]] = {
    "pascal": naming.pascal,
    "camel": naming.camel,
    "kebab": naming.kebab,
    "label": naming.label,
    "title": naming.title,
    "go": naming.go_ident,
    "golocal": naming.go_local,
    "protogo": naming.proto_go,
    "sqlcgo": naming.sqlc_go,
    "oapigo": naming.oapi_go,
    "flat": lambda s: s.replace("_", ""),
}


class Model:
    """The project's resources in order; iterating yields `ResourceView`s."""

    def __init__(
        self, resources: list[Resource], later: Mapping[str, frozenset[str]] | None = None
    ) -> None:
        self._views = tuple(ResourceView(r, self, i) for i, r in enumerate(resources))
        self._by_name = {v.name: v for v in self._views}
        self._later = dict(later or {})

    def added_later(self, name: str) -> frozenset[str]:
        """The fields of resource `name` added after its table was created."""
        return self._later.get(name, frozenset())

    def __iter__(self) -> Iterator[ResourceView]:
        return iter(self._views)

    def __len__(self) -> int:
        return len(self._views)

    def get(self, name: str) -> ResourceView | None:
        return self._by_name.get(name)

    @property
    def field_types(self) -> frozenset[str]:
        return frozenset(t for r in self._views for t in r.field_types)


def resource_model(value: Any, history: Any = None) -> Model:
    """The checked resources; with the migration `history`, also what each table gained
    after it was created.

    Every per-resource file and path of a render asks for the same model (hundreds of
    times at 20 resources), so it is built once per distinct value: a model is read-only,
    and the JSON text of the answers identifies it.
    """
    try:
        key = json.dumps([value, history], sort_keys=True)
    except (TypeError, ValueError):  # not JSON data: nothing to key it by
        return _build_model(value, history)
    return _model_of(key)


@lru_cache(maxsize=16)
def _model_of(key: str) -> Model:
    value, history = json.loads(key)
    return _build_model(value, history)


def _build_model(value: Any, history: Any) -> Model:
    later = None
    if history:
        entries = json.loads(history) if isinstance(history, str) else history
        later = schema.added_later(schema.check_entries(entries))
    return Model(check_resources(value), later)


class ResourcesExtension(Extension):
    """Registers the resource filters on a Jinja environment (Copier's or stackprint's)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(
            {
                "resource_model": resource_model,
                "resources_error": resources_error,
                "proto_go": naming.proto_go,
                "oapi_go": naming.oapi_go,
                "sqlc_go": naming.sqlc_go,
                "go_ident": naming.go_ident,
                "go_local": naming.go_local,
                "pascal": naming.pascal,
                "camel": naming.camel,
                "kebab": naming.kebab,
                "label": naming.label,
                "title_words": naming.title,
                "plural": naming.plural,
                # The migration history (stackprint.resources.schema).
                "initial_migrations": schema.initial_migrations_json,
                "migration_model": schema.migrations,
                # Files written alike by several bundled blueprints.
                "shared_file": shared_file,
            }
        )
