"""Generated questions and facts: enough of them, valid, traceable, never ambiguous, deterministic."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from bot import PROJECT_ROOT
from bot.content.clubs import key
from bot.content.generate import build
from bot.content.generate.context import Records
from bot.content.generate.facts import fact_rank, generate_facts
from bot.content.generate.questions import generate_questions
from bot.facts.ago import dated_title, years_ago, years_ago_text
from bot.quiz.engine import QuestionView, Round

CONTENT = PROJECT_ROOT / "content"


@pytest.fixture(scope="module")
def records() -> Records:
    return Records.load(CONTENT)


@pytest.fixture(scope="module")
def generated():  # type: ignore[no-untyped-def]
    return build(CONTENT)


def questions(generated) -> list:  # type: ignore[no-untyped-def]
    return [q for b in generated.banks for q in b.questions]


def test_enough_questions_and_days(generated) -> None:  # type: ignore[no-untyped-def]
    qs = questions(generated)
    assert len(qs) >= 3000
    facts = [f for p in generated.packs for f in p.facts]
    days = Counter((f.date.month, f.date.day) for f in facts if f.date)
    assert len(days) >= 360
    assert sum(1 for n in days.values() if n >= 3) >= 300


def test_ids_unique_and_stable(generated) -> None:  # type: ignore[no-untyped-def]
    ids = [f"{b.bank}:{q.id}" for b in generated.banks for q in b.questions]
    assert len(ids) == len(set(ids))
    again = build(CONTENT)
    assert [q.model_dump() for b in again.banks for q in b.questions] == [
        q.model_dump() for q in questions(generated)
    ]
    assert [f.model_dump() for p in again.packs for f in p.facts] == [
        f.model_dump() for p in generated.packs for f in p.facts
    ]


def test_no_two_questions_ask_the_same(records: Records) -> None:
    drafts = [d for v in generate_questions(records).values() for d in v]
    assert len({d.asks for d in drafts}) == len(drafts)
    assert len({key(d.question) for d in drafts}) == len(drafts)


def test_every_question_is_complete(generated) -> None:  # type: ignore[no-untyped-def]
    for q in questions(generated):
        assert q.competition, q.id
        assert len(q.choices) == 3 and len(q.choices_it) == 3, q.id
        assert q.question_it and q.answer_it, q.id
        assert q.source and ("openfootball" in q.source), q.id
        assert q.difficulty in ("easy", "medium", "hard")
        if key(q.answer_it) != key(q.answer):
            assert q.answer_it in q.aliases, q.id


def test_wrong_choices_are_never_accepted(generated) -> None:  # type: ignore[no-untyped-def]
    """No wrong choice is the answer under the matcher (e.g. a score written the other way round)."""
    for q in questions(generated):
        view = QuestionView(
            q.id, q.question, q.answer, tuple(q.aliases), tuple(q.choices), q.category, q.difficulty
        )
        key_ = Round(1, view, "typed", 20).key
        assert key_.matches(q.answer), q.id
        assert not any(key_.matches(c) for c in q.choices), (q.id, q.answer, q.choices)


def test_club_questions_name_their_clubs(generated) -> None:  # type: ignore[no-untyped-def]
    serie_a = [q for q in questions(generated) if q.competition == "serie-a"]
    assert serie_a and all(q.clubs for q in serie_a)
    atalanta = [q for q in serie_a if "atalanta" in q.clubs]
    assert len(atalanta) >= 100


def test_known_answers(records: Records) -> None:
    drafts = {d.question: d for v in generate_questions(records).values() for d in v}
    assert drafts["Who won Serie A in 2016-17?"].answer == "Juventus"
    assert drafts["How many points did Napoli finish with in Serie A 2022-23?"].answer == "90"
    assert drafts["Who won the Europa League final in 2023-24?"].answer == "Atalanta"
    assert drafts["Who won the 2006 World Cup?"].answer == "Italy"
    assert drafts["In which city was the final of the 2006 World Cup played?"].answer == "Berlin"
    # a position decided by head-to-head is never asked (Inter/Lazio 2017-18, both on 72 points)
    assert "Where did Lazio finish in Serie A 2017-18?" not in drafts
    # a figure that hangs on a federation deduction is not asked
    assert "How many points did Juventus finish with in Serie A 2022-23?" not in drafts


def test_facts_name_the_year_and_why(records: Records) -> None:
    facts = generate_facts(records)
    assert all(f.text.startswith(f"In {f.date.year}, ") for f in facts)
    assert all(f.text_it.startswith(f"Nel {f.date.year} ") for f in facts)
    assert all(":" in f.text or "on the way" in f.text for f in facts), "every fact says why it matters"
    assert not any(re.fullmatch(r"In \d{4}, [^:]* \d+-\d+\.", f.text) for f in facts), "never a bare score"
    finals = {f.text for f in facts if f.date == dt.date(2006, 7, 9)}
    assert any("Italy's fourth World Cup title" in t for t in finals)
    germany = next(f for f in facts if f.date == dt.date(2014, 7, 13))
    assert "Germany's fourth World Cup title" in germany.text  # West Germany's titles count for Germany


def test_facts_rank_hand_written_then_by_kind() -> None:
    assert fact_rank("gasperini-atalanta:f001") == 0
    assert fact_rank("records-on-this-day:final-0123456789") < fact_rank(
        "records-on-this-day:standings-0123456789"
    )


def test_years_ago_at_display_time() -> None:
    then = dt.date(2006, 7, 9)
    assert years_ago(then, dt.date(2026, 7, 9)) == 20 and years_ago(then, dt.date(2026, 7, 8)) == 19
    assert years_ago_text(then, dt.date(2007, 7, 9)) == "a year ago"
    assert years_ago_text(then, dt.date(2006, 12, 1)) == "this year"
    assert years_ago_text(then, dt.date(2026, 7, 9), "it") == "20 anni fa"
    assert years_ago_text(then, dt.date(2007, 7, 9), "it") == "un anno fa"
    assert years_ago_text(then, dt.date(2006, 12, 1), "it") == "quest'anno"
    assert (
        dated_title(then, dt.date(2026, 7, 9), on_this_day=True) == "On this day, 9 July 2006 · 20 years ago"
    )
    assert dated_title(then, dt.date(2026, 7, 9), "it") == "9 luglio 2006 · 20 anni fa"


@pytest.mark.parametrize("edited", ["clubs.py", "schema.py", "loader.py", "records/football_txt.py"])
def test_editing_code_that_shapes_content_changes_the_digest(
    edited: str, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The club table, the schema (cleaning, validation) and the loader shape the stored rows as much as
    the generators do: editing any of them re-syncs at the next start (clubs.py, schema.py once did not)."""
    import shutil

    from bot.content import generate

    code = shutil.copytree(generate.CONTENT_CODE, tmp_path / "content-code")
    monkeypatch.setattr(generate, "CONTENT_CODE", code)
    empty = tmp_path / "content"
    empty.mkdir()
    before = generate.content_digest(empty)
    (code / edited).write_text((code / edited).read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert generate.content_digest(empty) != before
