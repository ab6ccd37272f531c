"""The daily-post log: its unique (guild, local date) key makes each post exactly-once."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.facts.daily import NO_REPEAT_DAYS
from bot.quiz.engine import QuestionView
from bot.schedule.daily import Claim, DailySchedule, PostMaterial
from db.models import DailyPost
from db.queries import daily_questions, facts, guilds, quiz

STALE_AFTER = dt.timedelta(minutes=2)


async def claim(
    sessions: async_sessionmaker,
    guild_id: int,
    day: dt.date,
    channel_id: int,
    nonce: str,
    now: dt.datetime,
    stale_after: dt.timedelta = STALE_AFTER,
) -> Claim | None:
    """Claim the post for (guild, day), or None if it was sent, failed, or is being sent by someone else."""
    try:
        async with sessions.begin() as s:
            row = DailyPost(
                guild_id=guild_id,
                local_date=day,
                channel_id=channel_id,
                status="claimed",
                nonce=nonce,
                claimed_at=now,
            )
            s.add(row)
            await s.flush()
            return Claim(row.id, nonce, recovering=False)
    except IntegrityError:
        pass
    async with sessions.begin() as s:
        row = await s.scalar(
            select(DailyPost).where(DailyPost.guild_id == guild_id, DailyPost.local_date == day)
        )
        if row is None or row.status != "claimed":
            return None
        claimed_at = row.claimed_at if row.claimed_at.tzinfo else row.claimed_at.replace(tzinfo=dt.UTC)
        if now - claimed_at < stale_after:
            return None  # another process is sending it right now
        taken = await s.execute(
            update(DailyPost)
            .where(DailyPost.id == row.id, DailyPost.claimed_at == row.claimed_at)
            .values(claimed_at=now)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return Claim(row.id, row.nonce, recovering=True)


RELEASED_AT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


async def release(sessions: async_sessionmaker, post_id: int) -> None:
    """Give up a claim after a transient failure: the next `claim` takes it over at once, as a recovery
    (it looks in the channel first, in case the failed send reached Discord after all)."""
    async with sessions.begin() as s:
        await s.execute(
            update(DailyPost)
            .where(DailyPost.id == post_id, DailyPost.status == "claimed")
            .values(claimed_at=RELEASED_AT)
        )


async def finish(
    sessions: async_sessionmaker,
    post_id: int,
    *,
    status: str,
    now: dt.datetime,
    message_id: int | None = None,
    fact_id: str | None = None,
) -> None:
    """Record the outcome of a claimed post: sent (with its message) or failed."""
    async with sessions.begin() as s:
        await s.execute(
            update(DailyPost)
            .where(DailyPost.id == post_id)
            .values(status=status, sent_at=now, message_id=message_id, fact_id=fact_id)
        )


async def recent_fact_ids(sessions: async_sessionmaker, guild_id: int, since: dt.date) -> set[str]:
    """Facts this server's daily posts showed since `since`."""
    async with sessions() as s:
        return await facts_shown_since(s, guild_id, since)


async def facts_shown_since(session: AsyncSession, guild_id: int, since: dt.date) -> set[str]:
    """`recent_fact_ids` inside a session the caller holds."""
    rows = await session.scalars(
        select(DailyPost.fact_id).where(
            DailyPost.guild_id == guild_id, DailyPost.local_date >= since, DailyPost.fact_id.is_not(None)
        )
    )
    return {r for r in rows if r}


async def posts_for(sessions: async_sessionmaker, guild_id: int) -> list[DailyPost]:
    async with sessions() as s:
        return list(
            (
                await s.scalars(
                    select(DailyPost).where(DailyPost.guild_id == guild_id).order_by(DailyPost.local_date)
                )
            ).all()
        )


async def in_flight(sessions: async_sessionmaker, guild_id: int, day: dt.date) -> bool:
    """True while a claim for (guild, day) is neither sent nor failed."""
    async with sessions() as s:
        status = await s.scalar(
            select(DailyPost.status).where(DailyPost.guild_id == guild_id, DailyPost.local_date == day)
        )
        return status == "claimed"


class DailyStore:
    """The daily poster's PostStore (`bot.schedule.daily`): schedules, the post log, facts, questions."""

    def __init__(self, sessions: async_sessionmaker) -> None:
        self.sessions = sessions

    async def schedules(self) -> list[DailySchedule]:
        async with self.sessions() as s:
            return await guilds.scheduled_guilds(s)

    async def schedule(self, guild_id: int) -> DailySchedule | None:
        async with self.sessions() as s:
            return await guilds.daily_schedule(s, guild_id)

    async def disable(self, guild_id: int) -> bool:
        async with self.sessions.begin() as s:
            return await guilds.disable_daily(s, guild_id)

    async def claim(
        self, guild_id: int, day: dt.date, channel_id: int, nonce: str, now: dt.datetime, stale: dt.timedelta
    ) -> Claim | None:
        return await claim(self.sessions, guild_id, day, channel_id, nonce, now, stale)

    async def in_flight(self, guild_id: int, day: dt.date) -> bool:
        return await in_flight(self.sessions, guild_id, day)

    async def release(self, post_id: int) -> None:
        await release(self.sessions, post_id)

    async def finish(
        self,
        post_id: int,
        *,
        status: str,
        now: dt.datetime,
        message_id: int | None = None,
        fact_id: str | None = None,
    ) -> None:
        await finish(self.sessions, post_id, status=status, now=now, message_id=message_id, fact_id=fact_id)

    async def material(
        self, guild_id: int, channel_id: int, day: dt.date, rng: random.Random, asked_at: dt.datetime | None
    ) -> PostMaterial:
        async with self.sessions.begin() as s:  # one transaction; a used-up pool restarts its cycle: a write
            club = (await guilds.guild_settings(s, guild_id)).club
            lean = club or ""  # read just above: no second read of the settings' club
            picked = await quiz.pick_questions(
                s, guild_id, channel_id, count=1, mode="buttons", rng=rng, lean_club=lean
            )
            if asked_at is not None and picked:
                await quiz.mark_asked(s, guild_id, [picked[0].id], asked_at)
            question = picked[0] if picked else None
            today = await facts.facts_on(s, day.month, day.day)
            if today:
                return PostMaterial(club, today, set(), question)
            recent = await facts_shown_since(s, guild_id, day - dt.timedelta(days=NO_REPEAT_DAYS))
            chosen = await facts.random_fact(s, recent)
        return PostMaterial(club, [chosen] if chosen else [], recent, question)

    async def open_question(
        self,
        post_id: int,
        guild_id: int,
        day: dt.date,
        question: QuestionView,
        order: list[int],
        now: dt.datetime,
    ) -> tuple[QuestionView, list[int]]:
        async with self.sessions.begin() as s:
            return await daily_questions.open_question(s, post_id, guild_id, day, question, order, now)
