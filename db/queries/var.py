"""VAR queries: refused typed answers, contested-answer claims, awards after the fact, server aliases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.quiz.engine import RefusedGuess
from bot.quiz.var import REFUSED_KEPT_FOR, ContestTarget, Problem, alias_problem, award_problem
from db.models import (
    Question,
    QuizRound,
    QuizSession,
    RefusedAnswer,
    ScoreEvent,
    ServerAlias,
    VarClaim,
)
from db.queries.guilds import guild_timezone
from db.queries.scores import EventDraft, Tally, add_to_totals, record_events


class VarRefused(Exception):
    """A contest or decision the rules refuse; `problem` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.name)
        self.problem = problem


async def record_refused(
    session: AsyncSession, round_id: int, refused: Sequence[RefusedGuess], now: dt.datetime
) -> None:
    """Keep a closed round's refused typed messages (one executemany), and drop those older than a day
    (an index range on `sent_at`): called in the transaction that writes the round's events."""
    await session.execute(delete(RefusedAnswer).where(RefusedAnswer.sent_at < now - REFUSED_KEPT_FOR))
    if not refused:
        return
    rows = [
        {
            "message_id": r.message_id,
            "round_id": round_id,
            "user_id": r.user_id,
            "text": r.text,
            "hints_shown": r.hints_shown,
            "sent_at": now,
        }
        for r in {r.message_id: r for r in refused}.values()
    ]
    await session.execute(insert(RefusedAnswer), rows)


@dataclass(frozen=True)
class Contested:
    """A refused message found for a contest, with its round and question."""

    target: ContestTarget
    message_id: int
    round_id: int
    session_id: int
    channel_id: int
    text: str
    hints_shown: int
    question_id: str
    difficulty: str


async def find_contested(session: AsyncSession, guild_id: int, message_id: int) -> Contested | None:
    """The refused message `message_id` in a quiz of `guild_id`, or None if it is no such message."""
    row = (
        await session.execute(
            select(RefusedAnswer, QuizRound, QuizSession, Question.difficulty)
            .join(QuizRound, QuizRound.id == RefusedAnswer.round_id)
            .join(QuizSession, QuizSession.id == QuizRound.session_id)
            .join(Question, Question.id == QuizRound.question_id)
            .where(RefusedAnswer.message_id == message_id, QuizSession.guild_id == guild_id)
        )
    ).first()
    if row is None:
        return None
    refused, rnd, quiz, difficulty = row
    claimed = await session.scalar(
        select(exists().where(VarClaim.round_id == rnd.id, VarClaim.user_id == refused.user_id))
    )
    target = ContestTarget(
        author_id=refused.user_id,
        round_closed=rnd.closed_at is not None,
        session_running=quiz.state == "running",
        session_ended_at=quiz.ended_at,
        already_claimed=bool(claimed),
    )
    return Contested(
        target,
        refused.message_id,
        rnd.id,
        quiz.id,
        quiz.channel_id,
        refused.text,
        refused.hints_shown,
        rnd.question_id,
        difficulty,
    )


async def open_claim(
    sessions: async_sessionmaker,
    guild_id: int,
    found: Contested,
    raised_by: int,
    points: int,
    now: dt.datetime,
) -> int:
    """Record the claim; its id. A second claim by the fan on the question is refused by the unique key."""
    try:
        async with sessions.begin() as s:
            claim = VarClaim(
                guild_id=guild_id,
                channel_id=found.channel_id,
                round_id=found.round_id,
                message_id=found.message_id,
                user_id=found.target.author_id,
                raised_by=raised_by,
                text=found.text,
                points=points,
                status="open",
                created_at=now,
            )
            s.add(claim)
            await s.flush()
            return claim.id
    except IntegrityError:
        raise VarRefused(Problem.ALREADY_CLAIMED) from None


async def set_claim_message(sessions: async_sessionmaker, claim_id: int, message_id: int) -> None:
    """Remember the message that shows the claim (its buttons find the claim by it)."""
    async with sessions.begin() as s:
        await s.execute(update(VarClaim).where(VarClaim.id == claim_id).values(claim_message_id=message_id))


