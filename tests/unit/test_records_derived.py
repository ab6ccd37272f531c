"""Derived records against known final standings and hand-made cases.

Known standings (points, and the order of clubs level on points) are from the final Serie A tables
published by Lega Serie A (legaseriea.it, "Classifica") for each season, as also given in the English
Wikipedia season articles ("2016–17 Serie A" etc.).
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot import PROJECT_ROOT
from bot.content.clubs import club_table
from bot.content.records.derived import (
    biggest_wins,
    derby_of,
    final_table,
    is_final,
    load_adjustments,
    title_clinched,
    unbeaten_runs,
)
from bot.content.records.model import Match
from bot.content.records.sources import load_records

CONTENT = PROJECT_ROOT / "content"
CLUBS = club_table()
MATCHES, _ = load_records(CONTENT)
ADJ = load_adjustments(CONTENT / "records" / "adjustments.yaml")


def season(s: str) -> list[Match]:
    return [m for m in MATCHES if m.competition == "serie-a" and m.season == s]


KNOWN = {
    # season: the top of the final table as (club, points), in order
    "2015-16": [("juventus", 91), ("napoli", 82), ("roma", 80), ("inter", 67), ("fiorentina", 64)],
    "2016-17": [
        ("juventus", 91),
        ("roma", 87),
        ("napoli", 86),
        ("atalanta", 72),
        ("lazio", 70),
        ("milan", 63),
    ],
    # Inter 4th ahead of Lazio on head-to-head (0-0, 3-2 in Rome on the last day)
    "2017-18": [("juventus", 95), ("napoli", 91), ("roma", 77), ("inter", 72), ("lazio", 72), ("milan", 64)],
    # Atalanta 3rd ahead of Lazio on head-to-head (3-3, 3-2)
    "2019-20": [
        ("juventus", 83),
        ("inter", 82),
        ("atalanta", 78),
        ("lazio", 78),
        ("roma", 70),
        ("milan", 66),
    ],
    # Juventus 7th on 62 after the 10-point deduction
    "2022-23": [
        ("napoli", 90),
        ("lazio", 74),
        ("inter", 72),
        ("milan", 70),
        ("atalanta", 64),
        ("roma", 63),
        ("juventus", 62),
    ],
    "2023-24": [
        ("inter", 94),
        ("milan", 75),
        ("juventus", 71),
        ("atalanta", 69),
        ("bologna", 68),
        ("roma", 63),
    ],
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_final_tables_match_known_standings(name: str) -> None:
    table = final_table(season(name), CLUBS, name, ADJ)
    assert [(r.club, r.points) for r in table[: len(KNOWN[name])]] == KNOWN[name]
    assert len(table) == 20 and all(r.played == 38 for r in table)


def test_tie_break_marks_and_bottom_with_deduction() -> None:
    table = final_table(season("2017-18"), CLUBS, "2017-18", ADJ)
    assert [r.tie_break for r in table[3:5]] == [True, True] and not table[0].tie_break
    parma = final_table(season("2014-15"), CLUBS, "2014-15", ADJ)[-1]
    assert (parma.club, parma.points, parma.deducted) == ("parma", 19, 7)


def m(home: str, away: str, score: tuple[int, int], day: int = 1) -> Match:
    return Match("serie-a", "2000-01", "Matchday", dt.date(2001, 1, day), home, away, score)


def test_head_to_head_before_goal_difference() -> None:
    # Inter and Juventus level on 7 points; Juventus has the far better goal difference (+9 to +1),
    # but Inter took 4 points of 6 between them, so Inter are ahead.
    games = [
        m("Inter", "Juventus", (1, 0)),
        m("Juventus", "Inter", (0, 0)),
        m("Juventus", "AS Roma", (5, 0)),
        m("AS Roma", "Juventus", (0, 5)),
        m("Inter", "AS Roma", (1, 0)),
        m("AS Roma", "Inter", (1, 0)),
    ]
    table = final_table(games, CLUBS, "2000-01")
    assert [(r.club, r.points, r.tie_break) for r in table] == [
        ("inter", 7, True),
        ("juventus", 7, True),
        ("roma", 3, False),
    ]


def test_three_level_on_head_to_head_fall_back_to_goal_difference() -> None:
    games = [m("Inter", "Juventus", (1, 0)), m("Juventus", "AS Roma", (5, 0)), m("AS Roma", "Inter", (1, 0))]
    table = final_table(games, CLUBS, "2000-01")
    # all on 3 points and 3 in the mini-table with goal difference: Juventus +4, Inter 0, Roma -4
    assert [r.club for r in table] == ["juventus", "inter", "roma"]


def test_biggest_wins_unbeaten_runs_derbies_finals() -> None:
    serie_a = [x for x in MATCHES if x.competition == "serie-a"]
    best = biggest_wins(serie_a, CLUBS)["atalanta"]
    assert any((w.match.home, w.match.score) == ("Torino FC", (0, 7)) for w in best)  # 25 January 2020
    runs = unbeaten_runs(season("2013-14"), CLUBS)
    assert runs["juventus"][0] >= 10
    assert derby_of("inter", "milan") == ("Derby della Madonnina", "Derby della Madonnina")
    finals = [x for x in MATCHES if x.competition == "world-cup" and is_final(x) and x.season == "2006"]
    assert len(finals) == 1 and finals[0].winner == "Italy"


def test_title_clinched_dates() -> None:
    s = "2023-24"
    games = season(s)
    # Inter won the 2023-24 title in the Milan derby on 22 April 2024.
    assert title_clinched(games, final_table(games, CLUBS, s, ADJ), CLUBS) == dt.date(2024, 4, 22)
