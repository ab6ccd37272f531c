"""Fact queries."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.facts.selection import FactView
from db.models import Fact


def _view(f: Fact) -> FactView:
    return FactView(
        f.id,
        f.text,
        f.source,
        tuple(f.tags),
        f.year,
        f.month,
        f.day,
        f.date_source,
        text_it=f.text_it,
        clubs=tuple(f.clubs or ()),
    )


async def active_facts(session: AsyncSession) -> list[FactView]:
    """Every active fact as a detached view (thousands: for tools and tests, not per command)."""
    rows = (await session.scalars(select(Fact).where(Fact.active.is_(True)).order_by(Fact.id))).all()
    return [_view(f) for f in rows]


async def fact_by_id(session: AsyncSession, fact_id: str) -> FactView | None:
    """One fact by id."""
    row = await session.get(Fact, fact_id)
    return _view(row) if row is not None else None


async def fact_index(session: AsyncSession) -> list[tuple[str, str, tuple[str, ...]]]:
    """(id, text, tags) of every active fact: the columns topic matching reads, without ORM objects."""
    rows = await session.execute(select(Fact.id, Fact.text, Fact.tags).where(Fact.active.is_(True)))
    return [(fid, text, tuple(tags or ())) for fid, text, tags in rows]


async def dated_days(session: AsyncSession) -> list[tuple[int, int]]:
    """Every (month, day) that has an active dated fact."""
    rows = await session.execute(
        select(Fact.month, Fact.day)
        .where(Fact.active.is_(True), Fact.month.is_not(None), Fact.day.is_not(None))
        .distinct()
    )
    return [(int(m), int(d)) for m, d in rows]


async def facts_on(session: AsyncSession, month: int, day: int) -> list[FactView]:
    """Active facts dated on this month and day (through `ix_facts_month_day`)."""
    rows = await session.scalars(
        select(Fact).where(Fact.month == month, Fact.day == day, Fact.active.is_(True)).order_by(Fact.id)
    )
    return [_view(f) for f in rows]


async def random_fact(session: AsyncSession, exclude: Collection[str] = ()) -> FactView | None:
    """A random active fact not in `exclude` while any remain, else any active fact."""
    for skip in (exclude, ()):
        stmt = select(Fact).where(Fact.active.is_(True))
        if skip:
            stmt = stmt.where(Fact.id.not_in(list(skip)))
        row = await session.scalar(stmt.order_by(func.random()).limit(1))
        if row is not None:
            return _view(row)
    return None