@dataclass(frozen=True)
class ClaimView:
    """A claim with its question, for the claim message."""

    id: int
    guild_id: int
    user_id: int
    raised_by: int
    text: str
    points: int
    status: str
    decided_by: int | None
    alias_added: bool
    question_id: str
    question: str
    answer: str
    aliases: tuple[str, ...]
    choices: tuple[str, ...]
    question_it: str | None = None
    answer_it: str | None = None

    def shown(self, lang: str | None) -> tuple[str, str]:
        """(question, answer) as the quiz showed them in `lang` (Italian where the content has it)."""
        if lang == "it" and self.question_it:
            return self.question_it, self.answer_it or self.answer
        return self.question, self.answer


async def _claim_view(session: AsyncSession, where: object) -> ClaimView | None:
    row = (
        await session.execute(
            select(VarClaim, Question)
            .join(QuizRound, QuizRound.id == VarClaim.round_id)
            .join(Question, Question.id == QuizRound.question_id)
            .where(where)  # type: ignore[arg-type]
        )
    ).first()
    if row is None:
        return None
    claim, q = row
    extra = await session.scalars(
        select(ServerAlias.alias).where(
            ServerAlias.guild_id == claim.guild_id, ServerAlias.question_id == q.id
        )
    )
    answers = tuple(a for a in (q.answer_it,) if a)
    return ClaimView(
        claim.id,
        claim.guild_id,
        claim.user_id,
        claim.raised_by,
        claim.text,
        claim.points,
        claim.status,
        claim.decided_by,
        claim.alias_added,
        q.id,
        q.text,
        q.answer,
        (*q.aliases, *answers, *extra),
        (*q.choices, *(q.choices_it or ())),
        q.text_it,
        q.answer_it,
    )


async def claim_by_id(session: AsyncSession, claim_id: int) -> ClaimView | None:
    return await _claim_view(session, VarClaim.id == claim_id)


@dataclass(frozen=True)
class PendingClaim:
    """A claim whose buttons still do something (undecided, or upheld without its alias yet)."""

    id: int
    status: str
    alias_added: bool
    message_id: int | None


async def pending_claims(session: AsyncSession, limit: int = 1000) -> list[PendingClaim]:
    """The newest claims whose buttons must keep working after a restart."""
    rows = await session.execute(
        select(VarClaim.id, VarClaim.status, VarClaim.alias_added, VarClaim.claim_message_id)
        .where(
            (VarClaim.status == "open") | ((VarClaim.status == "upheld") & VarClaim.alias_added.is_(False))
        )
        .order_by(VarClaim.id.desc())
        .limit(limit)
    )
    return [PendingClaim(i, st, bool(a), m) for i, st, a, m in rows]


async def _decide(
    s: AsyncSession, claim_id: int, status: str, moderator_id: int, now: dt.datetime
) -> VarClaim:
    decided = await s.execute(
        update(VarClaim)
        .where(VarClaim.id == claim_id, VarClaim.status == "open")
        .values(status=status, decided_by=moderator_id, decided_at=now)
    )
    if decided.rowcount == 0:  # type: ignore[attr-defined]
        raise VarRefused(Problem.ALREADY_DECIDED)
    claim = await s.get(VarClaim, claim_id)
    assert claim is not None
    return claim


async def reject_claim(
    sessions: async_sessionmaker, claim_id: int, moderator_id: int, now: dt.datetime
) -> None:
    """Reject an open claim (once)."""
    async with sessions.begin() as s:
        await _decide(s, claim_id, "rejected", moderator_id, now)


