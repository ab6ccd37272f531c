"""Score events and their daily rollup, written in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.leaderboard.periods import category_period_totals, period_totals
from db.models import CategoryScore, DailyScore, PeriodScore, ScoreEvent

Rollup = DailyScore | PeriodScore | CategoryScore


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


_UPSERTS: dict[tuple[str, type, tuple[str, ...]], Any] = {}


def _upsert(dialect: str, model: type[Rollup], keys: tuple[str, ...]) -> Any:
    """The insert-or-add statement for a rollup table, built once per dialect: run as an executemany
    with the rows as parameters, so SQLAlchemy compiles it once and reuses it from its cache."""
    found = _UPSERTS.get((dialect, model, keys))
    if found is None:
        make = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = make(model)
        found = stmt.on_conflict_do_update(
            index_elements=list(keys),
            set_={
                name: getattr(model, name) + getattr(stmt.excluded, name)
                for name in ("points", "answers", "correct")
            },
        )
        _UPSERTS[(dialect, model, keys)] = found
    return found


async def add_up(
    session: AsyncSession,
    model: type[Rollup],
    keys: list[str],
    values: list[dict[str, int | str | dt.date]],
) -> None:
    """Insert rollup rows, or add their points/answers/correct to the rows already there."""
    if not values:
        return
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    await session.execute(_upsert(dialect, model, tuple(keys)), values)


async def record_events(
    session: AsyncSession, drafts: Sequence[EventDraft], timezone: str, season_start_month: int = 7
) -> None:
    """Insert score events and add them to the daily rollup and the period totals."""
    if not drafts:
        return
    tz = ZoneInfo(timezone)
    rows = []
    rollup: dict[tuple[int, dt.date, int, str], list[int]] = {}
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
            }
        )
        acc = rollup.setdefault((d.guild_id, day, d.user_id, d.category), [0, 0, 0])
        acc[0] += d.points
        acc[1] += 1
        acc[2] += int(d.correct)
    await session.execute(insert(ScoreEvent), rows)
    await add_up(
        session,
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
    days = [
        (d.guild_id, d.user_id, row["local_day"], d.points, 1, d.correct)
        for d, row in zip(drafts, rows, strict=True)
    ]
    await add_up(
        session,
        PeriodScore,
        ["guild_id", "period_key", "user_id", "archive_id"],
        period_totals(days, season_start_month),
    )
    await add_up(
        session,
        CategoryScore,
        ["guild_id", "category", "period_key", "user_id", "archive_id"],
        category_period_totals(
            ((g, u, c, day, v[0], v[1], v[2]) for (g, day, u, c), v in rollup.items()), season_start_month
        ),
    )
