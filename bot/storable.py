"""Text a database can store. PostgreSQL refuses NUL in text (`invalid byte sequence … 0x00`), and no UTF-8
database takes a lone surrogate (`\\ud800` from a JSON escape). One rule for every input: slash-command
options and modal fields are refused with a friendly message, imported files are cleaned."""

from __future__ import annotations

import re
from typing import Any

from bot.i18n import N_

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REFUSAL = N_(
    "That text contains a character I can't store (a NUL byte or a broken emoji half). "
    "Please type it again without it."
)  # a catalog entry: show it with translate(lang, REFUSAL)


def is_storable(text: str) -> bool:
    """True if every character of `text` can be stored in SQLite and PostgreSQL alike."""
    return UNSTORABLE.search(text) is None


def storable(text: str) -> str:
    """`text` without the characters a database would refuse."""
    return UNSTORABLE.sub("", text)


def storable_tree(value: Any) -> Any:
    """Clean every string inside nested dicts and lists (parsed YAML, JSON or CSV rows)."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable_tree(k): storable_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable_tree(v) for v in value]
    return value
