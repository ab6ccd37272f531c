"""The question of the day's rules (order, points, daily streak) and its store on a real database."""

from __future__ import annotations

import asyncio
import datetime as dt
import random

from sqlalchemy import select

from bot.daily_question.rules import (
    CUSTOM_ID_RE,
    DailyStreak,
    Result,
    after_answer,
    custom_id,
    points_for,
    right_position,
    shown_options,
    shuffled_order,
    survives_close,
)
from bot.quiz.engine import QuestionView
from db.models import DailyPost, Question, ScoreEvent
from db.queries import daily_questions as dq
from db.queries.leaderboard import member_stats

D1, D2, D3, D4 = (dt.date(2025, 5, d) for d in (20, 21, 22, 23))
NOW = dt.datetime(2025, 5, 20, 8, 0, tzinfo=dt.UTC)


def test_custom_id_round_trips_and_fits() -> None:
    made = custom_id(2**63 - 1, 3)
    assert len(made) <= 100
    match = CUSTOM_ID_RE.fullmatch(made)
    assert match is not None and (int(match["post"]), int(match["choice"])) == (2**63 - 1, 3)
    assert CUSTOM_ID_RE.fullmatch("quiz:12:1") is None and CUSTOM_ID_RE.fullmatch("qotd:x:1") is None


def test_order_shows_every_option_once_and_finds_the_answer() -> None:
    for seed in range(20):
        order = shuffled_order(4, random.Random(seed))
        shown = shown_options("Atalanta", ("Roma", "Inter", "Milan"), order)
        assert sorted(shown) == sorted(["Atalanta", "Roma", "Inter", "Milan"])
        assert shown[right_position(order)] == "Atalanta"
    assert {tuple(shuffled_order(4, random.Random(s))) for s in range(20)} != {(0, 1, 2, 3)}


def test_points_are_a_button_rounds_full_base() -> None:
    assert (points_for("easy", True), points_for("medium", True), points_for("hard", True)) == (10, 20, 30)
    assert points_for("hard", False) == 0


def test_streak_grows_on_consecutive_questions_and_keeps_best() -> None:
    s = after_answer(DailyStreak(), D1, None, True, NOW)
    assert (s.current, s.best, s.last_day) == (1, 1, D1)
    s = after_answer(s, D2, D1, True, NOW)
    s = after_answer(s, D3, D2, True, NOW)
    assert (s.current, s.best, s.last_day) == (3, 3, D3)


def test_wrong_answer_breaks_the_streak_best_stays() -> None:
    s = DailyStreak(3, 5, D2, NOW)
    wrong = after_answer(s, D3, D2, False, NOW)
    assert (wrong.current, wrong.best) == (0, 5)
    again = after_answer(wrong, D4, D3, True, NOW)
    assert (again.current, again.best) == (1, 5)


def test_missed_question_breaks_the_streak() -> None:
    s = DailyStreak(2, 2, D1, NOW)
    assert not survives_close(s, D2)  # did not answer D2's question
    assert survives_close(DailyStreak(2, 2, D2, NOW), D2)
    after_gap = after_answer(s, D3, D2, True, NOW)  # D2's question was missed
    assert (after_gap.current, after_gap.best) == (1, 2)


def test_a_day_without_a_post_is_nobodys_miss() -> None:
    s = DailyStreak(2, 2, D1, NOW)
    kept = after_answer(s, D3, D1, True, NOW)  # the server posted nothing on D2
    assert kept.current == 3


# ----- the store, on a real database -------------------------------------------------------------------
G = 5


async def question(db, qid: str = "qotd-test:q1") -> QuestionView:
    async with db.sessions.begin() as s:
        s.add(
            Question(
                id=qid,
                bank="qotd-test",
                text="Who won the 2024 Europa League?",
                answer="Atalanta",
                aliases=[],
                choices=["Leverkusen", "Roma", "Marseille"],
                category="Clubs",
                difficulty="medium",
            )
        )
    return QuestionView(
        qid,
        "Who won the 2024 Europa League?",
        "Atalanta",
        (),
        ("Leverkusen", "Roma", "Marseille"),
        "Clubs",
        "medium",
    )


async def open_day(db, day: dt.date, q: QuestionView, order: list[int]) -> int:
    async with db.sessions.begin() as s:
        post = DailyPost(guild_id=G, local_date=day, channel_id=1, status="sent", nonce="n", claimed_at=NOW)
        s.add(post)
        await s.flush()
        await dq.open_question(s, post.id, G, day, q, order, NOW)
        return post.id


ORDER = [2, 0, 3, 1]  # the right answer is shown second
RIGHT, WRONG = 1, 0


