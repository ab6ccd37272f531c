"""Leaderboards and stats, aggregated in SQL over the rollups (never every event in Python)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.leaderboard.periods import period_totals, streaks
from db.models import DailyScore, PeriodScore, ScoreEvent


@dataclass(frozen=True)
class Row:
    rank: int
    user_id: int
    points: int
    answers: int
    correct: int


def _totals(guild_id: int, start: dt.date | None, category: str | None) -> Select:
    cond = (DailyScore.guild_id == guild_id) & (DailyScore.archive_id == 0)
    if start is not None:
        cond = cond & (DailyScore.day >= start)
    if category:
        cond = cond & (DailyScore.category == category)
    return (
        select(
            DailyScore.user_id.label("user_id"),
            func.sum(DailyScore.points).label("points"),
            func.sum(DailyScore.answers).label("answers"),
            func.sum(DailyScore.correct).label("correct"),
        )
        .where(cond)
        .group_by(DailyScore.user_id)
    )


def _board(guild_id: int, key: str) -> Any:
    return (
        (PeriodScore.guild_id == guild_id) & (PeriodScore.period_key == key) & (PeriodScore.archive_id == 0)
    )


async def page(
    session: AsyncSession,
    guild_id: int,
    start: dt.date | None,
    *,
    category: str | None = None,
    key: str | None = None,
    offset: int = 0,
    limit: int = 10,
) -> list[Row]:
    """One page of the ranking; ties share a rank (1, 2, 2, 4). With a period `key` and no category it
    reads the period totals (an index scan); otherwise it aggregates the daily rollup."""
    if key is not None and category is None:
        found = (
            await session.execute(
                select(PeriodScore.user_id, PeriodScore.points, PeriodScore.answers, PeriodScore.correct)
                .where(_board(guild_id, key))
                .order_by(PeriodScore.points.desc(), PeriodScore.user_id)
                .offset(offset)
                .limit(limit)
            )
        ).all()
        rows: list[Row] = []
        for i, (user_id, points, answers, correct) in enumerate(found):
            if rows and rows[-1].points == points:
                rank = rows[-1].rank
            elif i == 0 and offset:
                above = await session.scalar(
                    select(func.count()).where(_board(guild_id, key), PeriodScore.points > points)
                )
                rank = int(above or 0) + 1
            else:
                rank = offset + i + 1
            rows.append(Row(rank, int(user_id), int(points), int(answers), int(correct)))
        return rows
    totals = _totals(guild_id, start, category).subquery()
    ranked = (
        select(
            func.rank().over(order_by=totals.c.points.desc()).label("rank"),
            totals.c.user_id,
            totals.c.points,
            totals.c.answers,
            totals.c.correct,
        )
        .order_by(totals.c.points.desc(), totals.c.user_id)
        .offset(offset)
        .limit(limit)
    )
    return [Row(int(r), int(u), int(p), int(a), int(c)) for r, u, p, a, c in await session.execute(ranked)]


async def players(
    session: AsyncSession,
    guild_id: int,
    start: dt.date | None,
    category: str | None = None,
    key: str | None = None,
) -> int:
    """How many members are on the board."""
    if key is not None and category is None:
        return int(await session.scalar(select(func.count()).where(_board(guild_id, key))) or 0)
    totals = _totals(guild_id, start, category).subquery()
    return int(await session.scalar(select(func.count()).select_from(totals)) or 0)


async def rank_of(
    session: AsyncSession,
    guild_id: int,
    user_id: int,
    start: dt.date | None,
    category: str | None = None,
    key: str | None = None,
) -> Row | None:
    """The member's row (rank = 1 + members with more points), or None if they have none."""
    if key is not None and category is None:
        mine_row = (
            await session.execute(
                select(PeriodScore).where(_board(guild_id, key), PeriodScore.user_id == user_id)
            )
        ).scalar()
        if mine_row is None:
            return None
        above = await session.scalar(
            select(func.count()).where(_board(guild_id, key), PeriodScore.points > mine_row.points)
        )
        return Row(int(above or 0) + 1, user_id, mine_row.points, mine_row.answers, mine_row.correct)
    totals = _totals(guild_id, start, category).subquery()
    mine = (await session.execute(select(totals).where(totals.c.user_id == user_id))).first()
    if mine is None:
        return None
    above = await session.scalar(
        select(func.count()).select_from(totals).where(totals.c.points > mine.points)
    )
    return Row(int(above or 0) + 1, user_id, int(mine.points), int(mine.answers), int(mine.correct))


