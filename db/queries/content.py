"""Sync validated content into the database: idempotent, stable ids, removed entries deactivated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import Content
from bot.content.schema import BankFile, FactFile
from db.models import Fact, Question, QuestionClub


@dataclass
class SyncReport:
    """What a sync changed."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0


def question_rows(bank: BankFile, guild_id: int | None = None) -> list[dict[str, Any]]:
    """Rows for the `questions` table from a bank file."""
    prefix = f"g{guild_id}:{bank.bank}" if guild_id else bank.bank
    return [
        {
            "id": f"{prefix}:{q.id}",
            "bank": bank.bank,
            "guild_id": guild_id,
            "text": q.question,
            "answer": q.answer,
            "aliases": list(q.aliases),
            "choices": list(q.choices),
            "category": q.category,
            "difficulty": q.difficulty,
            "source": q.source,
            "active": True,
            "competition": q.competition,
            "clubs": list(q.clubs),
            "text_it": q.question_it,
            "answer_it": q.answer_it,
            "choices_it": list(q.choices_it),
        }
        for q in bank.questions
    ]


def fact_rows(pack: FactFile) -> list[dict[str, Any]]:
    """Rows for the `facts` table from a fact pack."""
    return [
        {
            "id": f"{pack.pack}:{f.id}",
            "pack": pack.pack,
            "text": f.text,
            "year": f.date.year if f.date else None,
            "month": f.date.month if f.date else None,
            "day": f.date.day if f.date else None,
            "date_source": f.date_source,
            "tags": list(f.tags),
            "source": f.source,
            "active": True,
            "clubs": list(f.clubs),
            "text_it": f.text_it,
        }
        for f in pack.facts
    ]


CHUNK = 500


async def upsert_rows(
    session: AsyncSession,
    model: type[Question] | type[Fact],
    rows: list[dict[str, Any]],
    scope: Any,
    *,
    deactivate_missing: bool = True,
) -> SyncReport:
    """Insert new rows, update changed ones, deactivate rows of `scope` that the rows no longer hold."""
    report = SyncReport()
    existing = {obj.id: obj for obj in (await session.scalars(select(model).where(scope))).all()}
    wanted = {row["id"] for row in rows}
    known = dict(existing)
    missing = [row["id"] for row in rows if row["id"] not in existing]
    for start in range(0, len(missing), CHUNK):  # ids held outside `scope`: one query per chunk
        chunk = missing[start : start + CHUNK]
        held = await session.scalars(select(model).where(model.id.in_(chunk)))
        known.update({obj.id: obj for obj in held})
    fresh: dict[str, dict[str, Any]] = {}
    for row in rows:
        obj = known.get(row["id"])
        if obj is None:
            fresh[row["id"]] = row
        elif any(getattr(obj, k) != v for k, v in row.items()):
            for key, value in row.items():
                setattr(obj, key, value)
            report.updated += 1
            if report.updated % CHUNK == 0:
                await session.flush()  # a chunk at a time, for the same reason as the inserts below
        else:
            report.unchanged += 1
    # New rows go in as plain INSERTs, a chunk at a time: no unit of work over thousands of objects
    # holding the event loop (server imports run beside everyone else's commands).
    new_rows = list(fresh.values())
    for start in range(0, len(new_rows), CHUNK):
        await session.execute(insert(model), new_rows[start : start + CHUNK])
    report.added = len(new_rows)
    for obj_id, obj in existing.items() if deactivate_missing else ():
        if obj_id not in wanted and obj.active:
            obj.active = False
            report.deactivated += 1
    return report


async def sync_content(session: AsyncSession, content: Content) -> SyncReport:
    """Bring built-in questions and facts in line with the content files, in the caller's transaction."""
    total = SyncReport()
    q_rows = [row for bank in content.banks for row in question_rows(bank)]
    f_rows = [row for pack in content.packs for row in fact_rows(pack)]
    for model, rows, scope in (
        (Question, q_rows, Question.guild_id.is_(None)),
        (Fact, f_rows, Fact.id.is_not(None)),
    ):
        part = await upsert_rows(session, model, rows, scope)
        total.added += part.added
        total.updated += part.updated
        total.unchanged += part.unchanged
        total.deactivated += part.deactivated
    await sync_question_clubs(session, q_rows)
    return total


async def sync_question_clubs(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Mirror the `clubs` of these question rows into `question_clubs` (the table club filters join)."""
    ids = [row["id"] for row in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        await session.execute(delete(QuestionClub).where(QuestionClub.question_id.in_(chunk)))
    links = [{"question_id": row["id"], "club": club} for row in rows for club in row.get("clubs") or ()]
    if links:
        await session.execute(insert(QuestionClub), links)
