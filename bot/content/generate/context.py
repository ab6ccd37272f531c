"""Everything the generators read, computed once: matches, clubs, final tables, helpers for text."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bot.content.clubs import Club, ClubTable, load_clubs
from bot.content.records.derived import Adjustments, Row, final_table, load_adjustments
from bot.content.records.model import Match
from bot.content.records.sources import COMPETITION_NAMES, COMPETITION_NAMES_IT, load_records

NATIONAL = ("world-cup", "euro")
EUROPE = ("champions-league", "europa-league", "conference-league")


@dataclass
class Records:
    """The parsed records of a content folder and what the generators derive from them."""

    matches: list[Match]
    clubs: ClubTable
    adjustments: Adjustments
    problems: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, content_dir: Path) -> Records:
        matches, problems = load_records(content_dir)
        clubs = load_clubs(content_dir / "clubs.yaml")
        adjustments = load_adjustments(content_dir / "records" / "adjustments.yaml")
        return cls(matches, clubs, adjustments, problems)

    @cached_property
    def by_competition(self) -> dict[tuple[str, str], list[Match]]:
        out: dict[tuple[str, str], list[Match]] = defaultdict(list)
        for m in self.matches:
            out[(m.competition, m.season)].append(m)
        return out

    def seasons(self, competition: str) -> list[str]:
        return sorted({s for c, s in self.by_competition if c == competition})

    @cached_property
    def tables(self) -> dict[str, list[Row]]:
        """Serie A final tables of the seasons whose tables are checked (see adjustments.yaml)."""
        return {
            s: final_table(self.by_competition[("serie-a", s)], self.clubs, s, self.adjustments)
            for s in self.seasons("serie-a")
            if s not in self.adjustments.unverified and self._complete("serie-a", s)
        }

    def _complete(self, competition: str, season: str) -> bool:
        games = self.by_competition[(competition, season)]
        return len(games) == 380 and all(m.score is not None for m in games)

    def club(self, spelling: str) -> Club:
        return self.clubs.resolve(spelling)

    def team(self, spelling: str, competition: str) -> Team:
        """A side of a match: a club (by the table) or a national team (by its name)."""
        if competition in NATIONAL:
            return Team(spelling, spelling, None)
        club = self.club(spelling)
        return Team(club.name, club.italian_name, club.slug)


@dataclass(frozen=True)
class Team:
    """A side as questions name it, in English and Italian, with its club slug (None for nations)."""

    name: str
    name_it: str
    slug: str | None

    @property
    def slugs(self) -> list[str]:
        return [self.slug] if self.slug else []


def competition_name(slug: str, season: str, italian: bool = False) -> str:
    """'Serie A 2016-17', 'the 2006 World Cup' style labels without the article."""
    names = COMPETITION_NAMES_IT if italian else COMPETITION_NAMES
    return f"{names[slug]} {season}"


def record_source(m: Match) -> str:
    """The source line of a match record: file, line, the match as written, competition, round, date."""
    path = re.sub(r"^records/openfootball/", "", m.file)
    when = m.date.isoformat() if m.date else "undated"
    return (
        f"openfootball {path}, line {m.line}: {m.home} {m.score_text()} {m.away} "
        f"({COMPETITION_NAMES[m.competition]} {m.season}, {m.round}, {when})"
    )


def slug_part(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
