"""Plain records of matches and goals, as read from the Football.TXT files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Goal:
    """One goal: the scorer as written, the minute ("90+3"), and whether a penalty or an own goal."""

    player: str
    minute: str
    side: str | None  # "home", "away" or None when the record does not say
    penalty: bool = False
    own_goal: bool = False


@dataclass
class Match:
    """One match line and its detail lines. Scores are (home, away); `score` is the final result on the
    pitch (after extra time if played), `ht` the half-time score when the record gives it."""

    competition: str  # slug: serie-a, coppa-italia, champions-league, europa-league, conference-league,
    #                   world-cup, euro
    season: str  # "2023-24" or "2006"
    round: str
    date: dt.date | None  # None: listed without a date (some early Euro group stages)
    home: str
    away: str
    score: tuple[int, int] | None
    ht: tuple[int, int] | None = None
    extra_time: bool = False
    penalties: tuple[int, int] | None = None
    status: str | None = None  # "awarded", "cancelled", "abandoned", "not played"
    venue: str | None = None
    goals: list[Goal] = field(default_factory=list)
    file: str = ""
    line: int = 0

    @property
    def played(self) -> bool:
        """A result decided on the pitch (not awarded, cancelled or unplayed)."""
        return self.score is not None and self.status is None

    @property
    def winner(self) -> str | None:
        """The side that won (after extra time or penalties), or None for a draw or no result."""
        if self.score is None:
            return None
        h, a = self.penalties if self.penalties and self.score[0] == self.score[1] else self.score
        return self.home if h > a else self.away if a > h else None

    @property
    def loser(self) -> str | None:
        w = self.winner
        return None if w is None else self.away if w == self.home else self.home

    @property
    def city(self) -> str | None:
        """The city of the venue when written `Stadium, City` (or just `City`)."""
        if not self.venue:
            return None
        return self.venue.rsplit(",", 1)[-1].split("(")[0].strip()

    @property
    def stadium(self) -> str | None:
        return self.venue.rsplit(",", 1)[0].strip() if self.venue and "," in self.venue else None

    def score_text(self) -> str:
        if self.score is None:
            return "-"
        text = f"{self.score[0]}-{self.score[1]}"
        if self.extra_time:
            text += " a.e.t."
        if self.penalties:
            text += f", {self.penalties[0]}-{self.penalties[1]} pens"
        return text
