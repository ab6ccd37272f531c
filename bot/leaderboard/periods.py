"""Leaderboard periods as ranges of local days in the server's timezone."""

from __future__ import annotations

import datetime as dt
from typing import Literal

Period = Literal["week", "month", "season", "all"]
PERIODS: tuple[Period, ...] = ("week", "month", "season", "all")
PERIOD_LABEL = {"week": "this week", "month": "this month", "season": "this season", "all": "all time"}


def period_start(period: Period, today: dt.date, season_start_month: int = 7) -> dt.date | None:
    """First local day of the period containing `today` (weeks start on Monday); None for all time."""
    if period == "week":
        return today - dt.timedelta(days=today.weekday())
    if period == "month":
        return today.replace(day=1)
    if period == "season":
        year = today.year if today.month >= season_start_month else today.year - 1
        return dt.date(year, season_start_month, 1)
    if period == "all":
        return None
    raise ValueError(f"unknown period {period!r}")


def streaks(results: list[bool]) -> tuple[int, int]:
    """(current, best) runs of consecutive right answers, oldest result first."""
    best = run = 0
    for ok in results:
        run = run + 1 if ok else 0
        best = max(best, run)
    return run, best
