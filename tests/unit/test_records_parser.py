"""The Football.TXT parser on real lines of every variant in the vendored files."""

# ruff: noqa: E501  (real record lines are kept whole)

from __future__ import annotations

import datetime as dt

import pytest

from bot import PROJECT_ROOT
from bot.content.records.football_txt import parse_goals, parse_text
from bot.content.records.sources import load_records


def one(body: str, season: str = "2023-24", competition: str = "europa-league"):  # type: ignore[no-untyped-def]
    result = parse_text(body, "t.txt", competition, season)
    assert not result.problems, result.problems
    assert len(result.matches) == 1, result.matches
    return result.matches[0]


def test_v_format_with_half_time_and_year_from_the_season() -> None:
    # champions-league/2023-24/el.txt
    m = one(
        "» Final\n  Wed May/22\n    21.00  Atalanta (ITA)          v Bayer Leverkusen (GER)   3-0 (2-0)\n"
    )
    assert (m.round, m.date, m.home, m.away) == (
        "Final",
        dt.date(2024, 5, 22),
        "Atalanta (ITA)",
        "Bayer Leverkusen (GER)",
    )
    assert (m.score, m.ht, m.extra_time, m.penalties) == ((3, 0), (2, 0), False, None)
    assert m.winner == "Atalanta (ITA)"


def test_score_in_the_middle_and_awarded() -> None:
    # italy/2020-21/1-seriea.txt
    text = "▪ Matchday 1\nSat Sep 19\n  20:45  Hellas Verona FC         3-0  AS Roma                  [awarded]\n"
    m = one(text, "2020-21", "serie-a")
    assert (m.home, m.away, m.score, m.status, m.date) == (
        "Hellas Verona FC",
        "AS Roma",
        (3, 0),
        "awarded",
        dt.date(2020, 9, 19),
    )
    assert not m.played


def test_full_date_with_year_and_v_format_without_half_time() -> None:
    # italy/2013-14/1-seriea.txt
    m = one(
        "▪ Matchday 1\n  Sat Aug 24 2013\n    20:45  Genoa CFC               v AS Livorno               0-0\n",
        "2013-14",
        "serie-a",
    )
    assert (m.date, m.score, m.ht) == (dt.date(2013, 8, 24), (0, 0), None)


@pytest.mark.parametrize(
    ("line", "score", "ht", "aet", "pens"),
    [
        # italy/2020-21/cup.txt
        ("  16:00  Carpi FC                 1-3 a.e.t. (1-1, 0-1)  Casarano", (1, 3), (0, 1), True, None),
        (
            "         Cosenza Calcio           3-1 pen. 0-0 a.e.t. (0-0)  US Alessandria 1912",
            (0, 0),
            None,
            True,
            (3, 1),
        ),
        # italy/2024-25/cup.txt: a shoot-out straight after 90 minutes
        (
            "  21:15  AC Monza                v FC Südtirol              9-8 pen. (0-0)",
            (0, 0),
            None,
            False,
            (9, 8),
        ),
        (
            "  18:00  US Cremonese            v SSC Bari                 5-4 pen. (1-1, 0-0)",
            (1, 1),
            (0, 0),
            False,
            (5, 4),
        ),
        # champions-league/2021-22/conf.txt
        (
            "     PAOK Saloniki (GRE)     v FC Midtjylland (DEN)     5-3 pen. 2-1 a.e.t. (2-1, 2-0)",
            (2, 1),
            (2, 0),
            True,
            (5, 3),
        ),
    ],
)
def test_extra_time_and_penalty_forms(
    line: str, score: tuple, ht: tuple | None, aet: bool, pens: tuple | None
) -> None:
    m = one(f"▪ Round 1\nWed Sep 23\n{line}\n", "2020-21", "coppa-italia")
    assert (m.score, m.ht, m.extra_time, m.penalties) == (score, ht, aet, pens)


def test_world_cup_final_with_venue_goals_pen_and_penalties_after() -> None:
    # worldcup/2006--germany/cup_finals.txt
    text = (
        "▪ Final\n\n"
        "Sun Jul 9    Italy   1-1 a.e.t. (1-1, 1-1), 5-3 pen.   France      @ Olympiastadion, Berlin\n"
        "                     (Materazzi 19'; Zidane 7' (pen.))\n"
    )
    m = one(text, "2006", "world-cup")
    assert (m.date, m.score, m.penalties, m.extra_time) == (dt.date(2006, 7, 9), (1, 1), (5, 3), True)
    assert (m.venue, m.city, m.stadium, m.winner) == (
        "Olympiastadion, Berlin",
        "Berlin",
        "Olympiastadion",
        "Italy",
    )
    assert [(g.player, g.minute, g.side, g.penalty) for g in m.goals] == [
        ("Materazzi", "19", "home", False),
        ("Zidane", "7", "away", True),
    ]


def test_goals_over_two_lines_with_own_goal_and_stoppage_time() -> None:
    # euro/2024--germany/euro.txt
    text = (
        "▪ Group A\nFri Jun 14 \n"
        "  21:00         Germany   5-1 (3-0)  Scotland     @ München\n"
        "                          (Wirtz 10' Musiala 19' Havertz 45+1' (pen.) Füllkrug 68' Can 90+3'; \n"
        "                           Rüdiger 87' (o.g.))\n"
        "    Germany:    Neuer - Kimmich, Rüdiger, Tah [Y], Mittelstädt - Andrich [Y] (Groß 46'),\n"
        "                Kroos (Can 80') - Musiala (Müller 74'), Gündogan,\n"
    )
    m = one(text, "2024", "euro")
    assert len(m.goals) == 6 and m.goals[2].minute == "45+1" and m.goals[2].penalty
    assert m.goals[-1].own_goal and m.goals[-1].side == "away" and m.city == "München"


