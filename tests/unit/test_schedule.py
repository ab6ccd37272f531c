"""Daily-post rules with a controllable clock: DST, midnight, leap day, grace window."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.errors import UserError
from bot.facts.daily import plan
from bot.facts.selection import FactView
from bot.schedule.rules import (
    check_timezone,
    due_date,
    next_post,
    occurrence,
    parse_time,
    timezone_suggestions,
)

ROME = "Europe/Rome"
GRACE = dt.timedelta(hours=2)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", (9, 0)),
        ("9:05", (9, 5)),
        ("21.30", (21, 30)),
        ("00:00", (0, 0)),
        ("23:59", (23, 59)),
        (" 7h15 ", (7, 15)),
    ],
)
def test_parse_time(text: str, expected: tuple[int, int]) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "9", "9:60", "nine", "", "12:00pm", "١٢:٠٠", "09:00:00"])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(UserError, match="HH:MM"):
        parse_time(text)


def test_timezones() -> None:
    assert check_timezone("europe/rome") == ROME
    with pytest.raises(UserError):
        check_timezone("Mars/Olympus")
    with pytest.raises(UserError):
        check_timezone("../../etc/passwd")
    assert timezone_suggestions("rom")[0] == ROME
    assert "America/New_York" in timezone_suggestions("new york")


def test_summer_and_winter_offsets() -> None:
    assert occurrence(dt.date(2025, 1, 10), 9, 0, ROME) == utc(2025, 1, 10, 8, 0)
    assert occurrence(dt.date(2025, 7, 10), 9, 0, ROME) == utc(2025, 7, 10, 7, 0)


def test_dst_spring_forward_gap_posts_once() -> None:
    # 30 March 2025: Rome jumps from 02:00 to 03:00. A 02:30 post happens at 03:30 local (01:30 UTC).
    at = occurrence(dt.date(2025, 3, 30), 2, 30, ROME)
    assert at == utc(2025, 3, 30, 1, 30)
    assert due_date(at - dt.timedelta(minutes=1), ROME, 2, 30, GRACE) is None
    assert due_date(at, ROME, 2, 30, GRACE) == dt.date(2025, 3, 30)


def test_dst_fall_back_overlap_uses_first() -> None:
    # 26 October 2025: 02:30 happens twice in Rome; the first (00:30 UTC) counts.
    assert occurrence(dt.date(2025, 10, 26), 2, 30, ROME) == utc(2025, 10, 26, 0, 30)


def test_cron_trigger_agrees_across_dst() -> None:
    trigger = CronTrigger(hour=9, minute=0, timezone=ZoneInfo(ROME))
    before = utc(2025, 3, 29, 12, 0)
    fire = trigger.get_next_fire_time(None, before)
    assert fire == occurrence(dt.date(2025, 3, 30), 9, 0, ROME)
    assert next_post(before, ROME, 9, 0) == fire


def test_grace_window() -> None:
    at = occurrence(dt.date(2025, 5, 22), 9, 0, ROME)
    assert due_date(at - dt.timedelta(seconds=1), ROME, 9, 0, GRACE) is None
    assert due_date(at + GRACE, ROME, 9, 0, GRACE) == dt.date(2025, 5, 22)
    assert due_date(at + GRACE + dt.timedelta(seconds=1), ROME, 9, 0, GRACE) is None


def test_midnight_post_belongs_to_the_new_day() -> None:
    at = occurrence(dt.date(2025, 5, 23), 0, 0, ROME)
    assert at == utc(2025, 5, 22, 22, 0)
    assert due_date(at + dt.timedelta(minutes=5), ROME, 0, 0, GRACE) == dt.date(2025, 5, 23)
    # 23:30 post, checked 30 minutes after local midnight: still yesterday's post, inside the grace window.
    late = occurrence(dt.date(2025, 5, 22), 23, 30, ROME)
    assert due_date(late + dt.timedelta(hours=1), ROME, 23, 30, GRACE) == dt.date(2025, 5, 22)


def test_leap_day() -> None:
    fact = FactView("p:f", "Leap-day fact", "s", (), 2024, 2, 29, "match record")
    other = FactView("p:g", "Other", "s", (), None, None, None)
    p = plan(dt.date(2028, 2, 29), [fact, other], set(), None)
    assert p.on_this_day and p.facts == [fact]
    assert due_date(utc(2028, 2, 29, 8, 30), ROME, 9, 0, GRACE) == dt.date(2028, 2, 29)
    p = plan(dt.date(2027, 3, 1), [fact, other], set(), None)
    assert not p.on_this_day


def test_no_repeat_within_30_days() -> None:
    facts = [FactView(f"p:{i}", f"F{i}", "s", ()) for i in range(3)]
    rng = random.Random(3)
    for _ in range(50):
        p = plan(dt.date(2025, 1, 1), facts, {"p:0", "p:1"}, None, rng)
        assert p.facts[0].id == "p:2"
    p = plan(dt.date(2025, 1, 1), facts, {"p:0", "p:1", "p:2"}, None, rng)  # all shown: any may repeat
    assert p.facts
