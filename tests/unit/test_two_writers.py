"""The cross-process guarantees hold on both databases: two engines (two bot processes) racing for the
same daily post or the same quiz channel."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.config import load_settings
from bot.database import open_database
from bot.quiz.engine import QuestionView
from db.engine import make_engine, make_sessionmaker, migrate
from db.models import DailyPost
from db.queries import posts
from db.queries.quiz import ChannelBusy, interrupted_sessions, newest_session_id, open_session

NOW = dt.datetime(2025, 5, 22, 10, tzinfo=dt.UTC)


@pytest.fixture
async def two_processes(any_database_url: str) -> AsyncIterator[list[async_sessionmaker]]:
    engines = [make_engine(any_database_url), make_engine(any_database_url)]
    await migrate(engines[0])
    yield [make_sessionmaker(e) for e in engines]
    for engine in engines:
        await engine.dispose()


async def test_one_daily_post_claim_wins(two_processes: list[async_sessionmaker]) -> None:
    day = dt.date(2025, 5, 22)
    claims = await asyncio.gather(
        *(posts.claim(two_processes[i % 2], 7, day, 70, f"n{i}", NOW) for i in range(12))
    )
    assert len([c for c in claims if c is not None]) == 1
    # Within the claim timeout nobody takes it over; after it, exactly one process does.
    again = await asyncio.gather(*(posts.claim(s, 7, day, 70, "late", NOW) for s in two_processes))
    assert again == [None, None]
    later = NOW + posts.STALE_AFTER + dt.timedelta(seconds=1)
    taken = await asyncio.gather(
        *(posts.claim(two_processes[i % 2], 7, day, 70, "x", later) for i in range(8))
    )
    assert [c.recovering for c in taken if c is not None] == [True]
    async with two_processes[0]() as s:
        assert await s.scalar(select(func.count()).select_from(DailyPost)) == 1


async def test_one_quiz_per_channel(two_processes: list[async_sessionmaker]) -> None:
    question = QuestionView("q1", "Who?", "Lookman", (), (), "Finals", "easy")

    async def start(i: int) -> int | None:
        try:
            return await open_session(
                two_processes[i % 2],
                guild_id=1,
                channel_id=10,
                starter_id=i,
                mode="typed",
                category=None,
                difficulty=None,
                seconds=20,
                questions=[question],
                now=NOW,
            )
        except ChannelBusy:
            return None

    started = await asyncio.gather(*(start(i) for i in range(10)))
    assert len([s for s in started if s is not None]) == 1


async def test_a_fleet_starts_at_once_on_an_empty_database(empty_postgres_url: str, tmp_path) -> None:
    """Every process migrates and syncs content at start-up; four at once on a new PostgreSQL database
    must not trip over each other's tables or rows. One syncs; the three that waited for it find the content
    synced and skip it (neither building nor comparing it again)."""
    settings = load_settings(data_dir=tmp_path, database_url=empty_postgres_url)
    starting = asyncio.gather(*(open_database(settings) for _ in range(4)), return_exceptions=True)
    opened = await asyncio.wait_for(starting, 60)  # without the start-up lock: a deadlock, or errors
    assert not [o for o in opened if isinstance(o, BaseException)], opened
    reports = [report for _, report in opened]  # type: ignore[misc]
    assert sorted((r.skipped, r.added > 0) for r in reports) == [(False, True)] + [(True, False)] * 3
    for database, _ in opened:  # type: ignore[misc]
        await database.close()


async def test_start_up_recovery_spares_a_quiz_started_since(two_processes: list[async_sessionmaker]) -> None:
    """A fan can start a quiz between a process's start and its READY, before its recovery runs: only the
    previous run's sessions are closed, never the new one (its points would be lost, the win announced)."""
    question = QuestionView("q1", "Who?", "Lookman", (), (), "Finals", "easy")
    common = {"guild_id": 1, "starter_id": 5, "mode": "typed", "category": None, "difficulty": None}
    old = await open_session(
        two_processes[0], channel_id=10, seconds=20, questions=[question], now=NOW, **common
    )
    boot = await newest_session_id(two_processes[1])  # the restarted process loads its cogs
    new = await open_session(
        two_processes[1], channel_id=11, seconds=20, questions=[question], now=NOW, **common
    )
    closed = await interrupted_sessions(two_processes[1], NOW, {1}, set(), boot)
    assert [row.id for row in closed] == [old] and new > old
