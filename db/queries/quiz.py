"""Quiz queries: question picking, sessions, rounds, standings, recovery after a restart."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, exists, func, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.quiz.engine import QuestionView, QuizGame, Round, ScoreDraft
from db.models import (
    AskedQuestion,
    GuildSettings,
    Question,
    QuestionClub,
    QuizRound,
    QuizSession,
    ScoreEvent,
)
from db.queries.guilds import guild_timezone
from db.queries.scores import EventDraft, record_events
from db.queries.var import record_refused, server_aliases


class ChannelBusy(Exception):
    """A quiz session is already running in the channel (perhaps started by another process)."""


def _view(q: Question, extra_aliases: Sequence[str] = ()) -> QuestionView:
    return QuestionView(
        q.id,
        q.text,
        q.answer,
        (*q.aliases, *extra_aliases),
        tuple(q.choices),
        q.category,
        q.difficulty,
        q.source,
        text_it=q.text_it,
        answer_it=q.answer_it,
        choices_it=tuple(q.choices_it or ()),
    )


def question_view(q: Question) -> QuestionView:
    """A stored question, detached from its session."""
    return _view(q)


def _playable(guild_id: int, disabled: Sequence[str]) -> ColumnElement[bool]:
    # coalesce(): the owner test must not drive the scan (SQLite would pick a multi-index OR over
    # ix_questions_guild_category and sort the whole bank instead of seeking ix_questions_sample).
    owner = func.coalesce(Question.guild_id, 0)
    builtin = owner == 0
    if disabled:
        builtin = builtin & Question.bank.not_in(list(disabled))
    return Question.active.is_(True) & or_(builtin, owner == guild_id)


async def categories(session: AsyncSession, guild_id: int) -> list[str]:
    """Categories a guild can play."""
    settings = await session.get(GuildSettings, guild_id)
    disabled = settings.disabled_banks if settings else []
    rows = await session.scalars(
        select(Question.category).where(_playable(guild_id, disabled)).distinct().order_by(Question.category)
    )
    return list(rows)


async def competitions(session: AsyncSession) -> list[str]:
    """Competition slugs that have active questions (an index scan of `ix_questions_competition`)."""
    rows = await session.scalars(
        select(Question.competition).where(Question.competition.is_not(None)).distinct()
    )
    return sorted(r for r in rows if r)


async def clubs(session: AsyncSession) -> list[str]:
    """Club slugs that have questions (an index scan of `ix_question_clubs_club`)."""
    return list(await session.scalars(select(QuestionClub.club).distinct().order_by(QuestionClub.club)))


@dataclass(frozen=True)
class QuizFilter:
    """What a quiz may ask. Every field narrows the pool; `mode="buttons"` needs three wrong choices."""

    category: str | None = None
    difficulty: str | None = None
    competition: str | None = None
    club: str | None = None
    mode: str = "typed"

    def condition(self, guild_id: int, disabled: Sequence[str]) -> ColumnElement[bool]:
        """The SQL condition for a question that fits (the club test is added by the caller).
        Terms are written so that no index but `ix_questions_sample` can drive the scan."""
        cond = _playable(guild_id, disabled)
        if self.category:
            cond = cond & (func.lower(Question.category) == self.category.strip().lower())
        if self.difficulty:
            cond = cond & (Question.difficulty == self.difficulty)
        if self.competition:
            cond = cond & (func.coalesce(Question.competition, "") == self.competition.strip().lower())
        if self.mode == "buttons":
            cond = cond & (func.json_array_length(Question.choices) == 3)
        return cond


def _asked(guild_id: int) -> ColumnElement[bool]:
    return exists().where(AskedQuestion.guild_id == guild_id, AskedQuestion.question_id == Question.id)


def _of_club(club: str) -> ColumnElement[bool]:
    return Question.id.in_(select(QuestionClub.question_id).where(QuestionClub.club == club))


async def _sample_ids(
    session: AsyncSession, cond: ColumnElement[bool], count: int, rng: random.Random, club: str | None
) -> list[str]:
    """Up to `count` random ids of questions meeting `cond` (and about `club`, if given).

    Each pick seeks to a random point of a random-key index (`ix_questions_sample`, or the club's
    `ix_question_clubs_sample`) and takes the first question from there that fits: a few index steps
    per pick while most of the pool fits, whatever the size of the bank. All seeks go in one statement."""
    if count <= 0:
        return []
    if club:
        key = QuestionClub.sample_key
        base = (
            select(Question.id)
            .select_from(QuestionClub)
            .join(Question, Question.id == QuestionClub.question_id)
            .where(QuestionClub.club == club, cond)
        )
    else:
        key = Question.sample_key
        base = select(Question.id).where(cond)
    seeks = [
        base.where(key >= rng.randrange(2**31)).order_by(key).limit(1).scalar_subquery() for _ in range(count)
    ]
    found = (await session.execute(select(*seeks))).one()
    got = list(dict.fromkeys(qid for qid in found if qid is not None))
    if len(got) < count:  # a seek past the last key, or two seeks landed on the same question
        more = await session.scalars(
            base.where(Question.id.not_in(got) if got else true()).order_by(key).limit(count - len(got))
        )
        got.extend(more)
    return got


async def pick_questions(
    session: AsyncSession,
    guild_id: int,
    channel_id: int | None = None,
    *,
    count: int,
    category: str | None = None,
    difficulty: str | None = None,
    mode: str = "typed",
    competition: str | None = None,
    club: str | None = None,
    lean_club: str | None = None,
    rng: random.Random | None = None,
) -> list[QuestionView]:
    """`count` distinct random questions that fit the filter and this server has not been asked yet.

    When fewer than `count` unasked questions fit, the server has seen the filter's whole pool: its
    asked rows for that pool are cleared (the cycle restarts, in this session's transaction: commit it)
    and the rest are picked from the pool again, never repeating this quiz's own picks. A server's club
    (`lean_club`, read from its settings when None; "" for none) takes up to half of a quiz that is not
    filtered by club. History is per server, so `channel_id` no longer matters (kept for callers)."""
    rng = rng or random.Random()
    settings = await session.get(GuildSettings, guild_id)
    disabled = settings.disabled_banks if settings else []
    if lean_club is None and settings is not None:
        lean_club = settings.club
    filt = QuizFilter(category, difficulty, competition, club, mode)
    base = filt.condition(guild_id, disabled)
    fresh = base & ~_asked(guild_id)
    ids: list[str] = []
    if lean_club and not club:
        ids = await _sample_ids(session, fresh, (count + 1) // 2, rng, lean_club)
    ids += await _sample_ids(
        session, fresh & Question.id.not_in(ids) if ids else fresh, count - len(ids), rng, club
    )
    if len(ids) < count:  # the filter's pool is used up here: restart its cycle
        pool = base & _of_club(club) if club else base
        await session.execute(
            delete(AskedQuestion).where(
                AskedQuestion.guild_id == guild_id,
                AskedQuestion.question_id.in_(select(Question.id).where(pool)),
            )
        )
        again = base & Question.id.not_in(ids) if ids else base
        ids += await _sample_ids(session, again, count - len(ids), rng, club)
    if not ids:
        return []
    rows = {q.id: q for q in await session.scalars(select(Question).where(Question.id.in_(ids)))}
    extra = await server_aliases(session, guild_id, ids)  # answers this server upheld (VAR)
    picked = [_view(rows[qid], extra.get(qid, ())) for qid in ids if qid in rows]
    rng.shuffle(picked)
    return picked


async def mark_asked(
    session: AsyncSession, guild_id: int, question_ids: Sequence[str], now: dt.datetime
) -> None:
    """Record that a server was asked these questions (kept until its cycle for them restarts)."""
    if not question_ids:
        return
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    make = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = make(AskedQuestion).values(
        [{"guild_id": guild_id, "question_id": qid, "asked_at": now} for qid in dict.fromkeys(question_ids)]
    )
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["guild_id", "question_id"]))


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
        raise ChannelBusy(channel_id) from None


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
            await mark_asked(s, game.guild_id, [rnd.question.id], now)
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
                        d.team_id,
                    )
                    for d in drafts
                ],
                tz,
                self.season_start_month,
            )
            await record_refused(s, rnd.round_id, rnd.refused, now)

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


async def session_team_standings(session: AsyncSession, session_id: int) -> list[tuple[int, int]]:
    """(team id, points) for a teams session, best first (teams whose fans answered)."""
    total = func.sum(ScoreEvent.points)
    rows = await session.execute(
        select(ScoreEvent.team_id, total)
        .where(ScoreEvent.session_id == session_id, ScoreEvent.team_id.is_not(None))
        .group_by(ScoreEvent.team_id)
        .order_by(total.desc(), func.min(ScoreEvent.id))
    )
    return [(int(team), int(pts)) for team, pts in rows]


async def interrupted_sessions(
    sessions: async_sessionmaker,
    now: dt.datetime,
    guild_ids: set[int] | None = None,
    live_sessions: set[int] | None = None,
    up_to_id: int | None = None,
) -> list[QuizSession]:
    """Close sessions left running by a stopped bot (their open round scores nothing); return them.
    `live_sessions` are this process's own running games, never touched; with `up_to_id` (the newest
    session id when this process started) a later session is this process's own even before it runs."""
    async with sessions.begin() as s:
        stmt = select(QuizSession).where(QuizSession.state == "running")
        if up_to_id is not None:
            stmt = stmt.where(QuizSession.id <= up_to_id)
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


