"""Teams (curva mode): the roles a server marked as teams, and the team board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.leaderboard.periods import team_period_totals
from bot.quiz.teams import MAX_TEAMS
from db.models import ScoreEvent, TeamRole, TeamScore


class TooManyTeams(Exception):
    """The server already has MAX_TEAMS team roles."""


class AlreadyTeam(Exception):
    """The role is already a team."""


async def team_role_ids(session: AsyncSession, guild_id: int) -> list[int]:
    """The server's team roles, in the order they were added."""
    rows = await session.scalars(
        select(TeamRole.role_id)
        .where(TeamRole.guild_id == guild_id)
        .order_by(TeamRole.added_at, TeamRole.role_id)
    )
    return list(rows)


async def add_team_role(session: AsyncSession, guild_id: int, role_id: int, now: dt.datetime) -> int:
    """Mark a role as a team; return how many teams the server has now. Refuses a duplicate
    (`AlreadyTeam`) and a server at MAX_TEAMS (`TooManyTeams`)."""
    have = await team_role_ids(session, guild_id)
    if role_id in have:
        raise AlreadyTeam(role_id)
    if len(have) >= MAX_TEAMS:
        raise TooManyTeams(guild_id)
    session.add(TeamRole(guild_id=guild_id, role_id=role_id, added_at=now))
    try:
        await session.flush()
    except IntegrityError:  # marked at the same moment by another admin or process
        raise AlreadyTeam(role_id) from None
    return len(have) + 1


async def remove_team_role(session: AsyncSession, guild_id: int, role_id: int) -> bool:
    """Unmark a role; False if it was not a team. Its points stay on the team board."""
    done = await session.execute(
        delete(TeamRole).where(TeamRole.guild_id == guild_id, TeamRole.role_id == role_id)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class TeamRow:
    rank: int
    team_id: int
    points: int
    answers: int
    correct: int


async def team_board(session: AsyncSession, guild_id: int, key: str, limit: int = 25) -> list[TeamRow]:
    """The teams of a period (`key`, as for member boards), best first; ties share a rank (1, 2, 2, 4)."""
    found = await session.execute(
        select(TeamScore.team_id, TeamScore.points, TeamScore.answers, TeamScore.correct)
        .where(TeamScore.guild_id == guild_id, TeamScore.period_key == key, TeamScore.archive_id == 0)
        .order_by(TeamScore.points.desc(), TeamScore.team_id)
        .limit(limit)
    )
    rows: list[TeamRow] = []
    for i, (team_id, points, answers, correct) in enumerate(found):
        rank = rows[-1].rank if rows and rows[-1].points == points else i + 1
        rows.append(TeamRow(rank, int(team_id), int(points), int(answers), int(correct)))
    return rows


async def rebuild_team_totals(session: AsyncSession, guild_id: int, season_start_month: int = 7) -> None:
    """Recompute a guild's live team totals from its live team-scored events (after an archive)."""
    await session.execute(delete(TeamScore).where(TeamScore.guild_id == guild_id, TeamScore.archive_id == 0))
    days = await session.execute(
        select(
            ScoreEvent.guild_id,
            ScoreEvent.team_id,
            ScoreEvent.local_day,
            func.sum(ScoreEvent.points),
            func.count(),
            func.sum(case((ScoreEvent.correct.is_(True), 1), else_=0)),
        )
        .where(ScoreEvent.guild_id == guild_id, ScoreEvent.archive_id == 0, ScoreEvent.team_id.is_not(None))
        .group_by(ScoreEvent.guild_id, ScoreEvent.team_id, ScoreEvent.local_day)
    )
    rows = team_period_totals(days, season_start_month)  # type: ignore[arg-type]
    if rows:
        await session.execute(insert(TeamScore), rows)
