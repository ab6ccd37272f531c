"""Teams (curva mode): which team a fan plays for, given their roles and the server's team roles.

A server marks some of its roles as teams (`/server teams add`). In a teams quiz every fan's points go
to them, as always, and also to their team:
- a fan who holds exactly one team role plays for that team;
- a fan who holds none plays for themselves only;
- a fan who holds two or more counts for no team (their own points still count), and is told why once
  per quiz.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.quiz.engine import ScoreDraft

MAX_TEAMS = 10  # team roles a server may mark
MIN_TEAMS = 2  # a teams quiz needs at least this many


class Side(enum.Enum):
    """How a fan's roles place them."""

    TEAM = "team"  # exactly one team role
    NONE = "none"  # no team role: plays for themselves
    SEVERAL = "several"  # two or more team roles: counts for no team


@dataclass(frozen=True)
class Placement:
    """Where a fan's points go besides themselves: a team id (a role id) or nowhere, and why."""

    side: Side
    team_id: int | None = None


def resolve_team(member_role_ids: Iterable[int], team_role_ids: Iterable[int]) -> Placement:
    """The team a member with `member_role_ids` plays for among the server's `team_role_ids`."""
    held = set(member_role_ids) & set(team_role_ids)
    if not held:
        return Placement(Side.NONE)
    if len(held) > 1:
        return Placement(Side.SEVERAL)
    return Placement(Side.TEAM, held.pop())


@dataclass
class TeamPlay:
    """The teams of one quiz: each fan's latest placement, and who was already told they count for no
    team (once per quiz)."""

    team_ids: tuple[int, ...]
    placed: dict[int, Placement] = field(default_factory=dict)
    told: set[int] = field(default_factory=set)

    def place(self, user_id: int, member_role_ids: Iterable[int]) -> bool:
        """Place a fan from their roles as they answer. True if they hold several team roles and have
        not been told yet in this quiz (the caller tells them, once)."""
        placement = resolve_team(member_role_ids, self.team_ids)
        self.placed[user_id] = placement
        if placement.side is Side.SEVERAL and user_id not in self.told:
            self.told.add(user_id)
            return True
        return False

    def team_of(self, user_id: int) -> int | None:
        """The team a fan's points go to (None: no team, or several)."""
        placement = self.placed.get(user_id)
        return placement.team_id if placement is not None else None


def round_team_points(drafts: Iterable[ScoreDraft]) -> list[tuple[int, int]]:
    """(team id, points) a round gave each team that scored, best first."""
    totals: dict[int, int] = {}
    for d in drafts:
        if d.team_id is not None and d.points > 0:
            totals[d.team_id] = totals.get(d.team_id, 0) + d.points
    return sorted(totals.items(), key=lambda kv: -kv[1])


def team_standings(team_ids: Iterable[int], totals: dict[int, int]) -> list[tuple[int, int]]:
    """(team id, points) for every team in play, best first; ties keep the order the teams were given."""
    return sorted(((t, totals.get(t, 0)) for t in team_ids), key=lambda kv: -kv[1])
