"""`calcio-quiz play`: a quiz in the terminal with the same banks, matcher and scoring as the bot."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from bot.clock import SystemClock
from bot.content.generate import content_digest
from bot.content.loader import cached_content
from bot.i18n import SOURCE_LANG, category_name, difficulty_name, number, translate
from bot.quiz.announce import hint_text
from bot.quiz.engine import QuestionView, QuizGame, Round, ScoreDraft, Verdict
from bot.quiz.hints import Hint
from bot.quiz.runner import QuizRunner
from bot.tasks import cancel_and_wait


def bank_questions(content_dir: Path, category: str | None = None) -> list[QuestionView]:
    """Every question in the content folder, optionally of one category."""
    content = cached_content(content_dir.resolve(), content_digest(content_dir))
    out = [
        QuestionView(
            f"{b.bank}:{q.id}",
            q.question,
            q.answer,
            tuple(q.aliases),
            tuple(q.choices),
            q.category,
            q.difficulty,
            q.source,
            text_it=q.question_it,
            answer_it=q.answer_it,
            choices_it=tuple(q.choices_it),
        )
        for b in content.banks
        for q in b.questions
        if not category or q.category.casefold() == category.casefold()
    ]
    return out


def choose(questions: Sequence[QuestionView], count: int, seed: int | None) -> list[QuestionView]:
    """`count` distinct questions in a (seeded) random order."""
    picked = list(questions)
    random.Random(seed).shuffle(picked)
    return picked[:count]


class LineReader:
    """Reads stdin lines on one background thread, so a question can time out without losing input."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def pump() -> None:
            for line in sys.stdin:
                loop.call_soon_threadsafe(self.queue.put_nowait, line.rstrip("\n"))
            loop.call_soon_threadsafe(self.queue.put_nowait, None)

        threading.Thread(target=pump, daemon=True).start()

    async def read(self) -> str | None:
        """The next line, None at end of input."""
        return await self.queue.get()


PLAYER = 0  # the one player at the terminal


@dataclass
class MemoryStore:
    """The runner's Store for a terminal game: nothing outlives the process."""

    rounds: list[list[ScoreDraft]] = field(default_factory=list)
    state: str = "running"

    async def open_round(self, game: QuizGame, rnd: Round, now: dt.datetime) -> int:
        self.rounds.append([])
        return len(self.rounds)

    async def set_message(self, round_id: int, message_id: int) -> None:
        return None

    async def close_round(
        self, game: QuizGame, rnd: Round, drafts: list[ScoreDraft], now: dt.datetime
    ) -> None:
        assert rnd.round_id is not None
        self.rounds[rnd.round_id - 1] = drafts

    async def finish(self, game: QuizGame, state: str, now: dt.datetime) -> None:
        self.state = state


class TerminalPresenter:
    """The runner's Presenter for the terminal, in `lang`; `asking` is set while a question takes answers."""

    def __init__(self, console: Console, lang: str = SOURCE_LANG) -> None:
        self.console = console
        self.lang = lang
        self.asking = asyncio.Event()

    def say(self, style: str, text: str) -> None:
        """Print `text` (already in the player's language) in a rich `style`."""
        self.console.print(f"[{style}]{text}[/{style}]")

    async def ask(self, game: QuizGame, rnd: Round) -> int | None:
        question, lang = rnd.question, self.lang
        heading = translate(lang, "Question {position}/{total}", position=rnd.position + 1, total=game.total)
        category = category_name(lang, question.category)
        self.console.rule(f"{heading} · {category} · {difficulty_name(lang, question.difficulty)}")
        self.console.print(f"[bold]{question.text}[/bold]")
        if rnd.mode == "buttons":
            for i, option in enumerate(rnd.options, 1):
                self.console.print(f"  [cyan]{i}[/cyan]. {option}")
            self.say(
                "dim",
                translate(
                    self.lang,
                    "Type 1-{count} within {seconds} s.",
                    count=len(rnd.options),
                    seconds=game.seconds,
                ),
            )
        else:
            self.say(
                "dim", translate(self.lang, "Type your answer within {seconds} s.", seconds=game.seconds)
            )
        self.asking.set()
        return None

    async def hint(self, game: QuizGame, rnd: Round, hint: Hint) -> None:
        self.say("yellow", hint_text(self.lang, hint, rnd.hints_shown).replace("`", ""))

    async def reveal(self, game: QuizGame, rnd: Round, drafts: list[ScoreDraft]) -> None:
        self.asking.clear()
        points = sum(d.points for d in drafts)
        if points:
            correct = translate(self.lang, "Correct! +{points}", points=points)
            answer = translate(self.lang, "(answer: {answer})", answer=rnd.question.answer)
            self.console.print(f"[green]{correct}[/green] {answer}")
        else:
            self.say("red", translate(self.lang, "The answer was {answer}.", answer=rnd.question.answer))

    async def finish(self, game: QuizGame, reason: str) -> None:
        self.console.rule()
        self.say(
            "bold",
            translate(self.lang, "Final score: {total}", total=number(game.totals.get(PLAYER, 0), self.lang)),
        )


async def answer_lines(runner: QuizRunner, presenter: TerminalPresenter, reader: LineReader) -> None:
    """Feed typed lines to the open question; the end of input stops the game."""
    game = runner.game
    while (line := await reader.read()) is not None:
        while True:  # a line typed between questions is kept for the next one
            await presenter.asking.wait()
            rnd = game.round
            if rnd is not None and not rnd.closed:
                break
            await asyncio.sleep(0.01)  # closed, not yet revealed
        if rnd.mode == "buttons":
            choice = line.strip()
            if choice.isdigit() and 1 <= int(choice) <= len(rnd.options):
                rnd.choose(PLAYER, int(choice) - 1, runner.elapsed())
                rnd.close("answered")  # one player: no need to wait for the others
            else:
                presenter.say(
                    "yellow",
                    translate(presenter.lang, "Type a number from 1 to {count}.", count=len(rnd.options)),
                )
        elif rnd.guess(PLAYER, line, runner.elapsed()) is Verdict.WRONG:
            presenter.say("red", translate(presenter.lang, "Not quite, try again."))
    game.stop()


async def play(
    questions: list[QuestionView],
    *,
    mode: str,
    seconds: int,
    console: Console,
    reader: LineReader,
    lang: str = SOURCE_LANG,
) -> int:
    """Ask each question (in `lang`) through the quiz runner; return the total score."""
    game = QuizGame(0, 0, 0, PLAYER, mode, seconds, [q.in_lang(lang) for q in questions])
    presenter = TerminalPresenter(console, lang)
    runner = QuizRunner(game, presenter, MemoryStore(), SystemClock(), pause=0, rng=random.Random(0))
    answers = asyncio.create_task(answer_lines(runner, presenter, reader))
    try:
        await runner.run()
    finally:
        await cancel_and_wait([answers])
    return game.totals.get(PLAYER, 0)


async def run_play(
    content_dir: Path,
    *,
    count: int,
    category: str | None,
    mode: str,
    seconds: int,
    seed: int | None,
    lang: str = SOURCE_LANG,
) -> int:
    console = Console(highlight=False)
    pool = bank_questions(content_dir, category)
    if not pool:
        console.print(translate(lang, "No questions in category {category}.", category=repr(category)))
        return 1
    await play(
        choose(pool, count, seed), mode=mode, seconds=seconds, console=console, reader=LineReader(), lang=lang
    )
    return 0