@dataclass(frozen=True)
class Stats:
    points: int
    rank: int | None
    answers: int
    correct: int
    fastest_ms: int | None
    current_streak: int
    best_streak: int
    favourite: str | None

    @property
    def accuracy(self) -> float:
        return self.correct / self.answers if self.answers else 0.0


async def member_stats(session: AsyncSession, guild_id: int, user_id: int) -> Stats:
    """All-time stats for one member of one server."""
    row = await rank_of(session, guild_id, user_id, None, key="all")
    live = (ScoreEvent.guild_id == guild_id) & (ScoreEvent.user_id == user_id) & (ScoreEvent.archive_id == 0)
    fastest = await session.scalar(select(func.min(ScoreEvent.response_ms)).where(live & ScoreEvent.correct))
    results = list(
        await session.scalars(
            select(ScoreEvent.correct).where(live).order_by(ScoreEvent.answered_at, ScoreEvent.id)
        )
    )
    current, best = streaks(results)
    fav = await session.scalar(
        select(DailyScore.category)
        .where(DailyScore.guild_id == guild_id, DailyScore.user_id == user_id, DailyScore.archive_id == 0)
        .group_by(DailyScore.category)
        .having(func.sum(DailyScore.correct) > 0)
        .order_by(func.sum(DailyScore.correct).desc(), DailyScore.category)
        .limit(1)
    )
    return Stats(
        row.points if row else 0,
        row.rank if row else None,
        row.answers if row else 0,
        row.correct if row else 0,
        fastest,
        current,
        best,
        fav,
    )


async def archive(
    session: AsyncSession, guild_id: int, start: dt.date | None, season_start_month: int = 7
) -> int:
    """Move the period's scores into a new archive (kept, no longer counted); return the archive id."""
    new_id = (
        int(
            await session.scalar(
                select(func.coalesce(func.max(DailyScore.archive_id), 0)).where(
                    DailyScore.guild_id == guild_id
                )
            )
            or 0
        )
        + 1
    )
    day_cond = (DailyScore.day >= start) if start is not None else True
    await session.execute(
        update(DailyScore)
        .where(DailyScore.guild_id == guild_id, DailyScore.archive_id == 0, day_cond)
        .values(archive_id=new_id)
    )
    ev_cond = (ScoreEvent.local_day >= start) if start is not None else True
    await session.execute(
        update(ScoreEvent)
        .where(ScoreEvent.guild_id == guild_id, ScoreEvent.archive_id == 0, ev_cond)
        .values(archive_id=new_id)
    )
    await rebuild_totals(session, guild_id, season_start_month)
    return new_id


async def rebuild_totals(session: AsyncSession, guild_id: int, season_start_month: int = 7) -> None:
    """Recompute a guild's live period totals from its live daily rollup (after an archive)."""
    await session.execute(
        delete(PeriodScore).where(PeriodScore.guild_id == guild_id, PeriodScore.archive_id == 0)
    )
    days = await session.execute(
        select(
            DailyScore.guild_id,
            DailyScore.user_id,
            DailyScore.day,
            func.sum(DailyScore.points),
            func.sum(DailyScore.answers),
            func.sum(DailyScore.correct),
        )
        .where(DailyScore.guild_id == guild_id, DailyScore.archive_id == 0)
        .group_by(DailyScore.guild_id, DailyScore.user_id, DailyScore.day)
    )
    rows = period_totals(days, season_start_month)  # type: ignore[arg-type]
    if rows:
        await session.execute(insert(PeriodScore), rows)
