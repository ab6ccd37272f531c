"""The question of the day: which question a daily post carries, who pressed what, the daily streaks.

A press is one transaction: the answer row (its key makes it one per fan), the score event through the
same path as a quiz round (`db.queries.scores.record_events`: leaderboards and /stats count it), and the
fan's daily streak (`bot.daily_question.rules`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from bot.daily_question.rules import DailyStreak, Outcome, Result, after_answer, points_for
from bot.defaults import DEFAULT_TIMEZONE
from bot.quiz.engine import QuestionView
from db.models import DailyAnswer, DailyQuestion, DailyStreakRow, GuildSettings, Question
from db.queries.quiz import question_view
from db.queries.scores import EventDraft, record_events


async def _previous_day(session: AsyncSession, guild_id: int, day: dt.date) -> dt.date | None:
    """The day of the server's question of the day before `day`'s, or None."""
    return await session.scalar(
        select(func.max(DailyQuestion.local_date)).where(
            DailyQuestion.guild_id == guild_id, DailyQuestion.local_date < day
        )
    )


async def open_question(
    session: AsyncSession,
    post_id: int,
    guild_id: int,
    day: dt.date,
    question: QuestionView,
    order: list[int],
    now: dt.datetime,
) -> tuple[QuestionView, list[int]]:
    """Store `question` as the claimed post's question of the day, which closes the server's earlier one:
    fans who did not answer that one right lose their streak now. A post that has a question already (a
    retried send) keeps it, and the stored question and order are returned."""
    found = await session.get(DailyQuestion, post_id)
    if found is not None:
        row = await session.get(Question, found.question_id)
        if row is not None:
            return question_view(row), list(found.option_order)
        await session.delete(found)  # its question was deleted meanwhile: nobody can have seen it
        await session.flush()
    closed = await _previous_day(session, guild_id, day)
    if closed is not None:
        await session.execute(
            update(DailyStreakRow)
            .where(
                DailyStreakRow.guild_id == guild_id,
                DailyStreakRow.current > 0,
                (DailyStreakRow.last_day.is_(None)) | (DailyStreakRow.last_day < closed),
            )
            .values(current=0, reached_at=now)
        )
    session.add(
        DailyQuestion(
            post_id=post_id,
            guild_id=guild_id,
            local_date=day,
            question_id=question.id,
            option_order=list(order),
            opened_at=now,
        )
    )
    await session.flush()
    return question, list(order)


async def answer(
    sessions: async_sessionmaker,
    post_id: int,
    guild_id: int,
    user_id: int,
    choice: int,
    now: dt.datetime,
    season_start_month: int = 7,
) -> Outcome:
    """Record a fan's press on the question of the day of post `post_id` (shown position `choice`)."""
    try:
        async with sessions.begin() as s:
            return await _answer(s, post_id, guild_id, user_id, choice, now, season_start_month)
    except IntegrityError:  # a second press at the same moment: the first one's row won
        return Outcome(Result.ALREADY)


def _press_facts(post_id: int):
    """Everything a press needs to know, in one statement: the question of the day and its question, the
    server's timezone, whether a newer question closed it, and the day of the one before it."""
    newer = aliased(DailyQuestion)
    before = aliased(DailyQuestion)
    closed = (
        select(newer.post_id)
        .where(newer.guild_id == DailyQuestion.guild_id, newer.local_date > DailyQuestion.local_date)
        .exists()
    )
    previous = (
        select(func.max(before.local_date))
        .where(before.guild_id == DailyQuestion.guild_id, before.local_date < DailyQuestion.local_date)
        .scalar_subquery()
    )
    return (
        select(DailyQuestion, Question, GuildSettings.timezone, closed, previous)
        .outerjoin(Question, Question.id == DailyQuestion.question_id)
        .outerjoin(GuildSettings, GuildSettings.guild_id == DailyQuestion.guild_id)
        .where(DailyQuestion.post_id == post_id)
    )