async def uphold_claim(
    sessions: async_sessionmaker,
    claim_id: int,
    moderator_id: int,
    now: dt.datetime,
    season_start_month: int = 7,
) -> int:
    """Uphold an open claim and award its points after the fact, in one transaction: the fan's refused
    event on the question becomes a right one (or a new event is written if the round kept none), marked
    with who decided; the rollups get the difference. One award per round (a partial unique index).
    Answer streaks are left as they were. Returns the points awarded."""
    try:
        async with sessions.begin() as s:
            claim = await _decide(s, claim_id, "upheld", moderator_id, now)
            rnd = await s.get(QuizRound, claim.round_id)
            assert rnd is not None
            awarded = await s.scalar(
                select(exists().where(ScoreEvent.round_id == rnd.id, ScoreEvent.decided_by.is_not(None)))
            )
            event = await s.scalar(
                select(ScoreEvent).where(ScoreEvent.round_id == rnd.id, ScoreEvent.user_id == claim.user_id)
            )
            problem = award_problem(
                bool(awarded),
                event.correct if event else None,
                bool(event and event.archive_id != 0),
            )
            if problem is not None:
                raise VarRefused(problem)
            if event is None:
                await _new_award(s, claim, rnd, moderator_id, now, season_start_month)
            else:
                await _upgrade_event(s, event, claim.points, moderator_id, season_start_month)
            return claim.points
    except IntegrityError:  # another process awarded this round a moment ago
        raise VarRefused(Problem.ALREADY_AWARDED) from None


async def _upgrade_event(
    s: AsyncSession, event: ScoreEvent, points: int, moderator_id: int, season_start_month: int
) -> None:
    gain = points - event.points
    await s.execute(
        update(ScoreEvent)
        .where(ScoreEvent.id == event.id)
        .values(correct=True, points=points, decided_by=moderator_id)
    )
    tally = Tally(event.guild_id, event.user_id, event.team_id, event.category, event.local_day, gain, 0, 1)
    await add_to_totals(s, [tally], season_start_month)  # a teams quiz: the fan's team gets it too


async def _new_award(
    s: AsyncSession,
    claim: VarClaim,
    rnd: QuizRound,
    moderator_id: int,
    now: dt.datetime,
    season_start_month: int,
) -> None:
    question = await s.get(Question, rnd.question_id)
    category = question.category if question else "?"
    tz = await guild_timezone(s, claim.guild_id)
    draft = EventDraft(
        claim.guild_id,
        claim.user_id,
        rnd.question_id,
        category,
        True,
        claim.points,
        None,
        rnd.closed_at or now,
        rnd.session_id,
        rnd.id,
        decided_by=moderator_id,
    )
    await record_events(s, [draft], tz, season_start_month, streaks=False)


async def add_server_alias(
    sessions: async_sessionmaker, claim_id: int, moderator_id: int, now: dt.datetime
) -> str:
    """Add an upheld claim's answer as an alias of its question in the claim's server; the alias."""
    async with sessions.begin() as s:
        view = await claim_by_id(s, claim_id)
        if view is None:
            raise VarRefused(Problem.NOT_UPHELD)
        problem = alias_problem(
            view.status, view.alias_added, view.text, view.answer, view.aliases, view.choices
        )
        if problem is not None:
            raise VarRefused(problem)
        alias = view.text.strip()
        dialect = s.bind.dialect.name if s.bind else "sqlite"
        make = pg_insert if dialect == "postgresql" else sqlite_insert
        await s.execute(
            make(ServerAlias)
            .values(
                guild_id=view.guild_id,
                question_id=view.question_id,
                alias=alias,
                added_by=moderator_id,
                added_at=now,
            )
            .on_conflict_do_nothing(index_elements=["guild_id", "question_id", "alias"])
        )
        marked = await s.execute(
            update(VarClaim)
            .where(VarClaim.id == claim_id, VarClaim.alias_added.is_(False))
            .values(alias_added=True)
        )
        if marked.rowcount == 0:  # type: ignore[attr-defined]
            raise VarRefused(Problem.ALIAS_ADDED)
        return alias


async def server_aliases(
    session: AsyncSession, guild_id: int, question_ids: Sequence[str]
) -> dict[str, list[str]]:
    """The aliases a server added (VAR) for these questions."""
    if not question_ids:
        return {}
    rows = await session.execute(
        select(ServerAlias.question_id, ServerAlias.alias).where(
            ServerAlias.guild_id == guild_id, ServerAlias.question_id.in_(list(question_ids))
        )
    )
    found: dict[str, list[str]] = {}
    for qid, alias in rows:
        found.setdefault(qid, []).append(alias)
    return found
