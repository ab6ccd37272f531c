"""Sync validated content into the database: idempotent, stable ids, removed entries deactivated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import Content
from bot.content.schema import BankFile, FactFile
from db.models import ContentState, Fact, Question, QuestionClub


@dataclass
class SyncReport:
    """What a sync changed."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    skipped: bool = False  # the sources' digest was unchanged: nothing was read or written
    touched: list[str] = field(default_factory=list, repr=False)  # ids added or updated
    new: list[str] = field(default_factory=list, repr=False)  # ids added: no row can refer to them yet


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
    """Insert new rows, update changed ones, deactivate rows of `scope` that the rows no longer hold.

    In bulk: one read of the stored rows, then one executemany each for inserts and updates, and
    chunked UPDATEs for deactivations, whatever the number of rows."""
    report = SyncReport()
    ids = [row["id"] for row in rows]
    columns = list(rows[0]) if rows else ["id", "active"]
    wanted_cols = [getattr(model, c) for c in dict.fromkeys(["id", "active", *columns])]
    stored: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        result = await session.execute(select(*wanted_cols).where(model.id.in_(chunk)))
        stored.update({r["id"]: dict(r) for r in result.mappings()})
    added = [row for row in rows if row["id"] not in stored]
    changed = [
        row
        for row in rows
        if row["id"] in stored and any(stored[row["id"]].get(k) != v for k, v in row.items())
    ]
    table = model.__table__
    if added:  # Core executemany: the ORM's per-row bookkeeping costs seconds at 10,000 rows
        await session.execute(table.insert(), added)
    if changed:
        keys = [k for k in changed[0] if k != "id"]
        stmt = (
            table.update()
            .where(table.c.id == bindparam("b_id"))
            .values({k: bindparam(f"b_{k}") for k in keys})
        )
        await session.execute(stmt, [{f"b_{k}": v for k, v in row.items()} for row in changed])
    report.added, report.updated = len(added), len(changed)
    report.unchanged = len(rows) - len(added) - len(changed)
    if deactivate_missing:
        wanted = set(ids)
        in_scope = (await session.execute(select(model.id).where(scope, model.active.is_(True)))).scalars()
        gone = [i for i in in_scope if i not in wanted]
        for start in range(0, len(gone), CHUNK):
            await session.execute(
                update(model).where(model.id.in_(gone[start : start + CHUNK])).values(active=False)
            )
        report.deactivated = len(gone)
    report.touched = [row["id"] for row in (*added, *changed)]
    report.new = [row["id"] for row in added]
    return report


def _differs(stored: dict[str, Any], row: dict[str, Any]) -> bool:
    return any(stored.get(k) != v for k, v in row.items())


async def sync_content(session: AsyncSession, content: Content) -> SyncReport:
    """Bring built-in questions and facts in line with the content files, in the caller's transaction."""
    total = SyncReport()
    q_rows = [row for bank in content.banks for row in question_rows(bank)]
    f_rows = [row for pack in content.packs for row in fact_rows(pack)]
    touched: list[str] = []
    new: set[str] = set()
    for model, rows, scope in (
        (Question, q_rows, Question.guild_id.is_(None)),
        (Fact, f_rows, Fact.id.is_not(None)),
    ):
        part = await upsert_rows(session, model, rows, scope)
        total.added += part.added
        total.updated += part.updated
        total.unchanged += part.unchanged
        total.deactivated += part.deactivated
        if model is Question:
            touched, new = part.touched, set(part.new)
    wanted = set(touched)
    await sync_question_clubs(session, [row for row in q_rows if row["id"] in wanted], new=new)
    return total


async def sync_question_clubs(
    session: AsyncSession, rows: list[dict[str, Any]], *, new: set[str] | frozenset[str] = frozenset()
) -> None:
    """Mirror the `clubs` of these question rows into `question_clubs` (the table club filters join).
    Rows whose id is in `new` were just inserted: no link can refer to them yet, so none is deleted (a
    first start inserts, it never deletes)."""
    ids = [row["id"] for row in rows if row["id"] not in new]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        await session.execute(delete(QuestionClub).where(QuestionClub.question_id.in_(chunk)))
    links = [{"question_id": row["id"], "club": club} for row in rows for club in row.get("clubs") or ()]
    if links:
        await session.execute(QuestionClub.__table__.insert(), links)


async def stored_digest(session: AsyncSession, name: str) -> str | None:
    """The digest of content `name` as last synced, or None."""
    return await session.scalar(select(ContentState.digest).where(ContentState.name == name))


async def save_digest(session: AsyncSession, name: str, digest: str, now: dt.datetime) -> None:
    """Record that content `name` with this digest is in the database."""
    state = await session.get(ContentState, name)
    if state is None:
        session.add(ContentState(name=name, digest=digest, synced_at=now))
    else:
        state.digest, state.synced_at = digest, now
