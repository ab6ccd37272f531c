"""Hints for typed questions: the answer with some of its letters (or digits) hidden.

Level 1 shows each word's first letter and the letter count ("A_____ L______"); level 2 shows half of
the letters. An answer made of digits gets a clue about the number instead of its initials: its digit
count (and whether it is odd or even for a single digit), then its first half of digits. A hint never
shows more than half of the answer's letters and digits (rounded down), whatever the answer."""

from __future__ import annotations

from dataclasses import dataclass

MASK = "_"
LEVELS = 2  # hints per question


@dataclass(frozen=True)
class Hint:
    """A hint: `pattern` is the answer with hidden characters masked; `digits` is set for a number."""

    pattern: str
    digits: int | None = None  # the digit count, when the answer is a number
    parity: str | None = None  # 'odd' or 'even', for a one-digit number at level 1


def is_number(answer: str) -> bool:
    """True when every letter or digit of `answer` is a digit ("1982", "2-1", "3")."""
    chars = [c for c in answer if c.isalnum()]
    return bool(chars) and all(c.isdigit() for c in chars)


def _positions(answer: str) -> list[int]:
    return [i for i, c in enumerate(answer) if c.isalnum()]


def _word_starts(answer: str) -> list[int]:
    return [i for i, c in enumerate(answer) if c.isalnum() and (i == 0 or not answer[i - 1].isalnum())]


def _mask(answer: str, shown: set[int]) -> str:
    return "".join(c if (i in shown or not c.isalnum()) else MASK for i, c in enumerate(answer))


def revealed(answer: str, level: int) -> set[int]:
    """Indexes of `answer` a level-`level` hint shows: never more than half of its letters and digits."""
    positions = _positions(answer)
    budget = len(positions) // 2
    if level <= 0 or budget == 0:
        return set()
    if is_number(answer):
        return set(positions[:budget]) if level >= 2 else set()
    offsets = _offsets(answer)
    # initials first; then, across the words, every other letter (offsets 2, 4, …), then the rest
    order = sorted(positions, key=lambda i: (offsets[i] != 0, offsets[i] % 2, offsets[i], i))
    return set(order[: budget if level >= 2 else min(budget, len(_word_starts(answer)))])


def _offsets(answer: str) -> dict[int, int]:
    """Each letter or digit's index inside its word."""
    offsets: dict[int, int] = {}
    run = 0
    for i, c in enumerate(answer):
        if c.isalnum():
            offsets[i] = run
            run += 1
        else:
            run = 0
    return offsets


def build_hint(answer: str, level: int) -> Hint:
    """The level-`level` hint (1 or 2) for `answer`."""
    pattern = _mask(answer, revealed(answer, level))
    if not is_number(answer):
        return Hint(pattern)
    digits = sum(c.isdigit() for c in answer)
    parity = None
    if digits == 1 and level >= 1:
        parity = "even" if int(next(c for c in answer if c.isdigit())) % 2 == 0 else "odd"
    return Hint(pattern, digits=digits, parity=parity)