async def test_press_scores_once_and_counts_in_stats(db) -> None:
    q = await question(db)
    post = await open_day(db, D1, q, ORDER)
    right = await dq.answer(db.sessions, post, G, 11, RIGHT, NOW)
    assert right.result is Result.RIGHT and right.points == 20
    assert right.streak is not None and (right.streak.current, right.streak.best) == (1, 1)
    again = await dq.answer(db.sessions, post, G, 11, WRONG, NOW)
    assert again.result is Result.ALREADY
    wrong = await dq.answer(db.sessions, post, G, 12, WRONG, NOW)
    assert wrong.result is Result.WRONG and wrong.points == 0
    async with db.sessions() as s:
        events = (await s.scalars(select(ScoreEvent).where(ScoreEvent.guild_id == G))).all()
        stats = await member_stats(s, G, 11)
    assert sorted((e.user_id, e.correct, e.points) for e in events) == [(11, True, 20), (12, False, 0)]
    assert (stats.points, stats.answers, stats.correct) == (20, 1, 1)


async def test_next_post_closes_the_question_and_breaks_missed_streaks(db) -> None:
    q = await question(db)
    day1 = await open_day(db, D1, q, ORDER)
    for fan in (21, 22, 23):
        await dq.answer(db.sessions, day1, G, fan, RIGHT, NOW)
    day2 = await open_day(db, D2, q, ORDER)
    closed = await dq.answer(db.sessions, day1, G, 24, RIGHT, NOW)
    assert closed.result is Result.CLOSED and closed.question is not None and closed.order == tuple(ORDER)
    await dq.answer(db.sessions, day2, G, 21, RIGHT, NOW)  # 2 in a row
    await dq.answer(db.sessions, day2, G, 22, WRONG, NOW)  # wrong: broken now
    # 23 misses day 2: broken when day 3's post closes it
    async with db.sessions() as s:
        assert (await dq.daily_streak(s, G, 23)).current == 1
    await open_day(db, D3, q, ORDER)
    async with db.sessions() as s:
        got = {fan: await dq.daily_streak(s, G, fan) for fan in (21, 22, 23)}
        board = await dq.streak_page(s, G)
        players = await dq.streak_players(s, G)
        mine = await dq.streak_rank(s, G, 21)
    assert {f: (st.current, st.best) for f, st in got.items()} == {21: (2, 2), 22: (0, 1), 23: (0, 1)}
    assert [(r.rank, r.user_id, r.current) for r in board] == [(1, 21, 2)] and players == 1
    assert mine is not None and mine.rank == 1


async def test_streak_board_ties_by_best_then_earliest(db) -> None:
    q = await question(db)
    post = await open_day(db, D1, q, ORDER)
    later = NOW + dt.timedelta(hours=1)
    for fan, when in ((31, later), (32, NOW), (33, later)):
        await dq.answer(db.sessions, post, G, fan, RIGHT, when)
    async with db.sessions.begin() as s:
        row = await s.get(dq.DailyStreakRow, (G, 33))
        row.best = 4  # a better past streak
    async with db.sessions() as s:
        board = await dq.streak_page(s, G)
        ranks = {fan: (await dq.streak_rank(s, G, fan)).rank for fan in (31, 32, 33)}  # type: ignore[union-attr]
    assert [r.user_id for r in board] == [33, 32, 31]
    assert ranks == {33: 1, 32: 2, 31: 3}


async def test_retried_post_keeps_its_question(db) -> None:
    q = await question(db)
    other = await question(db, "qotd-test:q2")
    post = await open_day(db, D1, q, ORDER)
    async with db.sessions.begin() as s:
        kept, order = await dq.open_question(s, post, G, D1, other, [0, 1, 2, 3], NOW)
    assert kept.id == q.id and order == ORDER


async def test_forged_or_foreign_press_is_refused(db) -> None:
    q = await question(db)
    post = await open_day(db, D1, q, ORDER)
    assert (await dq.answer(db.sessions, post, G + 1, 41, RIGHT, NOW)).result is Result.GONE
    assert (await dq.answer(db.sessions, post, G, 41, 9, NOW)).result is Result.GONE
    assert (await dq.answer(db.sessions, post + 100, G, 41, RIGHT, NOW)).result is Result.GONE


async def test_two_presses_at_once_score_once(db) -> None:
    q = await question(db)
    post = await open_day(db, D1, q, ORDER)
    got = await asyncio.gather(*(dq.answer(db.sessions, post, G, 51, RIGHT, NOW) for _ in range(4)))
    assert sorted(o.result.value for o in got) == ["already", "already", "already", "right"]
    async with db.sessions() as s:
        events = (await s.scalars(select(ScoreEvent).where(ScoreEvent.user_id == 51))).all()
        streak = await dq.daily_streak(s, G, 51)
    assert len(events) == 1 and (streak.current, streak.best) == (1, 1)