async def _answer(
    s: AsyncSession,
    post_id: int,
    guild_id: int,
    user_id: int,
    choice: int,
    now: dt.datetime,
    season_start_month: int,
) -> Outcome:
    found = (await s.execute(_press_facts(post_id))).first()
    if found is None:
        return Outcome(Result.GONE)
    daily, row, timezone, closed, previous = found
    if daily.guild_id != guild_id or row is None:
        return Outcome(Result.GONE)
    question, order = question_view(row), tuple(daily.option_order)
    if closed:
        return Outcome(Result.CLOSED, question=question, order=order)
    if not 0 <= choice < len(order):
        return Outcome(Result.GONE)
    correct = order[choice] == 0
    # The key refuses a second press: IntegrityError, answered as "already" by `answer`.
    await s.execute(
        insert(DailyAnswer).values(
            post_id=post_id, user_id=user_id, choice=choice, correct=correct, answered_at=now
        )
    )
    points = points_for(question.difficulty, correct)
    draft = EventDraft(guild_id, user_id, question.id, question.category, correct, points, None, now)
    await record_events(s, [draft], timezone or DEFAULT_TIMEZONE, season_start_month)
    kept = (
        await s.execute(
            select(
                DailyStreakRow.current,
                DailyStreakRow.best,
                DailyStreakRow.last_day,
                DailyStreakRow.reached_at,
            )
            .where(DailyStreakRow.guild_id == guild_id, DailyStreakRow.user_id == user_id)
            .with_for_update()
        )
    ).first()
    after = after_answer(
        DailyStreak(*kept) if kept else DailyStreak(), daily.local_date, previous, correct, now
    )
    values = {"current": after.current, "best": after.best, "last_day": after.last_day, "reached_at": now}
    if kept is None:
        await s.execute(insert(DailyStreakRow).values(guild_id=guild_id, user_id=user_id, **values))
    else:
        await s.execute(
            update(DailyStreakRow)
            .where(DailyStreakRow.guild_id == guild_id, DailyStreakRow.user_id == user_id)
            .values(**values)
        )
    return Outcome(Result.RIGHT if correct else Result.WRONG, points, after, question, order)


async def daily_streak(session: AsyncSession, guild_id: int, user_id: int) -> DailyStreak:
    """A fan's daily streak in a server (zeros for a fan who never answered)."""
    row = await session.get(DailyStreakRow, (guild_id, user_id))
    return DailyStreak(row.current, row.best, row.last_day, row.reached_at) if row else DailyStreak()


@dataclass(frozen=True)
class StreakRow:
    """One line of the streak board."""

    rank: int
    user_id: int
    current: int
    best: int


def _live(guild_id: int):
    return (DailyStreakRow.guild_id == guild_id) & (DailyStreakRow.current > 0)


async def streak_players(session: AsyncSession, guild_id: int) -> int:
    """How many fans of the server have a daily streak going."""
    return int(await session.scalar(select(func.count()).where(_live(guild_id))) or 0)


async def streak_page(
    session: AsyncSession, guild_id: int, *, offset: int = 0, limit: int = 10
) -> list[StreakRow]:
    """Fans with a daily streak going, longest first; ties by best streak, then who reached it first."""
    found = await session.execute(
        select(DailyStreakRow.user_id, DailyStreakRow.current, DailyStreakRow.best)
        .where(_live(guild_id))
        .order_by(
            DailyStreakRow.current.desc(),
            DailyStreakRow.best.desc(),
            DailyStreakRow.reached_at.asc(),
            DailyStreakRow.user_id.asc(),
        )
        .offset(offset)
        .limit(limit)
    )
    return [StreakRow(offset + i, u, c, b) for i, (u, c, b) in enumerate(found, 1)]


async def streak_rank(session: AsyncSession, guild_id: int, user_id: int) -> StreakRow | None:
    """A fan's place on the streak board, or None without a streak going."""
    me = await session.get(DailyStreakRow, (guild_id, user_id))
    if me is None or me.current <= 0:
        return None
    reached = me.reached_at or dt.datetime.min.replace(tzinfo=dt.UTC)
    ahead = await session.scalar(
        select(func.count()).where(
            _live(guild_id),
            (DailyStreakRow.current > me.current)
            | ((DailyStreakRow.current == me.current) & (DailyStreakRow.best > me.best))
            | (
                (DailyStreakRow.current == me.current)
                & (DailyStreakRow.best == me.best)
                & (
                    (DailyStreakRow.reached_at < reached)
                    | ((DailyStreakRow.reached_at == reached) & (DailyStreakRow.user_id < user_id))
                )
            ),
        )
    )
    return StreakRow(int(ahead or 0) + 1, user_id, me.current, me.best)
