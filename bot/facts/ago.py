"""'How many years ago' for a dated fact, worked out when it is shown (so stored text never goes stale)."""

from __future__ import annotations

import datetime as dt


def years_ago(then: dt.date, today: dt.date) -> int:
    """Whole years from `then` to `today` (0 before the first anniversary)."""
    years = today.year - then.year
    if (today.month, today.day) < (then.month, then.day):
        years -= 1
    return max(years, 0)


def years_ago_text(then: dt.date, today: dt.date, language: str = "en") -> str:
    """'6 years ago', 'a year ago', 'this year'; in Italian '6 anni fa', 'un anno fa', 'quest'anno'."""
    n = years_ago(then, today)
    if language == "it":
        return "quest'anno" if n == 0 else "un anno fa" if n == 1 else f"{n} anni fa"
    return "this year" if n == 0 else "a year ago" if n == 1 else f"{n} years ago"


def dated_title(date: dt.date | None, today: dt.date, prefix: str = "") -> str:
    """An on-this-day embed title: '22 May 2024 · 2 years ago' (after `prefix`), or 'On this day'."""
    if date is None:
        return "On this day"
    return f"{prefix}{date:%d %B %Y} · {years_ago_text(date, today)}"
