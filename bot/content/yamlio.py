"""YAML reading with the C loader when PyYAML has it (several times faster than the pure-Python one)."""

from __future__ import annotations

from typing import Any

import yaml

try:
    SafeLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    SafeLoader = yaml.SafeLoader


def load_yaml(text: str) -> Any:
    """`yaml.safe_load`, with the C loader where available."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
