"""Server-made questions: import (all or nothing), export, add, edit, remove, list; built-in bank switches."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.importer import BankFullError, BankWriter
from bot.content.schema import BankFile, QuestionEntry
from db.models import GuildSettings, Question
from db.queries.content import SyncReport, question_rows, upsert_rows
from db.queries.guilds import guild_settings

SERVER_BANK = "server"
MAX_SERVER_QUESTIONS = 2000  # README: "a server's own bank holds at most 2,000 questions"


def entry_of(q: Question) -> QuestionEntry:
    """A stored question as a bank entry (its id without the server prefix)."""
    return QuestionEntry(
        id=q.id.rsplit(":", 1)[-1],
        question=q.text,
        answer=q.answer,
        aliases=list(q.aliases),
        choices=list(q.choices),
        category=q.category,
        difficulty=q.difficulty,  # type: ignore[arg-type]
        source=q.source or "server",
    )


def short_id(q: Question) -> str:
    return q.id.rsplit(":", 1)[-1]


async def import_entries(session: AsyncSession, guild_id: int, entries: list[QuestionEntry]) -> SyncReport:
    """Add or update the server's questions, in the caller's transaction (all or nothing)."""
    if not entries:
        return SyncReport()
    have = set(await session.scalars(select(Question.id).where(Question.guild_id == guild_id)))
    new = {f"g{guild_id}:{SERVER_BANK}:{e.id}" for e in entries} - have
    if new and len(have) + len(new) > MAX_SERVER_QUESTIONS:
        raise BankFullError(MAX_SERVER_QUESTIONS, len(have), len(new))
    rows = await asyncio.to_thread(_rows, guild_id, entries)  # thousands of rows: not on the event loop
    return await upsert_rows(session, Question, rows, Question.guild_id == guild_id, deactivate_missing=False)


def bank_writer(sessions: async_sessionmaker[AsyncSession], guild_id: int) -> BankWriter:
    """The writer `bot.content.importer.import_bank` uses for this server: one transaction per import."""

    async def write(entries: list[QuestionEntry]) -> SyncReport:
        async with sessions.begin() as session:
            return await import_entries(session, guild_id, entries)

    return write


def _rows(guild_id: int, entries: list[QuestionEntry]) -> list[dict[str, Any]]:
    return question_rows(BankFile(bank=SERVER_BANK, title="Server bank", questions=entries), guild_id)


async def question_count(session: AsyncSession, guild_id: int) -> int:
    """How many questions the server's own bank holds (against MAX_SERVER_QUESTIONS)."""
    return await session.scalar(select(func.count()).where(Question.guild_id == guild_id)) or 0


async def server_questions(
    session: AsyncSession, guild_id: int, category: str | None = None
) -> list[Question]:
    cond = (Question.guild_id == guild_id) & Question.active.is_(True)
    if category:
        cond = cond & (func.lower(Question.category) == category.strip().lower())
    return list(
        (await session.scalars(select(Question).where(cond).order_by(Question.category, Question.id))).all()
    )


async def find(session: AsyncSession, guild_id: int, short: str) -> Question | None:
    return await session.get(Question, f"g{guild_id}:{SERVER_BANK}:{short.strip()}")


async def remove(session: AsyncSession, guild_id: int, short: str) -> bool:
    result = await session.execute(
        delete(Question).where(Question.id == f"g{guild_id}:{SERVER_BANK}:{short}")
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def builtin_banks(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(Question.bank).where(Question.guild_id.is_(None)).distinct()))


async def set_bank_enabled(session: AsyncSession, guild_id: int, bank: str, enabled: bool) -> GuildSettings:
    row = await guild_settings(session, guild_id, create=True)
    disabled = set(row.disabled_banks or [])
    if enabled:
        disabled.discard(bank)
    else:
        disabled.add(bank)
    row.disabled_banks = sorted(disabled)
    return row
