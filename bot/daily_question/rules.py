"""The question of the day's rules, Discord-free.

- The daily post carries one multiple-choice question; its options are shuffled once, when the post is
  made, and that order is kept in the database (`order`: the shown position of each option, 0 being the
  right answer), so every language and every restart shows and checks the same buttons.
- One press per fan. The question is open until the server's next daily post.
- A right press scores the question's full button-round points (no speed factor: it is open all day).
- Daily streak, per fan per server, counted over the server's questions of the day (one per server-local
  day): a right answer extends the streak when the fan also answered the server's previous question right,
  else it starts again at 1. A wrong answer breaks it (back to 0) at once; a missed question breaks it
  when that question closes. A day the server had no post (the bot was down, the post was off) is
  nobody's miss, so it breaks no streak. The best streak is kept.
"""

from __future__ import annotations

import datetime as dt
import enum
import random
import re
from dataclasses import dataclass

from bot.quiz.engine import QuestionView
from bot.quiz.scoring import base_points

CUSTOM_ID = "qotd:{post}:{choice}"
CUSTOM_ID_PATTERN = r"qotd:(?P<post>[0-9]{1,19}):(?P<choice>[0-9]{1,2})"
CUSTOM_ID_RE = re.compile(CUSTOM_ID_PATTERN)


def custom_id(post_id: int, choice: int) -> str:
    """The button's custom id: the post and the shown position of the option (at most 27 characters)."""
    return CUSTOM_ID.format(post=post_id, choice=choice)


def shuffled_order(options: int, rng: random.Random) -> list[int]:
    """A random order for a question's options: item k is the option shown at position k (0 = right)."""
    order = list(range(options))
    rng.shuffle(order)
    return order


def shown_options(answer: str, choices: tuple[str, ...] | list[str], order: list[int]) -> list[str]:
    """The options as the buttons show them: `order` applied to (answer, *wrong choices)."""
    options = [answer, *choices]
    return [options[i] for i in order if 0 <= i < len(options)]


def right_position(order: list[int]) -> int:
    """The shown position of the right answer."""
    return order.index(0)


def points_for(difficulty: str, correct: bool) -> int:
    """A right answer's points: the question's full base, as the fastest button press of a round."""
    return base_points(difficulty) if correct else 0


@dataclass(frozen=True)
class DailyStreak:
    """A fan's daily streak in a server. `last_day`: the question day of their last right answer."""

    current: int = 0
    best: int = 0
    last_day: dt.date | None = None
    reached_at: dt.datetime | None = None  # when `current` reached its value (ties on the streak board)


def after_answer(
    before: DailyStreak, day: dt.date, previous_day: dt.date | None, correct: bool, now: dt.datetime
) -> DailyStreak:
    """The streak after answering the question of `day`; `previous_day` is the server's question before
    it (None for its first). Wrong: back to 0 (best kept). Right: one more when the fan's streak is alive
    from the previous question, else 1."""
    if not correct:
        return DailyStreak(0, before.best, before.last_day, now)
    alive = before.current > 0 and previous_day is not None and before.last_day == previous_day
    current = before.current + 1 if alive else 1
    return DailyStreak(current, max(before.best, current), day, now)


def survives_close(streak: DailyStreak, closed_day: dt.date) -> bool:
    """True if the streak is still alive once the question of `closed_day` is closed: its fan answered
    that question right (a missed question breaks the streak)."""
    return streak.current > 0 and streak.last_day is not None and streak.last_day >= closed_day


class Result(enum.Enum):
    """What became of a press on a question-of-the-day button."""

    RIGHT = "right"
    WRONG = "wrong"
    ALREADY = "already"  # the fan pressed before: one press each
    CLOSED = "closed"  # a newer daily post closed it
    GONE = "gone"  # no such question here (deleted, or a forged button)


@dataclass(frozen=True)
class Outcome:
    """A press's result: the points won and the streak after it (right or wrong), or, once closed, the
    question and its shown order so the reply can tell the answer."""

    result: Result
    points: int = 0
    streak: DailyStreak | None = None
    question: QuestionView | None = None
    order: tuple[int, ...] = ()
