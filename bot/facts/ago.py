"""'How many years ago' for a dated fact, worked out when it is shown (so stored text never goes stale)."""

from __future__ import annotations

import datetime as dt

from bot.i18n import long_date, ntranslate, translate


def years_ago(then: dt.date, today: dt.date) -> int:
    """Whole years from `then` to `today` (0 before the first anniversary)."""
    years = today.year - then.year
    if (today.month, today.day) < (then.month, then.day):
        years -= 1
    return max(years, 0)


def years_ago_text(then: dt.date, today: dt.date, language: str | None = "en") -> str:
    """'6 years ago', 'a year ago', 'this year'; in Italian '6 anni fa', 'un anno fa', 'quest'anno'."""
    n = years_ago(then, today)
    if n == 0:
        return translate(language, "this year")
    return ntranslate(language, "a year ago", "{n} years ago", n)


def dated_title(
    date: dt.date | None, today: dt.date, lang: str | None = None, *, on_this_day: bool = False
) -> str:
    """An on-this-day embed title in `lang`: '22 May 2024 · 2 years ago' ('On this day, 22 May 2024 · …'
    with `on_this_day`), or 'On this day' for an undated fact."""
    if date is None:
        return translate(lang, "On this day")
    when = f"{long_date(date, lang)} · {years_ago_text(date, today, lang)}"
    return translate(lang, "On this day, {date}", date=when) if on_this_day else when
