"""Discord's message limits, and fitting text and embeds (as plain dicts) inside them. Discord-free."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

CONTENT_MAX = 2000  # message content
EMBEDS_MAX = 10  # embeds in one message
EMBED_TOTAL_MAX = 6000  # characters across all embeds of one message
UPLOAD_MAX_BYTES = 10 * 1024 * 1024  # a message's files together (default upload limit)
MIN_SLOT = 80  # a trimmed description or field value keeps at least this many characters

Embed = dict[str, Any]


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending with "…" when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def embed_size(embed: Embed) -> int:
    """Characters Discord counts towards the 6000 total: title, description, fields, footer, author."""
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in embed.get("fields") or [])
    size += len((embed.get("footer") or {}).get("text") or "")
    return size + len((embed.get("author") or {}).get("name") or "")


def _cap_for(lengths: Sequence[int], room: int) -> int | None:
    """The largest cap such that sum(min(n, cap)) <= room (water-filling), or None if even MIN_SLOT fails."""
    if sum(min(n, MIN_SLOT) for n in lengths) > room:
        return None
    low, high = MIN_SLOT, max(lengths, default=MIN_SLOT)
    while low < high:
        mid = (low + high + 1) // 2
        if sum(min(n, mid) for n in lengths) <= room:
            low = mid
        else:
            high = mid - 1
    return low


def _trim(embeds: list[Embed], budget: int, *, descriptions: bool) -> bool:
    """Trim the longest field values (and descriptions, if asked) evenly until the total fits."""
    slots: list[tuple[dict[str, Any], str]] = []
    for embed in embeds:
        slots += [(f, "value") for f in embed.get("fields") or [] if len(f.get("value") or "") > MIN_SLOT]
        if descriptions and len(embed.get("description") or "") > MIN_SLOT:
            slots.append((embed, "description"))
    lengths = [len(holder[key]) for holder, key in slots]
    fixed = sum(embed_size(e) for e in embeds) - sum(lengths)
    cap = _cap_for(lengths, budget - fixed)
    if cap is None:
        return False
    for holder, key in slots:
        holder[key] = clip(holder[key], cap)
    return True


def fit_embeds(
    embeds: Sequence[Embed], budget: int = EMBED_TOTAL_MAX, most: int = EMBEDS_MAX
) -> tuple[list[Embed], int]:
    """Embeds (as `Embed.to_dict()` gives them) that fit one message: at most `most`, at most `budget`
    characters in all. Field values (sources, notes) are trimmed first, then descriptions, evenly from
    the longest; only if that is not enough are embeds dropped from the end. Returns (embeds, dropped)."""
    kept = [copy.deepcopy(e) for e in embeds[:most]]
    while kept:
        if sum(embed_size(e) for e in kept) <= budget:
            break
        if _trim(kept, budget, descriptions=False) or _trim(kept, budget, descriptions=True):
            break
        kept.pop()
    return kept, len(embeds) - len(kept)


def join_capped(items: Sequence[str], limit: int, *, sep: str = ", ", more: str = "… and {n} more") -> str:
    """Join `items` within `limit` characters; the ones that do not fit become "… and N more"."""
    out: list[str] = []
    for i, item in enumerate(items):
        rest = len(items) - i - 1
        tail = (sep + more.format(n=rest)) if rest else ""
        candidate = sep.join([*out, item])
        if len(candidate) + len(tail) > limit:
            left = len(items) - len(out)
            return sep.join([*out, more.format(n=left)]) if out else more.format(n=left)
        out.append(item)
    return sep.join(out)
