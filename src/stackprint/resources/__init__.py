"""The resource model: typed fields, references, naming, and the templates' view of them.

A project is made of resources (`resources` in the answers). Everything the blueprints need
to know about a resource or a field type is computed here, in tested Python, and reaches
the templates through `stackprint.resources.jinja.ResourcesExtension`.
"""

from stackprint.resources.spec import Field, Resource, parse_field, parse_resource, parse_resources
from stackprint.resources.types import TYPES, FieldType
from stackprint.resources.validate import ResourceError, check_resources

__all__ = [
    "TYPES",
    "Field",
    "FieldType",
    "Resource",
    "ResourceError",
    "check_resources",
    "parse_field",
    "parse_resource",
    "parse_resources",
]
