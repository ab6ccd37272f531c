"""Quiz queries: question picking, sessions, rounds, standings, recovery after a restart."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.quiz.engine import QuestionView, QuizGame, Round, ScoreDraft
from db.models import (
    AskCycle,
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


def pool_key(filt: QuizFilter) -> str:
    """The name of a filter's cycle (`AskCycle.pool`): the same filter always gives the same name."""
    parts = {
        "category": (filt.category or "").strip().lower(),
        "difficulty": filt.difficulty or "",
        "competition": (filt.competition or "").strip().lower(),
        "club": filt.club or "",
        "mode": "buttons" if filt.mode == "buttons" else "",
    }
    return "|".join(f"{k}={v}" for k, v in parts.items() if v)[:200] or "all"


def _generation(guild_id: int) -> ColumnElement[int]:
    """The server's current cycle generation: the highest `since` of any of its filters' cycles."""
    return (
        select(func.coalesce(func.max(AskCycle.since), 0))
        .where(AskCycle.guild_id == guild_id)
        .scalar_subquery()
    )


KEYS = 2**31  # sample keys are in [0, KEYS)


@dataclass
class _Cycle:
    """A filter's cycle as read (or begun) for one pick; written back with `_save`."""

    pool: str
    since: int
    start: int
    cursor: int
    wrapped: bool
    known: bool  # the row exists


async def _cycle(session: AsyncSession, guild_id: int, pool: str, rng: random.Random) -> _Cycle:
    row = await session.get(AskCycle, (guild_id, pool))
    if row is not None:
        return _Cycle(pool, row.since, row.start_key, row.cursor_key, row.wrapped, True)
    start = rng.randrange(KEYS)  # a first cycle: what the server was ever asked counts (since 0)
    return _Cycle(pool, 0, start, start - 1, False, False)


async def _save(session: AsyncSession, guild_id: int, cycle: _Cycle) -> None:
    values = {
        "since": cycle.since,
        "start_key": cycle.start,
        "cursor_key": cycle.cursor,
        "wrapped": cycle.wrapped,
    }
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    make = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = make(AskCycle).values(guild_id=guild_id, pool=cycle.pool, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=["guild_id", "pool"], set_=values))


def _of_club(club: str) -> ColumnElement[bool]:
    return Question.id.in_(select(QuestionClub.question_id).where(QuestionClub.club == club))


async def _walk(
    session: AsyncSession,
    guild_id: int,
    cond: ColumnElement[bool],
    count: int,
    club: str | None,
    cycle: _Cycle,
    rng: random.Random,
    exclude: Sequence[str],
) -> list[Question]:
    """Take up to `count` questions meeting `cond` (and about `club`, if given) from the cycle: the next
    ones in sampling order after its cursor that were not asked since the cycle began, nor in `exclude`.
    Past the top of the keys the walk wraps round to its start; back at the start the cycle is over and a
    new one begins (new generation, new random start), still without `exclude` or what it took.

    Each step is one range scan of the random-key index (`ix_questions_sample`, or the club's
    `ix_question_clubs_sample`) that stops after `count` hits: the same few index steps at the start
    and at the end of a cycle, whatever the size of the bank and of the server's history."""
    if club:
        key = QuestionClub.sample_key
        base = (
            select(Question, key)
            .select_from(QuestionClub)
            .join(Question, Question.id == QuestionClub.question_id)
            .where(QuestionClub.club == club, cond)
        )
    else:
        key = Question.sample_key
        base = select(Question, key).where(cond)
    got: list[Question] = []
    restarted = False
    while len(got) < count:
        taken = [*exclude, *(q.id for q in got)]
        asked = exists().where(
            AskedQuestion.guild_id == guild_id,
            AskedQuestion.question_id == Question.id,
            AskedQuestion.generation >= cycle.since,
        )
        step = base.where(key > cycle.cursor, ~asked)
        if cycle.wrapped:
            step = step.where(key < cycle.start)
        if taken:
            step = step.where(Question.id.not_in(taken))
        found = (await session.execute(step.order_by(key).limit(count - len(got)))).all()
        got += [q for q, _ in found]
        if found:
            cycle.cursor = int(found[-1][1])
        if len(got) >= count:
            break
        if not cycle.wrapped:  # past the top of the keys: on from the bottom, up to the start
            cycle.wrapped, cycle.cursor = True, -1
        elif restarted:  # a whole new cycle holds nothing more: the pool is smaller than the quiz
            break
        else:  # back at the start: the cycle is over
            generation = int(await session.scalar(select(_generation(guild_id))) or 0)
            start = rng.randrange(KEYS)
            cycle.since, cycle.start, cycle.cursor, cycle.wrapped = generation + 1, start, start - 1, False
            restarted = True
    await _save(session, guild_id, cycle)
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
    """`count` distinct questions that fit the filter and that this server was not asked in the
    filter's current cycle (in this session's transaction: commit it, the cycle moves on).

    A cycle takes every question of the filter's pool once, in a random order (the questions' random
    sampling keys, from a random start); when it is over a new one begins, never repeating this quiz's
    own picks. A server's club (`lean_club`, read from its settings when None; "" for none) takes up to
    half of a quiz that is not filtered by club, from the club's own cycle. History is per server, so
    `channel_id` no longer matters (kept for callers)."""
    rng = rng or random.Random()
    settings = await session.get(GuildSettings, guild_id)
    disabled = settings.disabled_banks if settings else []
    if lean_club is None and settings is not None:
        lean_club = settings.club
    filt = QuizFilter(category, difficulty, competition, club, mode)
    base = filt.condition(guild_id, disabled)
    chosen: list[Question] = []
    if lean_club and not club and count > 0:
        leaning = QuizFilter(category, difficulty, competition, lean_club, mode)
        lean_cycle = await _cycle(session, guild_id, pool_key(leaning), rng)
        chosen = await _walk(session, guild_id, base, (count + 1) // 2, lean_club, lean_cycle, rng, ())
    if len(chosen) < count:
        cycle = await _cycle(session, guild_id, pool_key(filt), rng)
        taken = [q.id for q in chosen]
        chosen += await _walk(session, guild_id, base, count - len(chosen), club, cycle, rng, taken)
    if not chosen:
        return []
    extra = await server_aliases(
        session, guild_id, [q.id for q in chosen]
    )  # answers this server upheld (VAR)
    picked = [_view(q, extra.get(q.id, ())) for q in chosen]
    rng.shuffle(picked)
    return picked


async def mark_asked(
    session: AsyncSession, guild_id: int, question_ids: Sequence[str], now: dt.datetime
) -> None:
    """Record that a server was asked these questions now, in its current cycle generation."""
    if not question_ids:
        return
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    make = pg_insert if dialect == "postgresql" else sqlite_insert
    generation = _generation(guild_id)
    stmt = make(AskedQuestion).values(
        [
            {"guild_id": guild_id, "question_id": qid, "asked_at": now, "generation": generation}
            for qid in dict.fromkeys(question_ids)
        ]
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["guild_id", "question_id"],
            set_={"asked_at": stmt.excluded.asked_at, "generation": stmt.excluded.generation},
        )
    )


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
