"""`calcio-quiz play`: a quiz in the terminal with the same banks, matcher and scoring as the bot."""

from __future__ import annotations

import asyncio
import random
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from bot.content.loader import load_content
from bot.i18n import SOURCE_LANG, category_name, difficulty_name, number, translate
from bot.quiz.engine import QuestionView, Round, Verdict


def bank_questions(content_dir: Path, category: str | None = None) -> list[QuestionView]:
    """Every question in the content folder, optionally of one category."""
    content = load_content(content_dir)
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

    async def read(self, timeout: float) -> str | None:
        """A line, '' on timeout, None at end of input."""
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return ""


async def play(
    questions: list[QuestionView],
    *,
    mode: str,
    seconds: int,
    console: Console,
    reader: LineReader,
    lang: str = SOURCE_LANG,
) -> int:
    """Ask each question in `lang`; return the total score."""
    total = 0
    for position, original in enumerate(questions):
        question = original.in_lang(lang)
        rnd = Round(position, question, mode, float(seconds), random.Random(position))
        heading = translate(lang, "Question {position}/{total}", position=position + 1, total=len(questions))
        category = category_name(lang, question.category)
        console.rule(f"{heading} · {category} · {difficulty_name(lang, question.difficulty)}")
        console.print(f"[bold]{question.text}[/bold]")
        if mode == "buttons":
            for i, option in enumerate(rnd.options, 1):
                console.print(f"  [cyan]{i}[/cyan]. {option}")
            console.print(
                "[dim]" + translate(lang, "Type 1-4 within {seconds} s.", seconds=seconds) + "[/dim]"
            )
        else:
            console.print(
                "[dim]" + translate(lang, "Type your answer within {seconds} s.", seconds=seconds) + "[/dim]"
            )
        started = time.monotonic()
        ended = False
        while not rnd.closed:
            left = seconds - (time.monotonic() - started)
            line = await reader.read(max(left, 0)) if left > 0 else ""
            if line is None:
                ended = True
                break
            if line == "":
                break
            elapsed = time.monotonic() - started
            if mode == "buttons":
                if line.strip() in {"1", "2", "3", "4"}:
                    rnd.choose(0, int(line) - 1, elapsed)
                    break
                console.print("[yellow]" + translate(lang, "Type a number from 1 to 4.") + "[/yellow]")
            elif rnd.guess(0, line, elapsed) is Verdict.WRONG:
                console.print("[red]" + translate(lang, "Not quite, try again.") + "[/red]")
        rnd.close("timeout")
        points = sum(d.points for d in rnd.outcome())
        total += points
        if points:
            console.print(
                "[green]"
                + translate(lang, "Correct! +{points}", points=points)
                + "[/green] "
                + translate(lang, "(answer: {answer})", answer=question.answer)
            )
        else:
            console.print(
                "[red]" + translate(lang, "The answer was {answer}.", answer=question.answer) + "[/red]"
            )
        if ended:
            break
    console.rule()
    console.print("[bold]" + translate(lang, "Final score: {total}", total=number(total, lang)) + "[/bold]")
    return total


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
