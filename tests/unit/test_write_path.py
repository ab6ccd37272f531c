"""The answer write path (an event, its streak, rollup and totals): every statement is built once and found
in SQLAlchemy's compiled cache on each later write, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.engine.interfaces import CacheStats

from db.models import CategoryScore, DailyScore, MemberStreak, PeriodScore, ScoreEvent
from db.queries.scores import EventDraft, record_events

T0 = dt.datetime(2025, 5, 22, 12, 0, tzinfo=dt.UTC)


async def test_each_write_reuses_the_same_statements_from_the_compiled_cache(db) -> None:
    statements: list[list[Any]] = []
    cache: list[list[Any]] = []

    def before_execute(conn: Any, clause: Any, multiparams: Any, params: Any, options: Any) -> None:
        statements[-1].append(clause)

    def before_cursor(conn: Any, cursor: Any, sql: str, parameters: Any, context: Any, many: bool) -> None:
        cache[-1].append(context.cache_hit)

    engine = db.engine.sync_engine
    event.listen(engine, "before_execute", before_execute)
    event.listen(engine, "before_cursor_execute", before_cursor)
    try:
        for i in range(3):  # a right answer, a wrong one, a right one: one transaction each
            statements.append([])
            cache.append([])
            async with db.sessions.begin() as s:
                await record_events(
                    s, [EventDraft(1, 10 + i % 2, "b:q", "History", i != 1, 10, 900, T0)], "UTC"
                )
    finally:
        event.remove(engine, "before_execute", before_execute)
        event.remove(engine, "before_cursor_execute", before_cursor)
    assert len(statements[0]) == 5  # event, streak, daily rollup, period totals, category totals
    assert [id(c) for c in statements[1]] == [id(c) for c in statements[2]] == [id(c) for c in statements[0]]
    assert cache[1] == cache[2] == [CacheStats.CACHE_HIT] * 5
    async with db.sessions() as s:  # and the rows are what they were with the ORM path
        assert await s.scalar(select(func.count()).select_from(ScoreEvent)) == 3
        assert await s.scalar(select(func.sum(DailyScore.points))) == 30
        assert await s.scalar(select(func.sum(DailyScore.correct))) == 2
        totals = (await s.execute(select(PeriodScore.answers).where(PeriodScore.period_key == "all"))).all()
        assert sorted(a for (a,) in totals) == [1, 2]
        cat = await s.scalar(select(func.sum(CategoryScore.answers)).where(CategoryScore.period_key == "all"))
        assert cat == 3
        streaks = dict((await s.execute(select(MemberStreak.user_id, MemberStreak.best))).all())
        assert streaks == {10: 2, 11: 0}
