"""What the match records imply: final tables, biggest wins, unbeaten runs, derbies, finals.

Serie A final tables
--------------------
Three points a win, one a draw. Awarded results count as the record gives them; cancelled or unplayed
matches do not count. Points deducted by the federation are applied from content/records/adjustments.yaml.

Clubs level on points are ordered by the Serie A rule (NOIF art. 51 / Lega Serie A regulations), which
the records' seasons share:
1. points in the matches between the tied clubs (a mini-table of those clubs only);
2. goal difference in those matches;
3. goal difference over the season;
4. goals scored over the season;
5. otherwise the league decides (a draw of lots; from 2022-23 to 2024-25 a play-off match when the tie
   is for the title or for relegation).
Steps 1-2 are applied to the whole group of clubs level on points, then again to any clubs still level.
A position that needed any of these steps is marked `tie_break`; nothing that depends on one is asked.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.content.clubs import ClubTable
from bot.content.records.model import Match
from bot.content.yamlio import load_yaml


@dataclass
class Row:
    """One club's line in a final table."""

    club: str  # slug
    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    scored: int = 0
    conceded: int = 0
    deducted: int = 0
    position: int = 0
    tie_break: bool = False  # the position depended on a tie-break (or is still level)

    @property
    def points(self) -> int:
        return 3 * self.won + self.drawn - self.deducted

    @property
    def goal_difference(self) -> int:
        return self.scored - self.conceded


@dataclass(frozen=True)
class Adjustments:
    """Deductions per (season, club slug), with their sources, and seasons whose tables are unchecked."""

    deductions: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    unverified: frozenset[str] = frozenset()


def load_adjustments(path: Path) -> Adjustments:
    if not path.exists():
        return Adjustments()
    raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    deductions = {
        (str(d["season"]), d["club"]): (int(d["points"]), d["source"]) for d in raw.get("deductions", [])
    }
    return Adjustments(deductions, frozenset(str(s) for s in raw.get("unverified_tables", [])))


def _tally(rows: dict[str, Row], matches: Iterable[tuple[str, str, int, int]]) -> None:
    for home, away, hg, ag in matches:
        h, a = rows.setdefault(home, Row(home)), rows.setdefault(away, Row(away))
        h.played += 1
        a.played += 1
        h.scored, h.conceded = h.scored + hg, h.conceded + ag
        a.scored, a.conceded = a.scored + ag, a.conceded + hg
        if hg > ag:
            h.won, a.lost = h.won + 1, a.lost + 1
        elif ag > hg:
            a.won, h.lost = a.won + 1, h.lost + 1
        else:
            h.drawn, a.drawn = h.drawn + 1, a.drawn + 1


def final_table(
    matches: Sequence[Match], clubs: ClubTable, season: str, adjustments: Adjustments | None = None
) -> list[Row]:
    """The season's final table, ordered by the Serie A rule above, positions from 1."""
    results = [
        (clubs.resolve(m.home).slug, clubs.resolve(m.away).slug, *m.score)
        for m in matches
        if m.score is not None and m.status in (None, "awarded")
    ]
    rows: dict[str, Row] = {}
    _tally(rows, results)
    for (s, club), (points, _) in (adjustments or Adjustments()).deductions.items():
        if s == season and club in rows:
            rows[club].deducted = points
    ordered = _order(list(rows.values()), results)
    for i, row in enumerate(ordered, 1):
        row.position = i
    return ordered


def _order(rows: list[Row], results: list[tuple[str, str, int, int]]) -> list[Row]:
    by_points: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_points[row.points].append(row)
    out: list[Row] = []
    for points in sorted(by_points, reverse=True):
        group = by_points[points]
        if len(group) == 1:
            out += group
            continue
        for row in group:
            row.tie_break = True
        out += _break_tie(group, results)
    return out


def _break_tie(group: list[Row], results: list[tuple[str, str, int, int]]) -> list[Row]:
    names = {r.club for r in group}
    mini: dict[str, Row] = {}
    _tally(mini, [r for r in results if r[0] in names and r[1] in names])

    def h2h(row: Row) -> tuple[int, int]:
        m = mini.get(row.club, Row(row.club))
        return (m.points, m.goal_difference)

    buckets: dict[tuple[int, int], list[Row]] = defaultdict(list)
    for row in group:
        buckets[h2h(row)].append(row)
    out: list[Row] = []
    for k in sorted(buckets, reverse=True):
        sub = buckets[k]
        if 1 < len(sub) < len(group):
            sub = _break_tie(sub, results)  # steps 1-2 again among the clubs still level
        else:
            sub.sort(key=lambda r: (-r.goal_difference, -r.scored, r.club))
        out += sub
    return out


