"""The light fact look-ups /fact and /onthisday use on thousands of facts."""

from __future__ import annotations

import datetime as dt

from bot.facts.selection import FactView, matching, matching_ids, nearest_dated, nearest_day

FACTS = [
    FactView("a", "Atalanta won in Dublin.", "src", ("Atalanta", "Europa League"), 2024, 5, 22),
    FactView("b", "Lookman scored three times for La Dea.", "src", ("Lookman",), 2024, 5, 22),
    FactView("c", "Juventus beat Atalanta in the Coppa Italia final.", "src", ("Coppa Italia",), 2024, 5, 15),
    FactView("d", "Italia campione a Berlino.", "src", ("Italy",), 2006, 7, 9),
    FactView("e", "Leap day fixture.", "src", (), 2020, 2, 29),
]


def index() -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.id, f.text, f.tags) for f in FACTS]


def test_a_tag_wins_over_mentions_and_folding_ignores_case_and_accents() -> None:
    assert matching_ids(index(), "atalanta") == ["a"]  # tagged, though "c" mentions it too
    assert matching_ids(index(), "  LOOKMAN ") == ["b"]
    assert matching_ids(index(), "dublin") == ["a"]  # no tag: found in the text
    assert matching_ids(index(), "berlíno") == ["d"]
    assert matching_ids(index(), "Real Madrid") == []
    assert [f.id for f in matching(FACTS, "coppa italia")] == ["c"]


def test_nearest_day_agrees_with_nearest_dated_and_wraps_round_the_year() -> None:
    days = {(f.month, f.day) for f in FACTS if f.month and f.day}
    for probe in (dt.date(2025, 5, 16), dt.date(2025, 7, 10), dt.date(2025, 12, 31), dt.date(2025, 5, 22)):
        expected = nearest_dated(FACTS, probe)
        assert expected is not None
        assert nearest_day(days, probe) == (expected.month, expected.day)
    assert nearest_day(days, dt.date(2025, 7, 10)) == (5, 15)  # 29 February waits for 2028
    assert nearest_day(days, dt.date(2027, 7, 10)) == (2, 29)  # …and comes first after July 2027
    assert nearest_day(days, dt.date(2025, 5, 16)) == (5, 22)
    assert nearest_day([], dt.date(2025, 5, 16)) is None
