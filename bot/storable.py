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
    if text.isascii():  # no surrogate possible: only NUL to look for, without the regex (content loads)
        return text.replace("\x00", "") if "\x00" in text else text
    return UNSTORABLE.sub("", text)


def storable_tree(value: Any, *, skip: str | None = None) -> Any:
    """Clean every string inside nested dicts and lists (parsed YAML, JSON or CSV rows). A top-level
    mapping's `skip` key is left as it is (entries that clean themselves when they are validated)."""
    if skip is not None and isinstance(value, dict):
        return {_clean(k): v if k == skip else _clean(v) for k, v in value.items()}
    return _clean(value)


def _clean(value: Any) -> Any:
    kind = type(value)
    if kind is str:  # the common case first, inline: content loads walk hundreds of thousands of values
        return value if value.isascii() and "\x00" not in value else storable(value)
    if kind is dict or isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if kind is list or isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, str):
        return storable(value)
    return value