# The derbies the questions and facts name, as pairs of club slugs.
DERBIES: dict[frozenset[str], tuple[str, str]] = {
    frozenset({"inter", "milan"}): ("Derby della Madonnina", "Derby della Madonnina"),
    frozenset({"roma", "lazio"}): ("Rome derby (Derby della Capitale)", "Derby della Capitale"),
    frozenset({"juventus", "torino"}): ("Turin derby (Derby della Mole)", "Derby della Mole"),
    frozenset({"genoa", "sampdoria"}): ("Genoa derby (Derby della Lanterna)", "Derby della Lanterna"),
    frozenset({"inter", "juventus"}): ("Derby d'Italia", "Derby d'Italia"),
}


def derby_of(home: str, away: str) -> tuple[str, str] | None:
    """The derby's English and Italian names for two club slugs, or None."""
    return DERBIES.get(frozenset({home, away}))


def is_final(match: Match) -> bool:
    """A final (or its replay) of a cup or tournament."""
    name = match.round.casefold().replace("-", " ")
    return name in ("final", "final, replay", "finals, final") or name.startswith("final,")


@dataclass(frozen=True)
class Win:
    """A club's win: the margin, the goals, the match."""

    club: str
    margin: int
    goals: int
    match: Match


def wins(matches: Iterable[Match], clubs: ClubTable) -> list[Win]:
    """Every win decided on the pitch (no awarded results), from the winner's side."""
    out = []
    for m in matches:
        if not m.played or m.score is None or m.score[0] == m.score[1]:
            continue
        home_won = m.score[0] > m.score[1]
        winner = clubs.resolve(m.home if home_won else m.away).slug
        out.append(Win(winner, abs(m.score[0] - m.score[1]), max(m.score), m))
    return out


def biggest_wins(matches: Iterable[Match], clubs: ClubTable) -> dict[str, list[Win]]:
    """Per club, its biggest wins by margin (then goals): every win that shares the top mark."""
    best: dict[str, list[Win]] = {}
    for w in wins(matches, clubs):
        top = best.get(w.club)
        mark = (w.margin, w.goals)
        if not top or mark > (top[0].margin, top[0].goals):
            best[w.club] = [w]
        elif mark == (top[0].margin, top[0].goals):
            top.append(w)
    return best


def unbeaten_runs(matches: Sequence[Match], clubs: ClubTable) -> dict[str, tuple[int, dt.date, dt.date]]:
    """Per club, its longest run of matches without defeat in these matches (results on the pitch, in
    date order): (length, first date, last date). The earliest run wins a tie in length."""
    by_club: dict[str, list[Match]] = defaultdict(list)
    for m in sorted((m for m in matches if m.played and m.date), key=lambda m: (m.date, m.line)):
        by_club[clubs.resolve(m.home).slug].append(m)
        by_club[clubs.resolve(m.away).slug].append(m)
    out: dict[str, tuple[int, dt.date, dt.date]] = {}
    for club, games in by_club.items():
        best = (0, dt.date.min, dt.date.min)
        run = 0
        start: dt.date | None = None
        for m in games:
            assert m.score is not None and m.date is not None
            home = clubs.resolve(m.home).slug == club
            lost = m.score[1] > m.score[0] if home else m.score[0] > m.score[1]
            if lost:
                run, start = 0, None
                continue
            run += 1
            start = start or m.date
            if run > best[0]:
                best = (run, start, m.date)
        out[club] = best
    return out


def title_clinched(matches: Sequence[Match], table: list[Row], clubs: ClubTable) -> dt.date | None:
    """The day after whose results no club could catch the champion any more (deductions as in `table`,
    applied from the start: a safe, never-early estimate only when nobody else had points deducted)."""
    champion = table[0].club
    deducted = {r.club: r.deducted for r in table}
    if any(v for c, v in deducted.items() if c != champion):
        return None
    played = sorted((m for m in matches if m.score is not None and m.date), key=lambda m: m.date)  # type: ignore[arg-type, return-value]
    total = {r.club: r.played for r in table}
    rows: dict[str, Row] = {}
    for day in sorted({m.date for m in played}):  # type: ignore[type-var]
        _tally(
            rows,
            [
                (clubs.resolve(m.home).slug, clubs.resolve(m.away).slug, *m.score)
                for m in played
                if m.date == day
            ],
        )  # type: ignore[misc]
        lead = rows[champion].points - deducted.get(champion, 0) if champion in rows else 0
        chasers = [r.points + 3 * (total[c] - r.played) for c, r in rows.items() if c != champion]
        if chasers and lead > max(chasers):
            return day
    return None
