"""Leaderboard periods as ranges of local days in the server's timezone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

Period = Literal["week", "month", "season", "all"]
PERIODS: tuple[Period, ...] = ("week", "month", "season", "all")
# Catalog entries (bot/i18n.py): show them with translate(lang, PERIOD_LABEL[period]).
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


def _season_year(day: dt.date, season_start_month: int) -> int:
    return day.year if day.month >= season_start_month else day.year - 1


def period_keys(day: dt.date, season_start_month: int = 7) -> list[str]:
    """The totals a score on local `day` counts towards: all time, its season, month and ISO week."""
    iso = day.isocalendar()
    return ["all", f"s{_season_year(day, season_start_month)}", f"m{day:%Y-%m}", f"w{iso[0]}-{iso[1]:02d}"]


def period_key(period: Period, start: dt.date | None) -> str:
    """The totals key of a period, given its first day (from `period_start`)."""
    if period == "all" or start is None:
        return "all"
    if period == "season":
        return f"s{start.year}"
    if period == "month":
        return f"m{start:%Y-%m}"
    iso = start.isocalendar()
    return f"w{iso[0]}-{iso[1]:02d}"


def period_totals(
    days: Iterable[tuple[int, int, dt.date, int, int, int]], season_start_month: int = 7
) -> list[dict[str, int | str]]:
    """`period_scores` rows from (guild, user, local day, points, answers, correct) figures: each day
    counts towards every period it belongs to."""
    sums: dict[tuple[int, str, int], list[int]] = {}
    for guild_id, user_id, day, points, answers, correct in days:
        for key in period_keys(day, season_start_month):
            acc = sums.setdefault((guild_id, key, user_id), [0, 0, 0])
            acc[0] += int(points)
            acc[1] += int(answers)
            acc[2] += int(correct)
    return [
        {
            "guild_id": g,
            "period_key": k,
            "user_id": u,
            "archive_id": 0,
            "points": v[0],
            "answers": v[1],
            "correct": v[2],
        }
        for (g, k, u), v in sums.items()
    ]


def team_period_totals(
    days: Iterable[tuple[int, int, dt.date, int, int, int]], season_start_month: int = 7
) -> list[dict[str, int | str]]:
    """`team_scores` rows from (guild, team, local day, points, answers, correct) figures, like
    `period_totals` for members."""
    rows = period_totals(days, season_start_month)
    for row in rows:
        row["team_id"] = row.pop("user_id")
    return rows


def category_period_totals(
    days: Iterable[tuple[int, int, str, dt.date, int, int, int]], season_start_month: int = 7
) -> list[dict[str, int | str]]:
    """`category_scores` rows from (guild, user, category, local day, points, answers, correct) figures:
    each day counts towards every period it belongs to, per category."""
    sums: dict[tuple[int, str, str, int], list[int]] = {}
    for guild_id, user_id, category, day, points, answers, correct in days:
        for key in period_keys(day, season_start_month):
            acc = sums.setdefault((guild_id, category, key, user_id), [0, 0, 0])
            acc[0] += int(points)
            acc[1] += int(answers)
            acc[2] += int(correct)
    return [
        {
            "guild_id": g,
            "category": c,
            "period_key": k,
            "user_id": u,
            "archive_id": 0,
            "points": v[0],
            "answers": v[1],
            "correct": v[2],
        }
        for (g, c, k, u), v in sums.items()
    ]


def fold_streaks(
    start: tuple[int, int, int | None], results: Iterable[tuple[bool, int | None]]
) -> tuple[int, int, int | None]:
    """(current streak, best streak, fastest right answer in ms) after `results` (right?, ms), oldest
    first, continuing from `start`; the same figures `streaks` and a minimum give over all results."""
    current, best, fastest = start
    for ok, ms in results:
        current = current + 1 if ok else 0
        best = max(best, current)
        if ok and ms is not None:
            fastest = ms if fastest is None else min(fastest, ms)
    return current, best, fastest
