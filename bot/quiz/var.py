"""VAR: the rules for contesting a typed answer a quiz refused, and for deciding the claim.

- A fan contests their own refused message (a moderator, with Manage Messages, may raise it for them)
  once the question is over, while its quiz runs and for `CONTEST_WINDOW` after it ended.
- One claim per fan per question; staff (Manage Messages) uphold or reject it once.
- Upholding awards what the answer would have won when it was sent: the question's typed points after the
  hints then on screen. One award per question, whoever decides; a fan who already scored on the question
  gets nothing more.
- An upheld answer can become an alias of the question for this server, unless it would accept a wrong
  choice or is no answer at all.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from bot.i18n import N_
from bot.quiz.matcher import normalise
from bot.quiz.scoring import typed_points

CONTEST_WINDOW = dt.timedelta(minutes=10)  # after the quiz ended
REFUSED_KEPT_FOR = dt.timedelta(days=1)  # refused messages are pruned after this (longest quiz + window)


class Problem(enum.Enum):
    """Why a contest or a decision is refused; the value is the catalog sentence shown to the member."""

    NOT_AN_ANSWER = N_(
        "Only a typed answer I refused during a quiz can be contested, and this message isn't one."
    )
    BOT_MESSAGE = N_("That's one of my own messages: only a fan's refused answer can be contested.")
    NOT_YOURS = N_("Only the fan who wrote that answer (or a moderator) can contest it.")
    STILL_OPEN = N_("That question is still open: keep trying! You can contest once it is over.")
    TOO_LATE = N_("Too late: answers can be contested during the quiz and for 10 minutes after it ends.")
    ALREADY_CLAIMED = N_("That answer to this question has already been contested.")
    ALREADY_DECIDED = N_("This claim has already been decided.")
    ALREADY_AWARDED = N_("VAR has already awarded points for this question: one award per question.")
    ALREADY_SCORED = N_("That fan already scored on this question, so there is nothing to award.")
    ARCHIVED = N_("The scores of that quiz have been archived since, so they can't change any more.")
    NOT_UPHELD = N_("Only an upheld answer can be added as an alias.")
    ALIAS_ADDED = N_("That answer is already an alias of the question.")
    ALIAS_EMPTY = N_("That answer has no letters or digits to match, so it can't be an alias.")
    ALIAS_IS_A_CHOICE = N_("That answer is one of the question's wrong choices, so it can't be an alias.")


@dataclass(frozen=True)
class ContestTarget:
    """What the database knows of a refused message and its question, for the contest rules."""

    author_id: int
    round_closed: bool
    session_running: bool
    session_ended_at: dt.datetime | None
    already_claimed: bool


def window_open(session_running: bool, ended_at: dt.datetime | None, now: dt.datetime) -> bool:
    """True while the quiz runs and for CONTEST_WINDOW after it ended (server clock)."""
    if session_running:
        return True
    if ended_at is None:
        return False
    if ended_at.tzinfo is None:  # SQLite hands back naive UTC
        ended_at = ended_at.replace(tzinfo=dt.UTC)
    return now <= ended_at + CONTEST_WINDOW


def contest_problem(
    target: ContestTarget | None, requester_id: int, moderator: bool, now: dt.datetime
) -> Problem | None:
    """Why `requester_id` may not contest this message now (None: they may)."""
    if target is None:
        return Problem.NOT_AN_ANSWER
    if requester_id != target.author_id and not moderator:
        return Problem.NOT_YOURS
    if not window_open(target.session_running, target.session_ended_at, now):
        return Problem.TOO_LATE
    if not target.round_closed:
        return Problem.STILL_OPEN
    if target.already_claimed:
        return Problem.ALREADY_CLAIMED
    return None


def award_points(difficulty: str, hints_shown: int) -> int:
    """What an upheld answer wins: a right typed answer's points with the hints shown when it was sent."""
    return typed_points(difficulty, hints_shown)


def decision_problem(status: str) -> Problem | None:
    """A claim is decided once: upheld or rejected."""
    return None if status == "open" else Problem.ALREADY_DECIDED


def award_problem(
    award_in_round: bool, fan_event_correct: bool | None, fan_event_archived: bool
) -> Problem | None:
    """Whether upholding may award points: one award per question, never to a fan who already scored."""
    if award_in_round:
        return Problem.ALREADY_AWARDED
    if fan_event_archived:
        return Problem.ARCHIVED
    if fan_event_correct:
        return Problem.ALREADY_SCORED
    return None


def alias_problem(
    status: str,
    alias_added: bool,
    alias: str,
    answer: str,
    aliases: tuple[str, ...],
    choices: tuple[str, ...],
) -> Problem | None:
    """Whether an upheld answer may become an alias of its question."""
    if status != "upheld":
        return Problem.NOT_UPHELD
    key = normalise(alias)
    if not key:
        return Problem.ALIAS_EMPTY
    if alias_added or key in {normalise(a) for a in (answer, *aliases)}:
        return Problem.ALIAS_ADDED
    if key in {normalise(c) for c in choices}:
        return Problem.ALIAS_IS_A_CHOICE
    return None