def test_old_euro_forms_date_venue_heading_and_shootout_list() -> None:
    # euro/1976--yugoslavia/euro.txt
    text = (
        "▪ Final\n"
        "June 20 20:15 @ Beograd, Crvena zvezda\n"
        "Czechoslovakia   2-2 a.e.t., 5-3 pen.  West Germany\n"
        "  (Svehlík 8, Dobiás 25; D.Müller 28, Hölzenbein 89)\n"
        "  Penalties: 1-0 Masny,  1-1 Bonhof,\n"
        "             2-1 Nehoda, 2-2 Flohe,\n"
    )
    m = one(text, "1976", "euro")
    assert (m.date, m.venue, m.penalties, m.winner) == (
        dt.date(1976, 6, 20),
        "Beograd, Crvena zvezda",
        (5, 3),
        "Czechoslovakia",
    )
    assert [g.minute for g in m.goals] == ["8", "25", "28", "89"]


def test_aet_pen_in_brackets_after_the_away_side() -> None:
    # euro/2004--portugal/euro.txt
    m = one(
        "▪ Quarter-finals\nJune 24 19:45  Portugal           2-2 England      (aet, 6-5 pen)  @ Estádio da Luz, Lisbon\n",
        "2004",
        "euro",
    )
    assert (m.score, m.extra_time, m.penalties, m.winner) == ((2, 2), True, (6, 5), "Portugal")


def test_golden_and_silver_goal_tails() -> None:
    # euro/2000--belgium-netherlands/euro.txt and euro/2004--portugal/euro.txt
    final = one(
        "▪ Final\nJuly 2 20:00 @ Rotterdam   France             2-1 Italy                   (aet/gg)\n",
        "2000",
        "euro",
    )
    assert (final.home, final.away, final.score, final.extra_time, final.winner) == (
        "France",
        "Italy",
        (2, 1),
        True,
        "France",
    )
    semi = one(
        "▪ Semi-finals\nJuly 1 19:45   Greece             1-0 Czech Republic   (aet/sg)    @ Estádio do Dragão, Porto\n",
        "2004",
        "euro",
    )
    assert (semi.away, semi.extra_time, semi.venue) == ("Czech Republic", True, "Estádio do Dragão, Porto")


def test_not_played_and_cancelled() -> None:
    # worldcup/1938--france/cup.txt and champions-league/2021-22/el.txt
    text = (
        "▪ First round\n June 5\n"
        "  Sweden n/p Austria   [cancelled; Austria withdrew because of Anschluss]  @ Stade Gerland, Lyon\n"
    )
    m = one(text, "1938", "world-cup")
    assert m.score is None and m.status == "cancelled" and not m.played


@pytest.mark.parametrize(
    ("text", "minutes", "pens", "ogs"),
    [
        ("Kü 53pen", ["53"], [True], [False]),  # euro/1972
        (
            "Ondrus 20, Nehoda 114, Vesely 119; Ondrus 77og",
            ["20", "114", "119", "77"],
            [False] * 4,
            [False] * 3 + [True],
        ),
        (
            "Bierhoff 73',95'; Berger 59'(pen)",
            ["73", "95", "59"],
            [False, False, True],
            [False] * 3,
        ),  # euro/1996
        (
            "Neymar 29', 71'pen Oscar 90+1'; Marcelo 11' og",
            ["29", "71", "90+1", "11"],
            [False, True, False, False],
            [False, False, False, True],
        ),
    ],
)
def test_goal_forms(text: str, minutes: list[str], pens: list[bool], ogs: list[bool]) -> None:
    goals = parse_goals(text)
    assert [g.minute for g in goals] == minutes
    assert [g.penalty for g in goals] == pens and [g.own_goal for g in goals] == ogs


def test_unreadable_lines_are_reported_with_file_and_line() -> None:
    result = parse_text(
        "▪ Final\nSun Jul 9\n  this is not a match\n  Italy 1-0 (0-0) France\n", "x.txt", "euro", "2006"
    )
    assert result.problems == ["x.txt:3: not a match, date, round or goal line: this is not a match"]
    assert len(result.matches) == 1


def test_wrong_weekday_is_reported() -> None:
    result = parse_text("▪ Final\nMon Jul 9 2006\n  Italy 1-0 France\n", "x.txt", "world-cup", "2006")
    assert result.problems and "weekday" in result.problems[0]


def test_shipped_records_read_without_a_problem() -> None:
    matches, problems = load_records(PROJECT_ROOT / "content")
    assert problems == []
    assert len(matches) > 9000
    with_goals = [m for m in matches if m.goals and m.score]
    assert with_goals and all(len(m.goals) == sum(m.score) for m in with_goals)


def test_section_heading_and_playoff_round() -> None:
    # italy/2022-23/2-serieb.txt
    text = "== Playout\n\n▪ Playout\nThu May 25\n  20:30  AC Perugia Calcio        v Bari  1-0\n"
    result = parse_text(text, "b.txt", "serie-b", "2022-23")
    assert not result.problems and result.matches[0].round == "Playout"


def test_two_minutes_without_a_comma() -> None:
    # worldcup/2022--qatar/cup.txt
    goals = parse_goals("Kylian Mbappé 61' 86'; Andreas Christensen 68'", 2, 1)
    assert [(g.player, g.minute, g.side) for g in goals] == [
        ("Kylian Mbappé", "61", "home"),
        ("Kylian Mbappé", "86", "home"),
        ("Andreas Christensen", "68", "away"),
    ]
