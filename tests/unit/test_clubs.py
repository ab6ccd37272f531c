"""The club table: record spellings resolve to one club; typed answers accept every form of a club."""

from __future__ import annotations

import pytest

from bot import PROJECT_ROOT
from bot.content.clubs import club_table, load_clubs
from bot.content.records.sources import load_records
from bot.quiz.engine import QuestionView, Round

TABLE = club_table()


@pytest.mark.parametrize(
    ("answer", "aliases", "choices", "typed"),
    [
        ("Juventus", ["Juve"], ["Lazio", "Inter", "Napoli"], "Juventus FC"),
        ("Roma", ["AS Roma"], ["Juventus", "Napoli", "Lazio"], "A.S. Roma"),
        ("Paris Saint-Germain", ["PSG"], ["Barcelona", "Real Madrid", "Bayern Munich"], "Paris St Germain"),
        ("Midtjylland", [], ["Copenhagen", "Brøndby", "Nordsjælland"], "FC Midtjylland"),
        ("Midtjylland", [], ["Copenhagen", "Brøndby", "Nordsjælland"], "Midtjylland FC"),
        ("Atalanta", [], ["Roma", "Genoa", "Parma"], "La Dea"),
        ("Inter", [], ["Juventus", "Milan", "Napoli"], "Internazionale"),
    ],
)
def test_answer_accepts_club_forms(answer: str, aliases: list[str], choices: list[str], typed: str) -> None:
    question = QuestionView("t:1", "Which club…?", answer, tuple(aliases), tuple(choices), "Clubs", "easy")
    assert Round(1, question, "typed", 20).key.matches(typed)


def test_club_forms_do_not_cross_clubs() -> None:
    question = QuestionView(
        "t:1", "Which club…?", "Inter", (), ("Juventus", "AC Milan", "Napoli"), "C", "easy"
    )
    key = Round(1, question, "typed", 20).key
    assert not key.matches("Milan") and not key.matches("Juventus FC") and not key.matches("Roma")


def test_record_spellings_resolve_to_one_club() -> None:
    for spelling in ("Atalanta BC", "Atalanta", "Atalanta (ITA)", "Atalanta BC (ITA)"):
        assert TABLE.resolve(spelling).slug == "atalanta"
    assert TABLE.resolve("FC Internazionale Milano (ITA)").slug == TABLE.resolve("Inter").slug == "inter"
    assert TABLE.resolve("Lazio Roma").slug == "lazio" and TABLE.resolve("AS Roma (ITA)").slug == "roma"
    assert TABLE.resolve("Real Madrid CF (ESP)").slug == TABLE.resolve("Real Madrid (ESP)").slug
    unlisted = TABLE.resolve("1. FC Union Berlin (GER)")
    assert (unlisted.slug, unlisted.name, unlisted.country, unlisted.listed) == (
        "union-berlin",
        "1. FC Union Berlin",
        "GER",
        False,
    )


def test_every_serie_a_spelling_is_listed() -> None:
    matches, _ = load_records(PROJECT_ROOT / "content")
    names = {n for m in matches if m.competition == "serie-a" for n in (m.home, m.away)}
    assert all(TABLE.resolve(n).listed for n in names), [n for n in names if not TABLE.resolve(n).listed]
    assert len({TABLE.resolve(n).slug for n in names}) == 38  # 47 spellings in the records


def test_slugs_are_unique(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "clubs.yaml"
    path.write_text("clubs:\n  - {slug: a, name: A}\n  - {slug: a, name: B}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="twice"):
        load_clubs(path)
