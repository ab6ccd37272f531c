"""Leaderboard queries: ties, periods in the server's timezone, rollup = events, archive."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Integer, func, select

from bot.leaderboard.periods import period_start, streaks
from db.models import DailyScore, GuildSettings, ScoreEvent
from db.queries import leaderboard as lb
from db.queries.scores import EventDraft, record_events

G = 1000
ROME = "Europe/Rome"


def ev(
    user: int,
    points: int,
    when: dt.datetime,
    *,
    correct: bool = True,
    category: str = "History",
    ms: int = 1500,
) -> EventDraft:
    return EventDraft(G, user, "b:q", category, correct, points, ms, when)


T0 = dt.datetime(2025, 5, 22, 12, 0, tzinfo=dt.UTC)


async def write(db, drafts: list[EventDraft], tz: str = ROME) -> None:
    async with db.sessions.begin() as s:
        await record_events(s, drafts, tz)


@pytest.mark.parametrize(
    ("period", "today", "expected"),
    [
        ("week", dt.date(2025, 5, 22), dt.date(2025, 5, 19)),
        ("week", dt.date(2025, 5, 19), dt.date(2025, 5, 19)),
        ("month", dt.date(2025, 5, 22), dt.date(2025, 5, 1)),
        ("season", dt.date(2025, 5, 22), dt.date(2024, 7, 1)),
        ("season", dt.date(2025, 7, 1), dt.date(2025, 7, 1)),
        ("season", dt.date(2025, 6, 30), dt.date(2024, 7, 1)),
        ("all", dt.date(2025, 5, 22), None),
    ],
)
def test_period_start(period, today, expected) -> None:
    assert period_start(period, today) == expected


def test_season_start_is_configurable() -> None:
    assert period_start("season", dt.date(2025, 8, 10), season_start_month=8) == dt.date(2025, 8, 1)


def test_streaks() -> None:
    assert streaks([]) == (0, 0)
    assert streaks([True, True, False, True, True, True, False]) == (0, 3)
    assert streaks([False, True, True]) == (2, 2)


async def test_ties_share_a_rank(db) -> None:
    await write(db, [ev(1, 30, T0), ev(2, 20, T0), ev(3, 20, T0), ev(4, 10, T0)])
    async with db.sessions() as s:
        rows = await lb.page(s, G, None)
        assert [(r.rank, r.user_id) for r in rows] == [(1, 1), (2, 2), (2, 3), (4, 4)]
        assert (await lb.rank_of(s, G, 3, None)).rank == 2
        assert (await lb.rank_of(s, G, 4, None)).rank == 4
        assert await lb.rank_of(s, G, 99, None) is None


async def test_period_boundary_uses_server_timezone(db) -> None:
    # 23:30 UTC on Sunday 18 May is 01:30 on Monday 19 May in Rome: it belongs to the new week.
    late_sunday_utc = dt.datetime(2025, 5, 18, 23, 30, tzinfo=dt.UTC)
    await write(db, [ev(1, 10, late_sunday_utc), ev(2, 10, late_sunday_utc - dt.timedelta(hours=2))])
    week = period_start("week", dt.date(2025, 5, 22))
    async with db.sessions() as s:
        rows = await lb.page(s, G, week)
    assert [r.user_id for r in rows] == [1]


async def test_rollup_equals_events_aggregation(db) -> None:
    drafts = [
        ev(u % 7, (u * 3) % 25, T0 + dt.timedelta(hours=u), correct=bool(u % 3), category=f"c{u % 4}")
        for u in range(200)
    ]
    await write(db, drafts[:120])
    await write(db, drafts[120:])
    async with db.sessions() as s:
        by_events = dict(
            (
                await s.execute(
                    select(ScoreEvent.user_id, func.sum(ScoreEvent.points)).group_by(ScoreEvent.user_id)
                )
            ).all()
        )
        by_rollup = dict(
            (
                await s.execute(
                    select(DailyScore.user_id, func.sum(DailyScore.points)).group_by(DailyScore.user_id)
                )
            ).all()
        )
        answers = await s.scalar(select(func.sum(DailyScore.answers)))
    assert by_events == by_rollup
    assert answers == 200


async def test_category_filter_and_paging(db) -> None:
    await write(db, [ev(u, 100 - u, T0, category="Players" if u % 2 else "History") for u in range(1, 26)])
    async with db.sessions() as s:
        assert await lb.players(s, G, None) == 25
        second = await lb.page(s, G, None, offset=10, limit=10)
        assert [r.rank for r in second] == list(range(11, 21))
        players = await lb.page(s, G, None, category="Players", limit=50)
        assert all(r.user_id % 2 for r in players) and len(players) == 13


async def test_stats(db) -> None:
    results = [True, True, False, True, True, True]
    await write(
        db,
        [
            ev(
                5,
                10 if ok else 0,
                T0 + dt.timedelta(minutes=i),
                correct=ok,
                ms=900 + i * 100,
                category="Players" if i < 4 else "History",
            )
            for i, ok in enumerate(results)
        ],
    )
    async with db.sessions() as s:
        st = await lb.member_stats(s, G, 5)
    assert (st.points, st.rank, st.answers, st.correct) == (50, 1, 6, 5)
    assert st.fastest_ms == 900
    assert (st.current_streak, st.best_streak) == (3, 3)
    assert st.favourite == "Players"
    assert st.accuracy == pytest.approx(5 / 6)


async def test_archive_keeps_rows_but_resets_board(db) -> None:
    old = T0 - dt.timedelta(days=40)
    await write(db, [ev(1, 10, old), ev(1, 5, T0), ev(2, 7, T0)])
    month = period_start("month", T0.date())
    async with db.sessions.begin() as s:
        s.add(GuildSettings(guild_id=G, timezone=ROME, daily_enabled=False, disabled_banks=[]))
        assert await lb.archive(s, G, month) == 1
    async with db.sessions() as s:
        assert await lb.page(s, G, month) == []
        alltime = await lb.page(s, G, None)
        assert [(r.user_id, r.points) for r in alltime] == [(1, 10)]
        assert await s.scalar(select(func.count()).select_from(ScoreEvent)) == 3  # nothing deleted
    await write(db, [ev(2, 4, T0)])  # new points after the reset count again
    async with db.sessions() as s:
        assert [(r.user_id, r.points) for r in await lb.page(s, G, month)] == [(2, 4)]


@pytest.mark.parametrize("period", ["week", "month", "season", "all"])
async def test_period_totals_match_the_daily_rollup(db, period) -> None:
    import random

    from bot.leaderboard.periods import period_key

    rng = random.Random(period)
    drafts = [
        ev(rng.randrange(30), rng.choice([0, 10, 20, 30]), T0 - dt.timedelta(hours=rng.randrange(24 * 400)))
        for _ in range(600)
    ]
    await write(db, drafts)
    start = period_start(period, T0.date())
    key = period_key(period, start)
    async with db.sessions() as s:
        for offset in (0, 5, 10, 20):
            slow = await lb.page(s, G, start, offset=offset, limit=10)
            fast = await lb.page(s, G, start, key=key, offset=offset, limit=10)
            assert [(r.rank, r.points) for r in fast] == [(r.rank, r.points) for r in slow]
        assert await lb.players(s, G, start) == await lb.players(s, G, start, key=key)
        for user in range(30):
            slow_r = await lb.rank_of(s, G, user, start)
            fast_r = await lb.rank_of(s, G, user, start, key=key)
            assert (slow_r and (slow_r.rank, slow_r.points)) == (fast_r and (fast_r.rank, fast_r.points))


async def test_archive_rebuilds_period_totals(db) -> None:
    await write(db, [ev(1, 10, T0 - dt.timedelta(days=40)), ev(1, 5, T0), ev(2, 7, T0)])
    month = period_start("month", T0.date())
    async with db.sessions.begin() as s:
        await lb.archive(s, G, month)
    async with db.sessions() as s:
        fast = await lb.page(s, G, None, key="all")
        assert [(r.user_id, r.points) for r in fast] == [(1, 10)]
        assert await lb.page(s, G, month, key=f"m{month:%Y-%m}") == []


def _random_drafts(seed: str, n: int = 700) -> list[EventDraft]:
    import random

    rng = random.Random(seed)
    return [
        ev(
            rng.randrange(45),
            rng.choice([0, 10, 20, 30]),  # few distinct totals: many ties across pages
            T0 - dt.timedelta(hours=rng.randrange(24 * 400)),
            correct=rng.random() < 0.6,
            category=rng.choice(["Players", "History", "Europe"]),
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize("period", ["week", "month", "season", "all"])
@pytest.mark.parametrize("category", [None, "Players", "Europe"])
async def test_keyset_pages_walk_the_same_board_forwards_and_back(db, period, category) -> None:
    from bot.leaderboard.periods import period_key

    await write(db, _random_drafts(f"{period}{category}"))
    start = period_start(period, T0.date())
    key = period_key(period, start)
    async with db.sessions() as s:
        reference = await lb.page(s, G, start, category=category, limit=1000)  # aggregated from days
        assert await lb.players(s, G, start, category, key=key) == len(reference)
        pages, cursor = [], None
        while True:
            got = await lb.page(s, G, start, category=category, key=key, limit=7, after=cursor)
            if not got:
                break
            pages.append(got)
            cursor = lb.Cursor.of(got[-1])
        walked = [r for p in pages for r in p]
        assert [(r.rank, r.user_id, r.points, r.answers, r.correct) for r in walked] == [
            (r.rank, r.user_id, r.points, r.answers, r.correct) for r in reference
        ]
        assert [r.position for r in walked] == list(range(1, len(reference) + 1))
        for page_rows in pages[:-1]:  # a bare cursor (no rank carried) counts instead: the same page
            last = page_rows[-1]
            bare = lb.Cursor(last.points, last.user_id)
            carried = await lb.page(
                s, G, start, category=category, key=key, limit=7, after=lb.Cursor.of(last)
            )
            assert await lb.page(s, G, start, category=category, key=key, limit=7, after=bare) == carried
        for i in range(len(pages) - 1, 0, -1):  # and back, page by page
            back = await lb.page(
                s, G, start, category=category, key=key, limit=7, before=lb.Cursor.of(pages[i][0])
            )
            assert back == pages[i - 1]
        for user in range(45):
            slow_r = await lb.rank_of(s, G, user, start, category)
            fast_r = await lb.rank_of(s, G, user, start, category, key=key)
            assert slow_r == fast_r


async def test_category_totals_equal_the_aggregation_of_events(db) -> None:
    from db.models import CategoryScore

    drafts = _random_drafts("totals")
    await write(db, drafts[:300])
    await write(db, drafts[300:])
    async with db.sessions() as s:
        events = {
            (c, u): (int(p), int(a), int(k))
            for c, u, p, a, k in await s.execute(
                select(
                    ScoreEvent.category,
                    ScoreEvent.user_id,
                    func.sum(ScoreEvent.points),
                    func.count(),
                    func.sum(func.cast(ScoreEvent.correct, Integer)),
                ).group_by(ScoreEvent.category, ScoreEvent.user_id)
            )
        }
        totals = {
            (c, u): (p, a, k)
            for c, u, p, a, k in await s.execute(
                select(
                    CategoryScore.category,
                    CategoryScore.user_id,
                    CategoryScore.points,
                    CategoryScore.answers,
                    CategoryScore.correct,
                ).where(CategoryScore.period_key == "all", CategoryScore.archive_id == 0)
            )
        }
    assert totals == events
    month = period_start("month", T0.date())
    async with db.sessions.begin() as s:  # an archive rebuilds them from the live rollup
        await lb.archive(s, G, month)
    async with db.sessions() as s:
        for category in ("Players", "History", "Europe"):
            assert await lb.page(s, G, month, category=category, key=f"m{month:%Y-%m}") == []
            assert await lb.page(s, G, None, category=category, key="all", limit=100) == await lb.page(
                s, G, None, category=category, limit=100
            )


async def test_kept_streaks_equal_the_events_read_in_order(db) -> None:
    import random

    rng = random.Random(11)
    drafts = [
        ev(
            rng.randrange(12),
            10,
            T0 - dt.timedelta(days=60) + dt.timedelta(hours=2 * i),
            correct=rng.random() < 0.7,
            ms=rng.randrange(400, 9000),
        )
        for i in range(500)
    ]
    for d in drafts[:150]:  # one answer per transaction: the streak is continued in SQL alone
        await write(db, [d])
    for start in range(150, 500, 37):  # batches with several answers per member: read, fold, write
        await write(db, drafts[start : start + 37])

    async def from_events(user: int) -> tuple[int, int, int | None]:
        async with db.sessions() as s:
            rows = (
                await s.execute(
                    select(ScoreEvent.correct, ScoreEvent.response_ms)
                    .where(ScoreEvent.user_id == user, ScoreEvent.archive_id == 0)
                    .order_by(ScoreEvent.answered_at, ScoreEvent.id)
                )
            ).all()
        current, best = streaks([bool(ok) for ok, _ in rows])
        return current, best, min((ms for ok, ms in rows if ok), default=None)

    async def kept(user: int) -> tuple[int, int, int | None]:
        async with db.sessions() as s:
            st = await lb.member_stats(s, G, user)
        return st.current_streak, st.best_streak, st.fastest_ms

    for user in range(12):
        assert await kept(user) == await from_events(user)
    async with db.sessions.begin() as s:  # archive the last 30 days: streaks rebuilt from what is left
        s.add(GuildSettings(guild_id=G, timezone=ROME, daily_enabled=False, disabled_banks=[]))
        await lb.archive(s, G, T0.date() - dt.timedelta(days=30))
    for user in range(12):
        assert await kept(user) == await from_events(user)
    async with db.sessions() as s:
        live = await s.scalar(select(func.count()).select_from(ScoreEvent).where(ScoreEvent.archive_id == 0))
    assert 0 < live < 500  # part archived, part kept
