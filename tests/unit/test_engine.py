"""Scoring rule and round state: one winner, no lost or doubled clicks."""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.quiz.engine import QuestionView, QuizGame, Round, Verdict
from bot.quiz.scoring import base_points, button_points, typed_points

Q = QuestionView(
    "b:q1",
    "Who scored the hat-trick in Dublin?",
    "Ademola Lookman",
    ("Lookman",),
    ("Gianluca Scamacca", "Duvan Zapata", "Mario Pašalić"),
    "Europa League 2024",
    "medium",
)


@pytest.mark.parametrize(
    ("difficulty", "points"), [("easy", 10), ("medium", 20), ("hard", 30), ("weird", 20)]
)
def test_base_points(difficulty: str, points: int) -> None:
    assert base_points(difficulty) == points
    assert typed_points(difficulty) == points


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [(0.0, 20), (5.0, 18), (10.0, 15), (19.9, 10), (20.0, 10), (99.0, 10), (-1.0, 20)],
)
def test_button_points_fall_with_time(elapsed: float, expected: int) -> None:
    assert button_points("medium", elapsed, 20) == expected


def test_button_points_monotonic() -> None:
    values = [button_points("hard", t / 10, 20) for t in range(0, 201)]
    assert values == sorted(values, reverse=True)
    assert values[0] == 30 and values[-1] == 15


def test_typed_round_first_correct_wins_once() -> None:
    rnd = Round(0, Q, "typed", 20)
    assert rnd.guess(1, "scamacca", 1.0) is Verdict.WRONG
    assert rnd.guess(2, "LOOKMAN!", 2.0) is Verdict.WIN
    assert rnd.guess(3, "lookman", 2.0) is Verdict.CLOSED
    assert rnd.winner == 2 and rnd.closed and rnd.end_reason == "answered"
    drafts = {d.user_id: d for d in rnd.outcome()}
    assert drafts[2].points == 20 and drafts[2].correct and drafts[2].response_ms == 2000
    assert drafts[1].points == 0 and not drafts[1].correct
    assert 3 not in drafts


def test_wrong_then_right_still_wins() -> None:
    rnd = Round(0, Q, "typed", 20)
    rnd.guess(1, "zapata", 1.0)
    assert rnd.guess(1, "lookman", 3.0) is Verdict.WIN
    assert [d.points for d in rnd.outcome()] == [20]


async def test_simultaneous_answers_have_one_winner() -> None:
    rnd = Round(0, Q, "typed", 20)

    async def fan(uid: int) -> Verdict:
        await asyncio.sleep(0)
        return rnd.guess(uid, "Lookman", 1.0)

    verdicts = await asyncio.gather(*(fan(i) for i in range(500)))
    assert verdicts.count(Verdict.WIN) == 1
    assert sum(1 for d in rnd.outcome() if d.points) == 1


async def test_buttons_count_every_click_once() -> None:
    rnd = Round(0, Q, "buttons", 20, random.Random(1))
    assert sorted(rnd.options) == sorted([Q.answer, *Q.choices])
    assert rnd.options[rnd.correct_index] == Q.answer

    async def click(uid: int, index: int) -> Verdict:
        await asyncio.sleep(0)
        return rnd.choose(uid, index, uid / 100)

    first = await asyncio.gather(*(click(uid, uid % 4) for uid in range(400)))
    second = await asyncio.gather(*(click(uid, 0) for uid in range(400)))
    assert first.count(Verdict.ACCEPTED) == 400
    assert second.count(Verdict.ALREADY) == 400
    drafts = rnd.outcome()
    assert len(drafts) == 400
    assert sum(d.correct for d in drafts) == 100
    rnd.close("timeout")
    assert rnd.choose(999, 0, 1.0) is Verdict.CLOSED


def test_game_standings_and_stop() -> None:
    game = QuizGame(1, 10, 20, 30, "typed", 20, [Q, Q])
    rnd = game.start_round(0)
    rnd.guess(5, "lookman", 1.0)
    game.add(rnd.outcome())
    game.start_round(1)
    game.stop()
    assert game.round is not None and game.round.closed and game.round.end_reason == "stopped"
    assert game.standings() == [(5, 20)]


DUBLIN = QuestionView(
    "b:q3",
    "In which city did Atalanta win the 2024 Europa League final?",
    "Dublin",
    (),
    ("Lisbon", "Budapest", "Rome"),
    "Europa League 2024",
    "easy",
    text_it="In quale città l'Atalanta ha vinto la finale di Europa League 2024?",
    answer_it="Dublino",
    choices_it=("Lisbona", "Budapest", "Roma"),
)


def test_question_in_italian_shows_italian_and_accepts_both_languages() -> None:
    assert DUBLIN.in_lang("en") is DUBLIN
    it = DUBLIN.in_lang("it")
    assert it.text.startswith("In quale città") and it.answer == "Dublino"
    assert it.choices == ("Lisbona", "Budapest", "Roma") and it.id == DUBLIN.id
    rnd = Round(0, it, "typed", 20)
    assert sorted(rnd.options) == ["Budapest", "Dublino", "Lisbona", "Roma"]
    assert rnd.options[rnd.correct_index] == "Dublino"
    assert rnd.key.matches("Dublino") and rnd.key.matches("dublin") and rnd.key.matches("Dubllino")
    assert not rnd.key.matches("Lisbon") and not rnd.key.matches("Lisbona")


def test_question_without_italian_stays_english() -> None:
    assert Q.in_lang("it") is Q
    half = QuestionView("b:q", "Q?", "A", (), ("B", "C", "D"), "c", "easy", text_it="D?", choices_it=("B",))
    shown = half.in_lang("it")
    assert shown.text == "D?" and shown.answer == "A" and shown.choices == ("B", "C", "D")


def test_italian_who_questions_accept_surnames() -> None:
    q = QuestionView(
        "b:q1",
        Q.text,
        Q.answer,
        Q.aliases,
        Q.choices,
        Q.category,
        Q.difficulty,
        text_it="Chi ha segnato la tripletta a Dublino?",
    )
    rnd = Round(0, q.in_lang("it"), "typed", 20)
    assert rnd.key.matches("Lookman") and rnd.key.matches("ademola lookman")
