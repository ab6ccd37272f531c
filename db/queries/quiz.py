"""Quiz queries: question picking, sessions, rounds, standings, recovery after a restart."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import UserError
from bot.quiz.engine import QuestionView, QuizGame, Round, ScoreDraft
from db.models import GuildSettings, Question, QuizRound, QuizSession, ScoreEvent
from db.queries.guilds import guild_timezone
from db.queries.scores import EventDraft, record_events

RECENT_ROUNDS = 500


def _view(q: Question) -> QuestionView:
    return QuestionView(
        q.id,
        q.text,
        q.answer,
        tuple(q.aliases),
        tuple(q.choices),
        q.category,
        q.difficulty,
        q.source,
        text_it=q.text_it,
        answer_it=q.answer_it,
        choices_it=tuple(q.choices_it or ()),
    )


def _playable(guild_id: int, disabled: Sequence[str]):
    builtin = Question.guild_id.is_(None)
    if disabled:
        builtin = builtin & Question.bank.not_in(list(disabled))
    return Question.active.is_(True) & or_(builtin, Question.guild_id == guild_id)


async def categories(session: AsyncSession, guild_id: int) -> list[str]:
    """Categories a guild can play."""
    settings = await session.get(GuildSettings, guild_id)
    disabled = settings.disabled_banks if settings else []
    rows = await session.scalars(
        select(Question.category).where(_playable(guild_id, disabled)).distinct().order_by(Question.category)
    )
    return list(rows)


async def pick_questions(
    session: AsyncSession,
    guild_id: int,
    channel_id: int,
    *,
    count: int,
    category: str | None = None,
    difficulty: str | None = None,
    mode: str = "typed",
    rng: random.Random | None = None,
) -> list[QuestionView]:
    """`count` distinct questions; those this channel saw recently come last (least recent first)."""
    rng = rng or random.Random()
    settings = await session.get(GuildSettings, guild_id)
    cond = _playable(guild_id, settings.disabled_banks if settings else [])
    if category:
        cond = cond & (func.lower(Question.category) == category.strip().lower())
    if difficulty:
        cond = cond & (Question.difficulty == difficulty)
    pool = list((await session.scalars(select(Question).where(cond))).all())
    if mode == "buttons":
        pool = [q for q in pool if len(q.choices) == 3]
    recent_rows = await session.execute(
        select(QuizRound.question_id, func.max(QuizRound.asked_at))
        .where(QuizRound.channel_id == channel_id)
        .group_by(QuizRound.question_id)
        .order_by(func.max(QuizRound.asked_at).desc())
        .limit(RECENT_ROUNDS)
    )
    seen = {qid: at for qid, at in recent_rows}
    fresh = [q for q in pool if q.id not in seen]
    rng.shuffle(fresh)
    stale = sorted((q for q in pool if q.id in seen), key=lambda q: seen[q.id])
    return [_view(q) for q in (fresh + stale)[:count]]


async def open_session(
    sessions: async_sessionmaker,
    *,
    guild_id: int,
    channel_id: int,
    starter_id: int,
    mode: str,
    category: str | None,
    difficulty: str | None,
    seconds: int,
    questions: list[QuestionView],
    now: dt.datetime,
) -> int:
    """Create the running session; the partial unique index refuses a second one in the channel."""
    try:
        async with sessions.begin() as s:
            row = QuizSession(
                guild_id=guild_id,
                channel_id=channel_id,
                starter_id=starter_id,
                mode=mode,
                category=category,
                difficulty=difficulty,
                total=len(questions),
                seconds=seconds,
                state="running",
                question_ids=[q.id for q in questions],
                started_at=now,
            )
            s.add(row)
            await s.flush()
            return row.id
    except IntegrityError:
        raise UserError("A quiz is already running here. Use `/quiz stop` to end it first.") from None


class QuizStore:
    """Writes a game's progress: rounds when asked, events when closed, the session when it ends."""

    def __init__(self, sessions: async_sessionmaker, season_start_month: int = 7) -> None:
        self.sessions = sessions
        self.season_start_month = season_start_month

    async def open_round(self, game: QuizGame, rnd: Round, now: dt.datetime) -> int:
        async with self.sessions.begin() as s:
            row = QuizRound(
                session_id=game.session_id,
                channel_id=game.channel_id,
                position=rnd.position,
                question_id=rnd.question.id,
                asked_at=now,
            )
            s.add(row)
            await s.flush()
            return row.id

    async def set_message(self, round_id: int, message_id: int) -> None:
        async with self.sessions.begin() as s:
            await s.execute(update(QuizRound).where(QuizRound.id == round_id).values(message_id=message_id))

    async def close_round(
        self, game: QuizGame, rnd: Round, drafts: list[ScoreDraft], now: dt.datetime
    ) -> None:
        """Write the round's events and close it, in one transaction (points are never half written)."""
        async with self.sessions.begin() as s:
            closed = await s.execute(
                update(QuizRound)
                .where(QuizRound.id == rnd.round_id, QuizRound.closed_at.is_(None))
                .values(closed_at=now)
            )
            if closed.rowcount == 0:  # type: ignore[attr-defined]
                return  # closed already (by another process or a retry): never count twice
            tz = await guild_timezone(s, game.guild_id)
            await record_events(
                s,
                [
                    EventDraft(
                        game.guild_id,
                        d.user_id,
                        rnd.question.id,
                        rnd.question.category,
                        d.correct,
                        d.points,
                        d.response_ms,
                        now,
                        game.session_id,
                        rnd.round_id,
                    )
                    for d in drafts
                ],
                tz,
                self.season_start_month,
            )

    async def finish(self, game: QuizGame, state: str, now: dt.datetime) -> None:
        async with self.sessions.begin() as s:
            await s.execute(
                update(QuizSession).where(QuizSession.id == game.session_id).values(state=state, ended_at=now)
            )


async def session_standings(session: AsyncSession, session_id: int) -> list[tuple[int, int]]:
    """(user id, points) for a session, best first."""
    rows = await session.execute(
        select(ScoreEvent.user_id, func.sum(ScoreEvent.points).label("pts"))
        .where(ScoreEvent.session_id == session_id)
        .group_by(ScoreEvent.user_id)
        .order_by(func.sum(ScoreEvent.points).desc(), func.min(ScoreEvent.id))
    )
    return [(uid, int(pts)) for uid, pts in rows]


async def interrupted_sessions(
    sessions: async_sessionmaker,
    now: dt.datetime,
    guild_ids: set[int] | None = None,
    live_sessions: set[int] | None = None,
) -> list[QuizSession]:
    """Close sessions left running by a stopped bot (their open round scores nothing); return them.
    `live_sessions` are this process's own running games, never touched."""
    async with sessions.begin() as s:
        stmt = select(QuizSession).where(QuizSession.state == "running")
        if guild_ids is not None:
            stmt = stmt.where(QuizSession.guild_id.in_(guild_ids))
        if live_sessions:
            stmt = stmt.where(QuizSession.id.not_in(live_sessions))
        rows = list((await s.scalars(stmt)).all())
        for row in rows:
            row.state = "interrupted"
            row.ended_at = now
            await s.execute(
                update(QuizRound)
                .where(QuizRound.session_id == row.id, QuizRound.closed_at.is_(None))
                .values(closed_at=now)
            )
        return rows
