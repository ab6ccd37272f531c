"""A fan's history queries against a plain Python aggregation of random events, the search ranks, and
the charts (valid PNG, alt text that says the same figures, within Discord's 1024 characters)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from bot import charts
from bot.database import Database
from bot.web.charts import bar_chart
from db.queries import history
from db.queries import leaderboard as lb
from db.queries.leaderboard import archive
from db.queries.profiles import save_names, set_hidden
from db.queries.scores import EventDraft, record_events
from db.queries.search import search_ranked

START = dt.date(2024, 7, 1)
NOW = dt.datetime(2025, 5, 22, 10, tzinfo=dt.UTC)
CATS = ["Players", "History", "Gasperini"]


async def random_events(db: Database, n: int = 600) -> list[EventDraft]:
    rng = random.Random(5)
    drafts = [
        EventDraft(
            rng.choice([1, 2]),
            rng.randrange(10),
            "q",
            rng.choice(CATS),
            (ok := rng.random() < 0.6),
            rng.choice([10, 20, 30]) if ok else 0,
            900,
            NOW - dt.timedelta(minutes=rng.randrange(500 * 24 * 60)),
        )
        for _ in range(n)
    ]
    async with db.sessions.begin() as s:
        await record_events(s, drafts, "Europe/Rome")
    return drafts


def local_day(d: EventDraft) -> dt.date:
    from zoneinfo import ZoneInfo

    return d.answered_at.astimezone(ZoneInfo("Europe/Rome")).date()


async def test_history_matches_the_events(db: Database) -> None:
    drafts = await random_events(db)
    today = NOW.date()
    for guild, user in ((1, 3), (2, 7), (1, 9)):
        mine = [d for d in drafts if d.guild_id == guild and d.user_id == user]
        weekly: dict[dt.date, int] = defaultdict(int)
        for d in mine:
            if local_day(d) >= START:
                weekly[history.week_of(local_day(d))] += d.points
        async with db.sessions() as s:
            got = await history.weekly_points(s, guild, user, START, today)
            cats = await history.category_scores(s, guild, user)
            race = await history.race(s, guild, [user, 12345], START)
        assert [w for w, _ in got] == history.weeks_between(START, today)
        assert got[0][0] == dt.date(2024, 7, 1) and got[-1][0] == dt.date(2025, 5, 19)
        assert dict(got) == {w: weekly.get(w, 0) for w, _ in got}
        expected = {
            c: (sum(1 for d in mine if d.category == c), sum(d.correct for d in mine if d.category == c))
            for c in CATS
        }
        assert {c.category: (c.answers, c.correct) for c in cats} == {
            c: v for c, v in expected.items() if v[0]
        }
        assert [c.correct for c in cats] == sorted((c.correct for c in cats), reverse=True)
        daily: dict[dt.date, int] = defaultdict(int)
        for d in mine:
            if local_day(d) >= START:
                daily[local_day(d)] += d.points
        assert race[user] == sorted(daily.items()) and race[12345] == []


async def test_history_leaves_archived_scores_out(db: Database) -> None:
    await random_events(db)
    async with db.sessions.begin() as s:
        await archive(s, 1, None)
    async with db.sessions() as s:
        assert await history.category_scores(s, 1, 3) == []
        assert all(v == 0 for _, v in await history.weekly_points(s, 1, 3, START, NOW.date()))


async def test_search_ranks_agree_with_the_leaderboard(db: Database) -> None:
    await random_events(db)
    async with db.sessions.begin() as s:
        await save_names(s, 1, {u: f"Fan {u} {'odd' if u % 2 else 'even'}" for u in range(10)}, NOW)
        await set_hidden(s, 1, 5, True, "Fan 5 odd", NOW)
    async with db.sessions() as s:
        found = await search_ranked(s, 1, "ODD", "all")
        expected = [await lb.rank_of(s, 1, u, None, key="all") for u in (1, 3, 7, 9)]
        assert sorted(found, key=lambda r: r.user_id) == expected  # 5 is hidden: never found by name
        assert [r.points for r in found] == sorted((r.points for r in found), reverse=True)
        assert await search_ranked(s, 1, "%", "all") == []  # wildcards are literal
        assert await search_ranked(s, 2, "odd", "all") == []  # names belong to their server


def test_fan_chart_png_and_alt_text() -> None:
    weeks = [(START + dt.timedelta(weeks=i), 10 * (i % 4)) for i in range(47)]
    chart = charts.fan_chart("Ada", weeks, [("Players", 12), ("History", 3)])
    assert chart.png.startswith(b"\x89PNG") and 5_000 < len(chart.png) < 500_000
    total = sum(v for _, v in weeks)
    assert f"{total} points this season" in chart.alt and "Players 12, History 3" in chart.alt
    empty = charts.fan_chart("Nobody", [], [])
    assert empty.png.startswith(b"\x89PNG") and "none yet" in empty.alt
    many = charts.fan_chart("Ada", weeks, [(f"Category number {i}" * 3, i) for i in range(80)])
    assert len(many.alt) <= 1024


def test_race_chart_png_and_alt_text() -> None:
    series = [("Ada", [(START, 30), (START + dt.timedelta(days=9), 20)]), ("Bruno", [(START, 40)])]
    chart = charts.race_chart(series, START, NOW.date())
    assert chart.png.startswith(b"\x89PNG")
    assert "1. Ada 50; 2. Bruno 40" in chart.alt
    assert "nobody has scored" in charts.race_chart([], START, NOW.date()).alt


def test_bar_chart_geometry() -> None:
    chart = bar_chart([("a", 0), ("b", 50), ("c", 100)], "s", width=300, height=100)
    assert [b.height for b in chart.bars] == [0.0, 48.0, 96.0]
    assert all(b.y + b.height == 100 for b in chart.bars)
    assert chart.bars[2].x + chart.bars[2].width <= 300
    assert bar_chart([], "nothing").bars == []
