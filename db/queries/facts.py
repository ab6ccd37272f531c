"""Fact queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.facts.selection import FactView
from db.models import Fact


async def active_facts(session: AsyncSession) -> list[FactView]:
    """Every active fact as a detached view (fact packs are small: hundreds, not millions)."""
    rows = (await session.scalars(select(Fact).where(Fact.active.is_(True)).order_by(Fact.id))).all()
    return [
        FactView(f.id, f.text, f.source, tuple(f.tags), f.year, f.month, f.day, f.date_source, f.text_it)
        for f in rows
    ]
