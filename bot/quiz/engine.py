"""Quiz state: a game of rounds; who answered what, who won, what each answer scores."""

from __future__ import annotations

import asyncio
import enum
import functools
import random
from dataclasses import dataclass, field, replace

from bot.content.clubs import all_club_forms, with_club_forms
from bot.quiz.hints import LEVELS, Hint, build_hint
from bot.quiz.matcher import AnswerKey, is_person_question, normalise
from bot.quiz.scoring import button_points, typed_points
from bot.quiz.teams import TeamPlay, team_standings


@functools.cache
def known_names() -> frozenset[str]:
    """The club table's names, normalised: a forgiven slip must not be as close to one of them."""
    return frozenset(normalise(f) for f in all_club_forms()) - {""}


@dataclass(frozen=True)
class QuestionView:
    """A question detached from the database."""

    id: str
    text: str
    answer: str
    aliases: tuple[str, ...]
    choices: tuple[str, ...]
    category: str
    difficulty: str
    source: str = ""
    # Italian text, when the content has it (see `in_lang`).
    text_it: str | None = None
    answer_it: str | None = None
    choices_it: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()  # more wrong answers to refuse, beyond the choices shown

    def in_lang(self, lang: str | None) -> QuestionView:
        """This question as shown in `lang` (English, or Italian where the content has it). Answers are
        accepted in both languages: the other language's answer joins the aliases and its wrong choices
        are refused too."""
        if lang != "it" or not self.text_it:
            return self
        answer = self.answer_it or self.answer
        choices = self.choices_it if len(self.choices_it) == len(self.choices) else self.choices
        aliases = tuple(dict.fromkeys(a for a in (self.answer, *self.aliases) if a != answer))
        return replace(
            self,
            text=self.text_it,
            answer=answer,
            aliases=aliases,
            choices=choices,
            refused=tuple(c for c in self.choices if c not in choices),
        )


class Verdict(enum.Enum):
    WIN = "win"  # typed: first correct answer
    WRONG = "wrong"  # typed: not the answer
    ACCEPTED = "accepted"  # buttons: choice recorded
    ALREADY = "already"  # buttons: this member already chose
    CLOSED = "closed"  # the round is over


@dataclass
class Attempt:
    correct: bool
    elapsed: float
    choice: int | None = None


REFUSED_KEPT = 300  # refused typed messages a round remembers (for VAR), the first ones
REFUSED_TEXT_MAX = 200  # characters of a refused message kept


@dataclass(frozen=True)
class RefusedGuess:
    """A typed message the round refused, kept so its author can contest it (VAR)."""

    message_id: int
    user_id: int
    text: str
    hints_shown: int  # hints on screen when it came: what it would have scored


@dataclass(frozen=True)
class ScoreDraft:
    """One member's result on one round, ready to be written as a score event."""

    user_id: int
    correct: bool
    points: int
    response_ms: int
    team_id: int | None = None  # a teams quiz: the fan's team, which gets the points too


class Round:
    """One question being asked. Methods are synchronous: no await between check and update, so under
    one event loop exactly one typed answer can win and every click is counted once."""

    def __init__(
        self, position: int, question: QuestionView, mode: str, limit: float, rng: random.Random | None = None
    ) -> None:
        self.position = position
        self.question = question
        self.mode = mode
        self.limit = limit
        aliases = with_club_forms(question.answer, question.aliases)  # "Juventus FC", "A.S. Roma"…
        self.key = AnswerKey.build(
            question.answer,
            aliases,
            (*question.choices, *question.refused),
            person=is_person_question(question.text),
            known=known_names(),
        )
        options = [question.answer, *question.choices]
        (rng or random).shuffle(options)
        self.options: list[str] = options
        self.correct_index = options.index(question.answer)
        self.attempts: dict[int, Attempt] = {}
        self.winner: int | None = None
        self.closed = False
        self.round_id: int | None = None
        self.message_id: int | None = None
        self.shown_ms: int | None = None  # the question message's own time (Unix ms), when known
        self.done = asyncio.Event()
        self.end_reason = "timeout"
        self.hints_shown = 0  # hints shown so far (typed questions)
        self.hints_at_win = 0  # hints shown when the winning answer came
        self.refused: list[RefusedGuess] = []  # typed messages refused, with their message ids

    def next_hint(self) -> Hint | None:
        """Show one more hint (typed questions, while open): the hint, or None if there is none left."""
        if self.closed or self.mode != "typed" or self.hints_shown >= LEVELS:
            return None
        self.hints_shown += 1
        return build_hint(self.question.answer, self.hints_shown)

    def guess(self, user_id: int, text: str, elapsed: float, message_id: int | None = None) -> Verdict:
        """A typed message in the channel; a refused one with a `message_id` is remembered for VAR."""
        if self.closed or self.mode != "typed":
            return Verdict.CLOSED
        if self.key.matches(text):
            self.attempts[user_id] = Attempt(True, elapsed)
            self.winner = user_id
            self.hints_at_win = self.hints_shown
            self.close("answered")
            return Verdict.WIN
        self.attempts.setdefault(user_id, Attempt(False, elapsed))
        if message_id is not None and len(self.refused) < REFUSED_KEPT:
            self.refused.append(RefusedGuess(message_id, user_id, text[:REFUSED_TEXT_MAX], self.hints_shown))
        return Verdict.WRONG

    def choose(self, user_id: int, index: int, elapsed: float) -> Verdict:
        """A button press."""
        if self.closed:
            return Verdict.CLOSED
        if user_id in self.attempts:
            return Verdict.ALREADY
        self.attempts[user_id] = Attempt(index == self.correct_index, elapsed, index)
        return Verdict.ACCEPTED

    def close(self, reason: str) -> bool:
        """End the round (answered, timeout, skipped, stopped); False if it had already ended."""
        if self.closed:
            return False
        self.closed = True
        self.end_reason = reason
        self.done.set()
        return True

    def outcome(self) -> list[ScoreDraft]:
        """Score drafts for everyone who answered, by the scoring rule."""
        drafts = []
        for user_id, attempt in self.attempts.items():
            if self.mode == "typed":
                points = (
                    typed_points(self.question.difficulty, self.hints_at_win) if user_id == self.winner else 0
                )
            else:
                points = (
                    button_points(self.question.difficulty, attempt.elapsed, self.limit)
                    if attempt.correct
                    else 0
                )
            seconds = min(max(attempt.elapsed, 0.0), self.limit)  # never negative nor absurd
            drafts.append(ScoreDraft(user_id, attempt.correct, points, int(seconds * 1000)))
        return drafts


