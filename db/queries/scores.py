"""Score events and their daily rollup, written in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, insert, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.leaderboard.periods import category_period_totals, fold_streaks, period_totals, team_period_totals
from db.models import CategoryScore, DailyScore, MemberStreak, PeriodScore, ScoreEvent, TeamScore

Rollup = DailyScore | PeriodScore | CategoryScore | TeamScore


@dataclass(frozen=True)
class EventDraft:
    """A score event to write."""

    guild_id: int
    user_id: int
    question_id: str
    category: str
    correct: bool
    points: int
    response_ms: int | None
    answered_at: dt.datetime
    session_id: int | None = None
    round_id: int | None = None
    team_id: int | None = None  # a teams quiz: the fan's team (a role id), which gets the points too
    decided_by: int | None = None  # who upheld it (VAR awards only)


_EVENT_INSERT = insert(ScoreEvent.__table__)
_UPSERTS: dict[tuple[str, type, tuple[str, ...]], Any] = {}


def _upsert(dialect: str, model: type[Rollup], keys: tuple[str, ...]) -> Any:
    """The insert-or-add statement for a rollup table, built once per dialect on the Core table: run as an
    executemany with the rows as parameters, so SQLAlchemy compiles it once and reuses it from its cache."""
    found = _UPSERTS.get((dialect, model, keys))
    if found is None:
        table = model.__table__
        stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
        found = stmt.on_conflict_do_update(
            index_elements=list(keys),
            set_={name: table.c[name] + stmt.excluded[name] for name in ("points", "answers", "correct")},
        )
        _UPSERTS[(dialect, model, keys)] = found
    return found


async def add_up(
    on: AsyncSession | AsyncConnection,
    model: type[Rollup],
    keys: list[str],
    values: list[dict[str, int | str | dt.date]],
) -> None:
    """Insert rollup rows, or add their points/answers/correct to the rows already there: on a session's
    connection (after a flush of what the session holds, as `session.execute` would), or on `on`."""
    if not values:
        return
    if isinstance(on, AsyncSession):
        await on.flush()
        on = await on.connection()
    await on.execute(_upsert(on.dialect.name, model, tuple(keys)), values)


_STREAK_UPSERTS: dict[str, Any] = {}
_STREAK_STEPS: dict[str, Any] = {}


def _streak_step(dialect: str) -> Any:
    """One answer per member, continued in the database in one statement (no read first): the row's
    `current` is 1 for a right answer and 0 for a wrong one, `fastest_ms` the time of a right one."""
    found = _STREAK_STEPS.get(dialect)
    if found is None:
        stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(MemberStreak.__table__)
        new, old = stmt.excluded, MemberStreak.__table__.c
        grown = old.current + 1
        found = stmt.on_conflict_do_update(
            index_elements=["guild_id", "user_id"],
            set_={
                "current": case((new.current == 1, grown), else_=0),
                "best": case(((new.current == 1) & (grown > old.best), grown), else_=old.best),
                "fastest_ms": case(
                    (new.fastest_ms.is_(None), old.fastest_ms),
                    ((old.fastest_ms.is_(None)) | (new.fastest_ms < old.fastest_ms), new.fastest_ms),
                    else_=old.fastest_ms,
                ),
            },
        )
        _STREAK_STEPS[dialect] = found
    return found


def _streak_upsert(dialect: str) -> Any:
    """Insert or overwrite member streak rows (values computed in Python), built once per dialect."""
    found = _STREAK_UPSERTS.get(dialect)
    if found is None:
        stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(MemberStreak.__table__)
        found = stmt.on_conflict_do_update(
            index_elements=["guild_id", "user_id"],
            set_={name: getattr(stmt.excluded, name) for name in ("current", "best", "fastest_ms")},
        )
        _STREAK_UPSERTS[dialect] = found
    return found


async def update_streaks(conn: AsyncConnection, drafts: Sequence[EventDraft]) -> None:
    """Continue each member's streaks and fastest answer with their new events (oldest first). The rows
    are read FOR UPDATE (PostgreSQL) so two rounds closing at once for one fan cannot lose a step."""
    by_member: dict[tuple[int, int], list[EventDraft]] = {}
    for d in sorted(drafts, key=lambda d: d.answered_at):
        by_member.setdefault((d.guild_id, d.user_id), []).append(d)
    dialect = conn.dialect.name
    if all(len(events) == 1 for events in by_member.values()):  # a round: one answer each
        steps = [
            {
                "guild_id": g,
                "user_id": u,
                "current": int(d.correct),
                "best": int(d.correct),
                "fastest_ms": d.response_ms if d.correct else None,
            }
            for (g, u), (d,) in by_member.items()
        ]
        await conn.execute(_streak_step(dialect), steps)
        return
    found = await conn.execute(
        select(
            MemberStreak.guild_id,
            MemberStreak.user_id,
            MemberStreak.current,
            MemberStreak.best,
            MemberStreak.fastest_ms,
        )
        .where(tuple_(MemberStreak.guild_id, MemberStreak.user_id).in_(list(by_member)))
        .with_for_update()
    )
    known = {(g, u): (c, b, f) for g, u, c, b, f in found}
    rows = []
    for (guild_id, user_id), events in by_member.items():
        current, best, fastest = fold_streaks(
            known.get((guild_id, user_id), (0, 0, None)), ((d.correct, d.response_ms) for d in events)
        )
        rows.append({"guild_id": guild_id, "user_id": user_id, "current": current, "best": best})
        rows[-1]["fastest_ms"] = fastest
    await conn.execute(_streak_upsert(dialect), rows)


async def record_events(
    session: AsyncSession,
    drafts: Sequence[EventDraft],
    timezone: str,
    season_start_month: int = 7,
    *,
    streaks: bool = True,
) -> None:
    """Insert score events and add them to the daily rollup and the period totals (and, unless
    `streaks` is False, to the members' answer streaks).

    Every statement is a Core statement built once, run on the session's connection in its transaction.
    Not `session.execute`: on an ORM entity that takes the ORM's bulk-insert path and annotates the
    statement anew, so its cache key is rebuilt on every call; a Core statement object keeps its key,
    and SQLAlchemy finds the compiled form in its cache at once."""
    if not drafts:
        return
    tz = ZoneInfo(timezone)
    rows = []
    for d in drafts:
        day = d.answered_at.astimezone(tz).date()
        rows.append(
            {
                "guild_id": d.guild_id,
                "user_id": d.user_id,
                "session_id": d.session_id,
                "round_id": d.round_id,
                "question_id": d.question_id,
                "category": d.category,
                "correct": d.correct,
                "points": d.points,
                "response_ms": d.response_ms,
                "answered_at": d.answered_at,
                "local_day": day,
                "archive_id": 0,
                "team_id": d.team_id,
                "decided_by": d.decided_by,
            }
        )
    await session.flush()  # objects the caller added are written first, as session.execute would
    conn = await session.connection()
    await conn.execute(_EVENT_INSERT, rows)
    if streaks:
        await update_streaks(conn, drafts)
    await add_to_totals(
        conn,
        [
            Tally(d.guild_id, d.user_id, d.team_id, d.category, row["local_day"], d.points, 1, int(d.correct))
            for d, row in zip(drafts, rows, strict=True)
        ],
        season_start_month,
    )


@dataclass(frozen=True)
class Tally:
    """What to add to a fan's totals (and their team's, in a teams quiz) for one local day and category."""

    guild_id: int
    user_id: int
    team_id: int | None
    category: str
    day: dt.date
    points: int
    answers: int
    correct: int


async def add_to_totals(
    on: AsyncSession | AsyncConnection, tallies: Sequence[Tally], season_start_month: int = 7
) -> None:
    """Add `tallies` to the daily rollup and to the period, category and team totals, in the caller's
    transaction: the one path by which points reach the leaderboards (new events, VAR awards)."""
    rollup: dict[tuple[int, dt.date, int, str], list[int]] = {}
    for t in tallies:
        acc = rollup.setdefault((t.guild_id, t.day, t.user_id, t.category), [0, 0, 0])
        acc[0] += t.points
        acc[1] += t.answers
        acc[2] += t.correct
    await add_up(
        on,
        DailyScore,
        ["guild_id", "day", "user_id", "category", "archive_id"],
        [
            {
                "guild_id": g,
                "day": day,
                "user_id": u,
                "category": c,
                "archive_id": 0,
                "points": v[0],
                "answers": v[1],
                "correct": v[2],
            }
            for (g, day, u, c), v in rollup.items()
        ],
    )
    await add_up(
        on,
        PeriodScore,
        ["guild_id", "period_key", "user_id", "archive_id"],
        period_totals(
            [(t.guild_id, t.user_id, t.day, t.points, t.answers, t.correct) for t in tallies],
            season_start_month,
        ),
    )
    await add_up(
        on,
        TeamScore,
        ["guild_id", "period_key", "team_id", "archive_id"],
        team_period_totals(
            [
                (t.guild_id, t.team_id, t.day, t.points, t.answers, t.correct)
                for t in tallies
                if t.team_id is not None
            ],
            season_start_month,
        ),
    )
    await add_up(
        on,
        CategoryScore,
        ["guild_id", "category", "period_key", "user_id", "archive_id"],
        category_period_totals(
            ((g, u, c, day, v[0], v[1], v[2]) for (g, day, u, c), v in rollup.items()), season_start_month
        ),
    )
