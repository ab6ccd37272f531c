"""Words the quiz shows for hints, endings and sources, in the reader's language (Discord-free)."""

from __future__ import annotations

from bot.i18n import ntranslate, translate
from bot.limits import clip
from bot.quiz.engine import SILENT_ROUNDS, Ending
from bot.quiz.hints import Hint

SOURCE_MAX = 300  # characters of a question's source shown under the answer


def hint_clue(lang: str | None, hint: Hint) -> str:
    """The words that go with a hint's pattern: what kind of number it is, or nothing for names."""
    if hint.digits is None:
        return ""
    if hint.parity == "odd":
        return translate(lang, "An odd number, one digit.")
    if hint.parity == "even":
        return translate(lang, "An even number, one digit.")
    return translate(lang, "A number with {digits} digits.", digits=hint.digits)


def hint_text(lang: str | None, hint: Hint, level: int) -> str:
    """A hint as one line: "Hint 1: `A_____ L______`" plus the number clue, if any."""
    clue = hint_clue(lang, hint)
    pattern = hint.pattern.replace("`", "'")  # inside a code span
    line = translate(lang, "Hint {level}: {pattern}", level=level, pattern=f"`{pattern}`")
    return f"{line} {clue}".strip()


def source_line(lang: str | None, source: str, limit: int = SOURCE_MAX) -> str:
    """'Source: …' from a question's source, on one line and trimmed to `limit` characters; '' if none."""
    text = " ".join(source.split())
    if not text:
        return ""
    return translate(lang, "Source: {source}", source=clip(text, limit))


def ending_title(lang: str | None, ending: str, leader: str | None = None, target: int | None = None) -> str:
    """The title of the final standings for an `Ending` value; `leader` is who reached `target` points."""
    if ending == Ending.STOPPED.value:
        return "🛑 " + translate(lang, "Quiz stopped: standings")
    if ending == Ending.TARGET.value and leader is not None:
        return "🏆 " + ntranslate(
            lang,
            "{name} reached {points} point! Final standings",
            "{name} reached {points} points! Final standings",
            target or 0,
            name=leader,
            points=target,
        )
    if ending == Ending.SILENT.value:
        return "💤 " + translate(
            lang,
            "No answers to {count} questions in a row, so the quiz ended. Final standings",
            count=SILENT_ROUNDS,
        )
    if ending == Ending.FAILED.value:
        return "⚠️ " + translate(lang, "Standings so far")
    return "🏆 " + translate(lang, "Final standings")
