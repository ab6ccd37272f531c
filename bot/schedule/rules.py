"""When a daily post is owed: local wall-clock times in each server's timezone, DST-correct."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.defaults import DEFAULT_TIMEZONE
from bot.errors import UserError


def parse_time(text: str) -> tuple[int, int]:
    """'9:00', '09:00', '21.30' → (hour, minute); anything else raises UserError."""
    m = re.fullmatch(r"\s*([01]?\d|2[0-3])\s*[:.h]\s*([0-5]\d)\s*", text or "")
    if not m:
        raise UserError(
            "{text} isn't a time. Use 24-hour HH:MM, for example `09:00` or `21:30`.", text=repr(text[:20])
        )
    return int(m.group(1)), int(m.group(2))


@cache
def _zones() -> dict[str, str]:
    return {z.casefold(): z for z in available_timezones() if "/" in z or z == "UTC"}


def check_timezone(name: str) -> str:
    """The canonical IANA name for `name` (case-insensitive); UserError if unknown."""
    canonical = _zones().get((name or "").strip().casefold())
    if canonical is None:
        raise UserError(
            "{name} isn't a timezone I know. Pick one from the list, e.g. {example}.",
            name=repr(name[:40]),
            example=f"`{DEFAULT_TIMEZONE}`",
        )
    try:
        ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError("{name} isn't a timezone I know.", name=repr(name[:40])) from None
    return canonical


def timezone_suggestions(current: str, limit: int = 25) -> list[str]:
    """Timezones containing `current`, the default one first when it fits."""
    needle = current.strip().casefold().replace(" ", "_")
    hits = sorted(z for key, z in _zones().items() if needle in key)
    if DEFAULT_TIMEZONE in hits:
        hits.remove(DEFAULT_TIMEZONE)
        hits.insert(0, DEFAULT_TIMEZONE)
    return hits[:limit]


def occurrence(day: dt.date, hour: int, minute: int, tz: str) -> dt.datetime:
    """The UTC instant of `hour:minute` local time on `day`. In a spring-forward gap the time is
    shifted forward by the gap (02:30 → 03:30); in an autumn overlap the first one counts."""
    local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz))
    return local.astimezone(dt.UTC)


def due_date(now: dt.datetime, tz: str, hour: int, minute: int, grace: dt.timedelta) -> dt.date | None:
    """The local date whose post is owed at `now`: its time has come and is at most `grace` ago."""
    today = now.astimezone(ZoneInfo(tz)).date()
    for day in (today, today - dt.timedelta(days=1)):
        at = occurrence(day, hour, minute, tz)
        if at <= now:
            return day if now - at <= grace else None
    return None


def next_post(now: dt.datetime, tz: str, hour: int, minute: int) -> dt.datetime:
    """The next UTC instant a post is due, after `now`."""
    today = now.astimezone(ZoneInfo(tz)).date()
    for offset in range(3):
        at = occurrence(today + dt.timedelta(days=offset), hour, minute, tz)
        if at > now:
            return at
    raise AssertionError("unreachable: a wall-clock time recurs within two days")


def day_start(day: dt.date, timezone: str) -> dt.datetime:
    """Midnight of `day` in `timezone`, in UTC: no post for `day` can have been sent before it."""
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)
