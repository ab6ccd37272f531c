"""How a quiz ends (first to N, three silent questions, all asked) and hints on the clock, run by the
real QuizRunner with a recording presenter and the terminal's memory store."""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.clock import SystemClock
from bot.quiz.engine import Ending, QuestionView, QuizGame, Round, ScoreDraft
from bot.quiz.hints import Hint
from bot.quiz.runner import QuizRunner
from bot.terminal import MemoryStore


def question(n: int, answer: str = "Ademola Lookman", difficulty: str = "medium") -> QuestionView:
    return QuestionView(f"q{n}", f"Question number {n}?", answer, (), ("Duvan Zapata",), "Cat", difficulty)


class Recorder:
    """A presenter that answers through `plan` when a question is asked and records what it is shown."""

    def __init__(self, plan: dict[int, tuple[int, str] | None], *, after_hints: int = 0) -> None:
        self.plan = plan  # position -> (user id, typed text), None for silence
        self.after_hints = after_hints  # answer only once this many hints were shown
        self.hints: list[tuple[int, int, str]] = []
        self.reveals: list[tuple[int, list[ScoreDraft]]] = []
        self.ending: str | None = None

    async def ask(self, game: QuizGame, rnd: Round) -> int | None:
        if self.after_hints == 0:
            self._answer(rnd)
        return None

    def _answer(self, rnd: Round) -> None:
        move = self.plan.get(rnd.position)
        if move is not None:
            rnd.guess(move[0], move[1], 1.0)

    async def hint(self, game: QuizGame, rnd: Round, hint: Hint) -> None:
        self.hints.append((rnd.position, rnd.hints_shown, hint.pattern))
        if rnd.hints_shown == self.after_hints:
            self._answer(rnd)

    async def reveal(self, game: QuizGame, rnd: Round, drafts: list[ScoreDraft]) -> None:
        self.reveals.append((rnd.position, drafts))

    async def finish(self, game: QuizGame, reason: str) -> None:
        self.ending = reason


async def play(game: QuizGame, presenter: Recorder) -> MemoryStore:
    store = MemoryStore()
    runner = QuizRunner(
        game, presenter, store, SystemClock(), time_scale=0.005, pause=0.0, rng=random.Random(1)
    )
    await asyncio.wait_for(runner.run(), 10)
    return store


def game(count: int, **options: object) -> QuizGame:
    return QuizGame(1, 1, 1, 1, "typed", 20, [question(n) for n in range(count)], **options)  # type: ignore[arg-type]


async def test_first_to_n_ends_when_someone_reaches_it() -> None:
    g = game(10, first_to=40)
    presenter = Recorder(
        {
            0: (7, "ademola lookman"),
            1: (8, "ademola lookman"),
            2: (7, "ademola lookman"),
            3: (8, "ademola lookman"),
        }
    )
    store = await play(g, presenter)
    assert presenter.ending == Ending.TARGET.value
    assert len(presenter.reveals) == 3  # 7 reached 40 points on the third question
    assert g.standings() == [(7, 40), (8, 20)] and g.leader() == 7
    assert store.state == "finished"


async def test_three_silent_questions_end_the_quiz() -> None:
    g = game(10)
    presenter = Recorder({0: (7, "ademola lookman"), 1: None, 2: (8, "wrong"), 3: None, 4: None, 5: None})
    store = await play(g, presenter)
    # a wrong answer still counts as an answer: silence is questions 4, 5 and 6
    assert presenter.ending == Ending.SILENT.value
    assert [p for p, _ in presenter.reveals] == [0, 1, 2, 3, 4, 5]
    assert g.standings() == [(7, 20), (8, 0)]
    assert store.state == "finished"


async def test_all_questions_asked_is_a_plain_finish_and_silence_must_be_in_a_row() -> None:
    g = game(5)
    presenter = Recorder({0: None, 1: None, 2: (7, "x"), 3: None, 4: None})
    await play(g, presenter)
    assert presenter.ending == Ending.FINISHED.value and len(presenter.reveals) == 5


async def test_a_stopped_game_says_stopped() -> None:
    g = game(3)
    presenter = Recorder({})
    g.stop()
    store = await play(g, presenter)
    assert presenter.ending == Ending.STOPPED.value and store.state == "stopped"


async def test_hints_come_at_thirds_and_lower_the_points() -> None:
    for after, points in ((1, 15), (2, 10)):
        g = game(1)
        presenter = Recorder({0: (7, "ademola lookman")}, after_hints=after)
        await play(g, presenter)
        assert [h[1] for h in presenter.hints] == list(range(1, after + 1))
        assert presenter.hints[0][2] == "A______ L______"
        assert g.totals == {7: points}


async def test_no_hints_when_switched_off_or_answered_in_time() -> None:
    g = game(2, hints=False)
    presenter = Recorder({0: None, 1: (7, "ademola lookman")})
    await play(g, presenter)
    assert presenter.hints == [] and g.totals == {7: 20}
    g = game(1)
    presenter = Recorder({0: (7, "ademola lookman")})
    await play(g, presenter)
    assert presenter.hints == [] and g.totals == {7: 20}


async def test_unanswered_question_shows_both_hints_then_times_out() -> None:
    g = game(1)
    presenter = Recorder({})
    await play(g, presenter)
    assert [(p, n) for p, n, _ in presenter.hints] == [(0, 1), (0, 2)]
    assert presenter.reveals[0][1] == []


def test_buttons_rounds_have_no_hints() -> None:
    rnd = Round(0, question(0), "buttons", 20)
    assert rnd.next_hint() is None


class FailingStore(MemoryStore):
    """Fails to write the second round's results."""

    async def close_round(self, game: QuizGame, rnd: Round, drafts: list[ScoreDraft], now) -> None:  # type: ignore[no-untyped-def]
        if rnd.position == 1:
            raise RuntimeError("disk full")
        await super().close_round(game, rnd, drafts, now)


async def test_a_failed_game_still_shows_the_standings_so_far() -> None:
    g = game(5)
    presenter = Recorder({0: (7, "ademola lookman"), 1: (8, "ademola lookman")})
    store = FailingStore()
    runner = QuizRunner(g, presenter, store, SystemClock(), time_scale=0.005, pause=0.0)
    with pytest.raises(RuntimeError, match="disk full"):
        await asyncio.wait_for(runner.run(), 10)
    assert store.state == "failed" and presenter.ending == Ending.FAILED.value
    assert g.standings() == [(7, 20)]  # what was written stays; the failed round scored nothing