SILENT_ROUNDS = 3  # questions in a row with no answer at all that end a quiz


class Ending(enum.Enum):
    """Why a quiz ended."""

    FINISHED = "finished"  # every question was asked
    STOPPED = "stopped"  # someone stopped it
    TARGET = "target"  # someone reached `first_to` points
    SILENT = "silent"  # SILENT_ROUNDS questions in a row went unanswered
    FAILED = "failed"  # a problem on our side: the standings so far still show


@dataclass
class QuizGame:
    """A running quiz session in one channel."""

    session_id: int
    guild_id: int
    channel_id: int
    starter_id: int
    mode: str
    seconds: int
    questions: list[QuestionView]
    totals: dict[int, int] = field(default_factory=dict)
    round: Round | None = None
    stopped: bool = False
    first_to: int | None = None  # the quiz ends when someone reaches this many points
    hints: bool = True  # typed questions show hints as time runs out
    silent: int = 0  # questions in a row nobody answered
    teams: TeamPlay | None = None  # a teams quiz (curva mode): the server's team roles in play
    team_totals: dict[int, int] = field(default_factory=dict)

    def after_round(self, rnd: Round) -> Ending | None:
        """Count the round just scored (its drafts already added); the ending it causes, if any."""
        active = rnd.attempts or rnd.end_reason == "skipped"  # a skip shows someone is there
        self.silent = 0 if active else self.silent + 1
        if self.stopped:
            return Ending.STOPPED
        if self.first_to is not None and any(p >= self.first_to for p in self.totals.values()):
            return Ending.TARGET
        if self.silent >= SILENT_ROUNDS:
            return Ending.SILENT
        if rnd.position + 1 >= self.total:
            return Ending.FINISHED
        return None

    @property
    def total(self) -> int:
        return len(self.questions)

    def start_round(self, position: int, rng: random.Random | None = None) -> Round:
        self.round = Round(position, self.questions[position], self.mode, float(self.seconds), rng)
        return self.round

    def outcome(self, rnd: Round) -> list[ScoreDraft]:
        """The round's score drafts, each with the fan's team in a teams quiz."""
        drafts = rnd.outcome()
        if self.teams is None:
            return drafts
        return [replace(d, team_id=self.teams.team_of(d.user_id)) for d in drafts]

    def add(self, drafts: list[ScoreDraft]) -> None:
        for d in drafts:
            self.totals[d.user_id] = self.totals.get(d.user_id, 0) + d.points
            if d.team_id is not None:
                self.team_totals[d.team_id] = self.team_totals.get(d.team_id, 0) + d.points

    def team_standings(self) -> list[tuple[int, int]]:
        """(team id, points) for every team in play, best first; empty when teams are off."""
        if self.teams is None:
            return []
        return team_standings(self.teams.team_ids, self.team_totals)

    def leader(self) -> int | None:
        """The member with the most points (first to score among equals), if anyone scored."""
        table = self.standings()
        return table[0][0] if table and table[0][1] > 0 else None

    def standings(self) -> list[tuple[int, int]]:
        """(user id, points) best first; ties keep first-scorer order."""
        return sorted(self.totals.items(), key=lambda kv: -kv[1])

    def stop(self) -> None:
        self.stopped = True
        if self.round is not None:
            self.round.close("stopped")
