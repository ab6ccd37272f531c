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
    """Every active fact as a detached view (fact packs are small: hundreds, not millions)."""
    rows = (await session.scalars(select(Fact).where(Fact.active.is_(True)).order_by(Fact.id))).all()
    return [_view(f) for f in rows]


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
