"""YAML reading with libyaml's parser when PyYAML was built with it: several times faster
than the pure-Python one on blueprint files and OpenAPI documents."""

from __future__ import annotations

from typing import Any


def load(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)
