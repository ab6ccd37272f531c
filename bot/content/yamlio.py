"""YAML reading and writing with libyaml when PyYAML has it (several times faster than pure Python, the same
results)."""

from __future__ import annotations

from typing import Any

import yaml

try:
    SafeLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    SafeLoader = yaml.SafeLoader
SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load`, with the C loader where available."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader


def dump_yaml(data: Any, **options: Any) -> str:
    """`yaml.safe_dump(data, **options)`, with the C dumper where available: the same text."""
    return yaml.dump(data, Dumper=SafeDumper, **options)
