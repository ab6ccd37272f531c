"""The cross-process guarantees hold on both databases: two engines (two bot processes) racing for the
same daily post or the same quiz channel."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.quiz.engine import QuestionView
from db.engine import make_engine, make_sessionmaker, migrate
from db.models import DailyPost
from db.queries import posts
from db.queries.quiz import ChannelBusy, open_session

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