async def newest_session_id(sessions: async_sessionmaker) -> int:
    """The id of the newest quiz session (0 when there is none)."""
    async with sessions() as s:
        return int(await s.scalar(select(func.max(QuizSession.id))) or 0)


# A live quiz writes a round at least every question (its time limit) plus the pause and a slow send.
STALE_AFTER = dt.timedelta(seconds=60)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


async def recover_stale_session(sessions: async_sessionmaker, channel_id: int, now: dt.datetime) -> list[int]:
    """Close the channel's running session if nothing happened in it for longer than one question's
    time limit plus STALE_AFTER: whatever ran it is gone (a failed start, a disk that filled up). A quiz
    alive in another process keeps writing rounds, so it is left alone. Returns the closed ids."""
    closed: list[int] = []
    async with sessions.begin() as s:
        rows = (
            await s.scalars(
                select(QuizSession).where(
                    QuizSession.state == "running", QuizSession.channel_id == channel_id
                )
            )
        ).all()
        for row in rows:
            asked, ended = (
                await s.execute(
                    select(func.max(QuizRound.asked_at), func.max(QuizRound.closed_at)).where(
                        QuizRound.session_id == row.id
                    )
                )
            ).one()
            latest = max(_utc(t) for t in (row.started_at, asked, ended) if t is not None)
            if now - latest <= dt.timedelta(seconds=row.seconds) + STALE_AFTER:
                continue
            row.state, row.ended_at = "interrupted", now
            await s.execute(
                update(QuizRound)
                .where(QuizRound.session_id == row.id, QuizRound.closed_at.is_(None))
                .values(closed_at=now)
            )
            closed.append(row.id)
    return closed
