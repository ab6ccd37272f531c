"""Load and validate content files: a bad file raises ContentError naming file, entry and field."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.content import safe_yaml
from bot.content.schema import BankFile, FactFile

MAX_FILE_BYTES = 2 * 1024 * 1024

M = TypeVar("M", bound=BaseModel)


class ContentError(ValueError):
    """A content file is unreadable or invalid. `problems` lists every location and reason."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        shown = "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
        super().__init__(f"{path}: {shown}")


def _location(raw: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic location into `questions[3] (id q004) field 'answer'`."""
    parts: list[str] = []
    node: Any = raw
    for i, key in enumerate(loc):
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            node = node[key]
            ident = node.get("id") if isinstance(node, dict) else None
            parts[-1] = f"{parts[-1]}[{key}]" + (f" (id {ident})" if ident else "")
            continue
        if i == len(loc) - 1 or not isinstance(node, dict):
            parts.append(f"field '{key}'")
        else:
            parts.append(str(key))
        node = node.get(key) if isinstance(node, dict) else None
    return " ".join(parts) or "file"


def parse_text(text: str, model: type[M], path: str) -> M:
    """Parse YAML text into `model`, or raise ContentError with every problem located."""
    try:
        raw = safe_yaml.load(text, aliases=True)  # our own files: aliases, but capped
    except safe_yaml.UnsafeYAML as exc:
        raise ContentError(path, [str(exc) if exc.line else f"file: {exc}"]) from None
    if not isinstance(raw, dict):
        raise ContentError(path, ["file: expected a mapping at the top level"])
    try:
        parsed = model.model_validate(raw)
    except ValidationError as exc:
        raise ContentError(
            path, [f"{_location(raw, tuple(e['loc']))}: {e['msg']}" for e in exc.errors()]
        ) from None
    entries = getattr(parsed, "questions", None) or getattr(parsed, "facts", None) or []
    seen: set[str] = set()
    dupes = [e.id for e in entries if e.id in seen or seen.add(e.id)]  # type: ignore[func-returns-value]
    if dupes:
        raise ContentError(path, [f"id {d!r} appears more than once" for d in dupes])
    return parsed


def read_text(path: Path) -> str:
    """Read a content file as UTF-8 text within the size limit."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentError(str(path), [f"file is {size} bytes; the limit is {MAX_FILE_BYTES}"])
    data = path.read_bytes()
    if b"\x00" in data:
        raise ContentError(str(path), ["file is binary, not text"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(str(path), [f"byte {exc.start}: not UTF-8 text"]) from None


@dataclass(frozen=True)
class Content:
    """Every bank and fact pack in a content folder, validated."""

    banks: list[BankFile]
    packs: list[FactFile]


def _load_all(paths: Iterable[Path], model: type[M]) -> list[M]:
    return [parse_text(read_text(p), model, str(p)) for p in sorted(paths)]


def load_content(content_dir: Path, *, generated: bool = True) -> Content:
    """Load `banks/*.yaml` and `facts/*.yaml`, plus (by default) the banks and pack generated from the
    match records in `records/`; any invalid file or entry raises before anything is used."""
    banks = _load_all((content_dir / "banks").glob("*.yaml"), BankFile)
    packs = _load_all((content_dir / "facts").glob("*.yaml"), FactFile)
    if generated and (content_dir / "records").is_dir():
        from bot.content.generate import build

        try:
            made = build(content_dir)
        except (ValueError, KeyError) as exc:
            raise ContentError(str(content_dir / "records"), [str(exc)]) from None
        banks += made.banks
        packs += made.packs
    for kind, names in (("bank", [b.bank for b in banks]), ("pack", [p.pack for p in packs])):
        if len(set(names)) != len(names):
            raise ContentError(str(content_dir), [f"two files declare the same {kind} name"])
    return Content(banks=banks, packs=packs)


@functools.lru_cache(maxsize=2)
def cached_content(content_dir: Path, digest: str) -> Content:
    """`load_content(content_dir)` built once per process for each digest of its sources (`content_digest`):
    the bot's database opening and `play` share it (tests open many databases and start commands in
    processes forked from one that has it built). Read it, never change it."""
    del digest  # part of the cache key only
    return load_content(content_dir)
