"""What a daily post shows: "on this day" facts, or a fact of the day; and the question of the day."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from bot.facts.selection import FactView, daily_pick, on_this_day
from bot.quiz.engine import QuestionView

NO_REPEAT_DAYS = 30


@dataclass(frozen=True)
class DailyPlan:
    day: dt.date
    facts: list[FactView]
    on_this_day: bool
    question: QuestionView | None = None  # the question of the day (multiple choice)
    post_id: int | None = None  # the post log's id, once claimed: the buttons' custom ids carry it
    order: tuple[int, ...] = ()  # the options' shown order (see `bot.daily_question.rules`)

    @property
    def answerable(self) -> bool:
        """True when the post carries a question of the day with its answer buttons."""
        return self.question is not None and self.post_id is not None and bool(self.order)

    @property
    def logged_fact(self) -> str | None:
        """The fact id the post log keeps for the 30-day no-repeat rule."""
        return self.facts[0].id if self.facts and not self.on_this_day else None

    @property
    def marker(self) -> str:
        """Footer text that identifies this post in the channel (for crash recovery)."""
        return f"Daily post · {self.day.isoformat()}"


def plan(
    day: dt.date,
    facts: list[FactView],
    recently_shown: set[str],
    question: QuestionView | None,
    rng: random.Random | None = None,
    club: str | None = None,
) -> DailyPlan:
    """On-this-day facts for `day` if any (the server's `club`'s first); else one fact not shown in 30
    days (while any remain). Either way the question of the day, when there is one."""
    hits = on_this_day(facts, day)
    if club:
        hits = [f for f in hits if club in f.clubs] + [f for f in hits if club not in f.clubs]
    if hits:
        return DailyPlan(day, hits[:5], True, question)
    chosen = daily_pick(facts, recently_shown, rng or random.Random())
    return DailyPlan(day, [chosen] if chosen else [], False, question)
