"""Search a server's ranking by fan name: the matching visible fans with their ranks, in one query."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import FanProfile, PeriodScore
from db.queries.leaderboard import Row
from db.queries.profiles import like_pattern


async def search_ranked(
    session: AsyncSession, guild_id: int, text: str, key: str, limit: int = 50
) -> list[Row]:
    """Visible fans whose name contains `text` and who have points in period `key`, best first, each
    with their rank (1 + fans with more points). Hidden fans are never found by name."""
    other = aliased(PeriodScore)
    above = (
        select(func.count())
        .where(
            other.guild_id == guild_id,
            other.period_key == key,
            other.archive_id == 0,
            other.points > PeriodScore.points,
        )
        .scalar_subquery()
    )
    found = await session.execute(
        select(PeriodScore.user_id, PeriodScore.points, PeriodScore.answers, PeriodScore.correct, above)
        .join(
            FanProfile,
            (FanProfile.guild_id == PeriodScore.guild_id) & (FanProfile.user_id == PeriodScore.user_id),
        )
        .where(
            PeriodScore.guild_id == guild_id,
            PeriodScore.period_key == key,
            PeriodScore.archive_id == 0,
            FanProfile.hidden.is_(False),
            func.lower(FanProfile.name).like(like_pattern(text), escape="\\"),
        )
        .order_by(PeriodScore.points.desc(), PeriodScore.user_id)
        .limit(limit)
    )
    return [Row(int(n) + 1, int(u), int(p), int(a), int(c)) for u, p, a, c, n in found]
