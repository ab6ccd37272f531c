"""VAR rules (bot.quiz.var), the round's memory of refused answers, and the award in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from bot.quiz.engine import REFUSED_KEPT, REFUSED_TEXT_MAX, QuestionView, QuizGame, Round, Verdict
from bot.quiz.teams import TeamPlay
from bot.quiz.var import (
    CONTEST_WINDOW,
    ContestTarget,
    Problem,
    alias_problem,
    award_points,
    award_problem,
    contest_problem,
    decision_problem,
    window_open,
)
from db.models import DailyScore, PeriodScore, Question, RefusedAnswer, ScoreEvent, TeamScore
from db.queries.quiz import QuizStore, open_session
from db.queries.var import VarRefused, find_contested, open_claim, uphold_claim

NOW = dt.datetime(2025, 5, 22, 10, 0, tzinfo=dt.UTC)
Q = QuestionView(
    "q1", "Who?", "Gianluigi Buffon", ("Buffon",), ("Dino Zoff", "Walter Zenga", "X"), "C", "hard"
)


def target(**kw) -> ContestTarget:
    base = dict(
        author_id=1, round_closed=True, session_running=False, session_ended_at=NOW, already_claimed=False
    )
    return ContestTarget(**(base | kw))


def test_the_window_is_the_quiz_and_ten_minutes_after() -> None:
    assert window_open(True, None, NOW + dt.timedelta(days=3))
    assert window_open(False, NOW, NOW + CONTEST_WINDOW)
    assert not window_open(False, NOW, NOW + CONTEST_WINDOW + dt.timedelta(seconds=1))
    assert window_open(False, NOW.replace(tzinfo=None), NOW + dt.timedelta(minutes=9))  # SQLite: naive UTC
    assert not window_open(False, None, NOW)


def test_who_may_contest_and_when() -> None:
    assert contest_problem(None, 1, False, NOW) is Problem.NOT_AN_ANSWER
    assert contest_problem(target(), 1, False, NOW) is None
    assert contest_problem(target(), 2, False, NOW) is Problem.NOT_YOURS
    assert contest_problem(target(), 2, True, NOW) is None  # a moderator raises it for the fan
    late = NOW + dt.timedelta(minutes=11)
    assert contest_problem(target(), 1, False, late) is Problem.TOO_LATE
    assert contest_problem(target(), 1, True, late) is Problem.TOO_LATE
    assert contest_problem(target(session_running=True, session_ended_at=None), 1, False, late) is None
    assert (
        contest_problem(target(round_closed=False, session_running=True), 1, False, NOW) is Problem.STILL_OPEN
    )
    assert contest_problem(target(already_claimed=True), 1, False, NOW) is Problem.ALREADY_CLAIMED


def test_points_and_the_one_award_rule() -> None:
    assert award_points("hard", 0) == 30 and award_points("hard", 1) == 22 and award_points("easy", 2) == 5
    assert decision_problem("open") is None
    assert decision_problem("upheld") is decision_problem("rejected") is Problem.ALREADY_DECIDED
    assert award_problem(False, False, False) is None and award_problem(False, None, False) is None
    assert award_problem(True, False, False) is Problem.ALREADY_AWARDED
    assert award_problem(False, True, False) is Problem.ALREADY_SCORED
    assert award_problem(False, False, True) is Problem.ARCHIVED


def test_alias_rules() -> None:
    args = (Q.answer, Q.aliases, Q.choices)
    assert alias_problem("upheld", False, "Gigi", *args) is None
    assert alias_problem("open", False, "Gigi", *args) is Problem.NOT_UPHELD
    assert alias_problem("upheld", True, "Gigi", *args) is Problem.ALIAS_ADDED
    assert alias_problem("upheld", False, "buffon!", *args) is Problem.ALIAS_ADDED
    assert alias_problem("upheld", False, "dino zoff", *args) is Problem.ALIAS_IS_A_CHOICE
    assert alias_problem("upheld", False, "?!", *args) is Problem.ALIAS_EMPTY


def test_a_round_remembers_refused_messages_capped() -> None:
    rnd = Round(0, Q, "typed", 20.0)
    assert rnd.guess(1, "Zoff", 1.0, message_id=10) is Verdict.WRONG
    assert rnd.guess(2, "x" * 500, 1.0, message_id=11) is Verdict.WRONG
    assert rnd.guess(3, "no id", 1.0) is Verdict.WRONG  # the terminal: nothing to contest
    rnd.hints_shown = 1
    assert rnd.guess(1, "Zenga", 2.0, message_id=12) is Verdict.WRONG
    assert [(r.message_id, r.user_id, r.hints_shown) for r in rnd.refused] == [
        (10, 1, 0),
        (11, 2, 0),
        (12, 1, 1),
    ]
    assert len(rnd.refused[1].text) == REFUSED_TEXT_MAX
    assert rnd.guess(4, "Buffon", 3.0, message_id=13) is Verdict.WIN
    assert 13 not in {r.message_id for r in rnd.refused}  # a right answer is never contestable
    many = Round(0, Q, "typed", 20.0)
    for i in range(REFUSED_KEPT + 50):
        many.guess(i, "nope", 1.0, message_id=1000 + i)
    assert len(many.refused) == REFUSED_KEPT


async def test_uphold_turns_the_refused_event_right_once_and_fixes_the_rollups(db) -> None:
    questions = [QuestionView(Q.id, Q.text, Q.answer, Q.aliases, Q.choices, Q.category, Q.difficulty)]
    async with db.sessions.begin() as s:  # a question the round can point at
        s.add(
            Question(
                id="q1",
                bank="t",
                guild_id=5,
                text="Who?",
                answer="Gianluigi Buffon",
                aliases=[],
                choices=[],
                category="C",
                difficulty="hard",
            )
        )
    sid = await open_session(
        db.sessions,
        guild_id=5,
        channel_id=6,
        starter_id=1,
        mode="typed",
        category=None,
        difficulty=None,
        seconds=20,
        questions=questions,
        now=NOW,
    )
    game = QuizGame(sid, 5, 6, 1, "typed", 20, questions, teams=TeamPlay((900,)))
    game.teams.place(1, [900])  # a teams quiz: fan 1 plays for team 900
    store = QuizStore(db.sessions)
    rnd = game.start_round(0)
    rnd.round_id = await store.open_round(game, rnd, NOW)
    rnd.guess(1, "Gigi", 1.0, message_id=100)
    rnd.guess(2, "Zoff", 1.0, message_id=101)
    rnd.close("timeout")
    await store.close_round(game, rnd, game.outcome(rnd), NOW)
    await store.finish(game, "finished", NOW)
    async with db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(RefusedAnswer)) == 2
        found = await find_contested(s, 5, 100)
        assert await find_contested(s, 999, 100) is None  # another server's message
    assert found is not None and contest_problem(found.target, 1, False, NOW) is None
    claim = await open_claim(db.sessions, 5, found, 1, award_points(found.difficulty, 0), NOW)
    with pytest.raises(VarRefused) as refused:
        await open_claim(db.sessions, 5, found, 1, 30, NOW)
    assert refused.value.problem is Problem.ALREADY_CLAIMED
    assert await uphold_claim(db.sessions, claim, 77, NOW) == 30
    async with db.sessions() as s:
        event = await s.scalar(select(ScoreEvent).where(ScoreEvent.user_id == 1))
        daily = await s.scalar(select(DailyScore).where(DailyScore.user_id == 1))
        total = await s.scalar(
            select(PeriodScore).where(PeriodScore.user_id == 1, PeriodScore.period_key == "all")
        )
        team = await s.scalar(
            select(TeamScore).where(TeamScore.team_id == 900, TeamScore.period_key == "all")
        )
        other = await find_contested(s, 5, 101)
    assert event.points == 30 and event.correct and event.decided_by == 77
    assert (daily.points, daily.answers, daily.correct) == (30, 1, 1)
    assert (total.points, total.answers, total.correct) == (30, 1, 1)
    assert (team.points, team.answers, team.correct) == (30, 1, 1)  # the fan's team gets the award too
    second = await open_claim(db.sessions, 5, other, 2, 30, NOW)
    with pytest.raises(VarRefused) as again:
        await uphold_claim(db.sessions, second, 77, NOW)
    assert again.value.problem is Problem.ALREADY_AWARDED
    async with db.sessions() as s:  # the refused uphold left the claim open and awarded nothing
        assert await s.scalar(select(func.sum(ScoreEvent.points))) == 30
