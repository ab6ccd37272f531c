"""Pure functions over facts: topic filter, on-this-day, nearest dated fact, the daily pick."""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.content.generate.facts import fact_rank
from bot.errors import UserError


@dataclass(frozen=True)
class FactView:
    """What the features need of a fact, detached from the database."""

    id: str
    text: str
    source: str
    tags: tuple[str, ...]
    year: int | None = None
    month: int | None = None
    day: int | None = None
    date_source: str | None = None
    text_it: str | None = None
    clubs: tuple[str, ...] = ()

    def text_in(self, lang: str | None) -> str:
        """The fact's text in `lang` (Italian where the content has it, else English)."""
        return self.text_it if lang == "it" and self.text_it else self.text

    @property
    def date(self) -> dt.date | None:
        if self.year and self.month and self.day:
            return dt.date(self.year, self.month, self.day)
        return None


def fold(text: str) -> str:
    """Lower-case, accent-free text for loose comparisons."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def topics(facts: Iterable[FactView]) -> list[str]:
    """Every tag, de-duplicated ignoring case and accents, sorted."""
    return topic_names(fact.tags for fact in facts)


def topic_names(tag_lists: Iterable[Iterable[str]]) -> list[str]:
    """Every tag of these lists, de-duplicated ignoring case and accents, sorted."""
    seen: dict[str, str] = {}
    for tags in tag_lists:
        for tag in tags:
            seen.setdefault(fold(tag), tag)
    return sorted(seen.values(), key=fold)


def matching(facts: Iterable[FactView], query: str | None) -> list[FactView]:
    """Facts tagged with `query`, or whose text mentions it (case- and accent-insensitive)."""
    facts = list(facts)
    if not query or not query.strip():
        return facts
    wanted = set(matching_ids(((f.id, f.text, f.tags) for f in facts), query))
    return [f for f in facts if f.id in wanted]


def matching_ids(index: Iterable[tuple[str, str, Sequence[str]]], query: str) -> list[str]:
    """Ids of the (id, text, tags) entries tagged with `query`, or else whose text or a tag mentions it
    (case- and accent-insensitive). The light form of `matching`, for thousands of facts."""
    q = fold(query.strip())
    entries = list(index)
    tagged = [fid for fid, _, tags in entries if any(fold(t) == q for t in tags)]
    return tagged or [
        fid for fid, text, tags in entries if q in fold(text) or any(q in fold(t) for t in tags)
    ]


def on_this_day(facts: Iterable[FactView], day: dt.date) -> list[FactView]:
    """Facts whose month and day match `day`: hand-written first, then by how much the kind of fact
    matters (finals, titles, Italy… before plain results), oldest year first."""
    hits = [f for f in facts if f.month == day.month and f.day == day.day]
    return sorted(hits, key=lambda f: (fact_rank(f.id), f.year or 0))  # what matters most first


def nearest_dated(facts: Iterable[FactView], day: dt.date) -> FactView | None:
    """The dated fact whose anniversary comes soonest after `day` (wrapping round the year)."""

    def days_until(f: FactView) -> int:
        assert f.month and f.day
        for year in range(day.year, day.year + 9):
            try:
                anniversary = dt.date(year, f.month, f.day)
            except ValueError:  # 29 February in a common year
                continue
            if anniversary > day:
                return (anniversary - day).days
        return 10_000

    dated = [f for f in facts if f.month and f.day]
    return min(dated, key=days_until, default=None)


def nearest_day(days: Iterable[tuple[int, int]], day: dt.date) -> tuple[int, int] | None:
    """Of these (month, day) pairs, the one whose anniversary comes soonest after `day`."""
    probes = [FactView("", "", "", (), day.year, month, d) for month, d in days]
    found = nearest_dated(probes, day)
    return (found.month, found.day) if found and found.month and found.day else None


_MONTHS = {
    fold(m): i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


def parse_day(text: str, today: dt.date) -> dt.date:
    """Parse '22 May', 'May 22', '22/05', '2024-05-22' or 'today'; raise UserError with the accepted forms."""
    raw = fold(text.strip())
    if raw in ("", "today", "oggi"):
        return today
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", raw):
            return dt.date.fromisoformat("-".join(part.zfill(2) for part in raw.split("-")))
        m = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})", raw)
        if m:
            return _leap_safe(int(m.group(2)), int(m.group(1)), today)
        m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)|([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?", raw)
        if m:
            day_s, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            month = next((n for full, n in _MONTHS.items() if len(name) >= 3 and full.startswith(name)), None)
            if month:
                return _leap_safe(month, int(day_s), today)
    except ValueError:
        pass
    raise UserError(f"I couldn't read {text[:40]!r} as a date. Try `22 May`, `22/05` or `2024-05-22`.")


def _leap_safe(month: int, day: int, today: dt.date) -> dt.date:
    """A month/day in this year, or in 2024 (a leap year) for 29 February."""
    try:
        return dt.date(today.year, month, day)
    except ValueError:
        return dt.date(2024, month, day)


def pick(facts: Sequence[FactView], rng: random.Random | None = None) -> FactView | None:
    """A random fact, or None when there are none."""
    return (rng or random).choice(facts) if facts else None


def daily_pick(
    candidates: Sequence[FactView], recently_shown: set[str], rng: random.Random
) -> FactView | None:
    """A fact not shown in the last 30 days while any remain; otherwise any."""
    fresh = [f for f in candidates if f.id not in recently_shown]
    return pick(fresh or list(candidates), rng)
