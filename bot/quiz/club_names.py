"""Display names for club slugs, from content/clubs.yaml when it exists (a readable fallback until then)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def fallback_name(slug: str) -> str:
    """'ac-milan' -> 'Ac Milan': readable when the clubs file has no entry."""
    return " ".join(part.capitalize() for part in slug.split("-") if part) or slug


def club_label(slug: str, names: Mapping[str, str]) -> str:
    """The club's canonical name, or a readable form of its slug."""
    return names.get(slug) or fallback_name(slug)


def _name_of(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        for key in ("name", "canonical", "display"):
            if isinstance(entry.get(key), str):
                return entry[key]
    return None


def load_club_names(content_dir: Path) -> dict[str, str]:
    """slug -> canonical name from `content_dir/clubs.yaml` (a list of entries with a slug and a name, or
    a mapping slug -> name or slug -> entry); {} when the file is missing or unreadable."""
    path = content_dir / "clubs.yaml"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return {}
    if isinstance(data, dict) and isinstance(data.get("clubs"), list | dict):
        data = data["clubs"]
    names: dict[str, str] = {}
    if isinstance(data, dict):
        for slug, entry in data.items():
            if (name := _name_of(entry)) is not None:
                names[str(slug)] = name
    elif isinstance(data, list):
        for entry in data:
            if isinstance(entry, dict):
                slug = entry.get("slug") or entry.get("id")
                if isinstance(slug, str) and (name := _name_of(entry)) is not None:
                    names[slug] = name
    return names
