"""Content loader: every malformed entry is rejected with its location; sync is idempotent."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot import PROJECT_ROOT
from bot.content.loader import Content, ContentError, load_content, parse_text
from bot.content.schema import BankFile, FactFile, QuestionEntry
from bot.content.yamlio import dump_yaml
from bot.quiz.matcher import AnswerKey
from db.models import Fact, Question
from db.queries.content import sync_content

CONTENT = PROJECT_ROOT / "content"
ARTICLE = PROJECT_ROOT.parent / "shared" / "seed" / "gasperini-atalanta.txt"

GOOD_Q = {
    "id": "q1",
    "question": "Who?",
    "answer": "Lookman",
    "aliases": ["Ademola"],
    "choices": ["A", "B", "C"],
    "category": "Cat",
    "difficulty": "easy",
    "source": "article",
}


def bank_text(**changes: object) -> str:
    q = GOOD_Q | changes
    q = {k: v for k, v in q.items() if v is not ...}
    return dump_yaml({"bank": "test-bank", "title": "T", "questions": [q]})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"answer": ""}, r"questions\[0\] \(id q1\) field 'answer'"),
        ({"answer": ...}, r"field 'answer': Field required"),
        ({"choices": ["A", "B"]}, r"exactly 3 wrong answers"),
        ({"choices": ["Lookman", "B", "C"]}, r"repeats the answer"),
        ({"difficulty": "impossible"}, r"field 'difficulty'"),
        ({"id": "Bad Id!"}, r"field 'id'"),
        ({"question": "x" * 400}, r"field 'question'"),
        ({"aliases": "Lookman"}, r"field 'aliases'"),
        ({"colour": "blue"}, r"field 'colour': Extra inputs"),
        ({"source": ...}, r"field 'source'"),
    ],
)
def test_bad_question_is_located(changes: dict, expected: str) -> None:
    with pytest.raises(ContentError) as info:
        parse_text(bank_text(**changes), BankFile, "banks/test.yaml")
    assert info.value.path == "banks/test.yaml"
    assert re.search(expected, str(info.value)), str(info.value)


def test_bad_yaml_names_the_line() -> None:
    with pytest.raises(ContentError, match=r"line 4: not valid YAML"):
        parse_text("bank: x\ntitle: y\nquestions: [\n  - {id: q1\n", BankFile, "b.yaml")


def test_duplicate_ids_rejected() -> None:
    text = dump_yaml({"bank": "b", "title": "T", "questions": [GOOD_Q, GOOD_Q]})
    with pytest.raises(ContentError, match="'q1' appears more than once"):
        parse_text(text, BankFile, "b.yaml")


def test_dated_fact_needs_date_source() -> None:
    text = dump_yaml(
        {"pack": "p", "title": "T", "facts": [{"id": "f1", "text": "x", "date": "2024-05-22", "source": "s"}]}
    )
    with pytest.raises(ContentError, match=r"facts\[0\] \(id f1\).*date_source"):
        parse_text(text, FactFile, "f.yaml")


def test_unstorable_text_is_cleaned_at_every_level() -> None:
    """NUL (a YAML or JSON escape) and lone surrogates (JSON) go from the file's own fields, from every
    entry's fields, lists and keys, whether an entry is validated in its file or on its own (an import)."""
    text = (
        'bank: test-bank\ntitle: "T\\0itle"\nquestions:\n'
        '  - {id: q1, "que\\0stion": "Wh\\0o?", answer: "Look\\0man", aliases: ["Ade\\0mola"],\n'
        '     choices: ["A\\0", "B", "C"], category: Cat, source: "s\\0"}\n'
    )
    bank = parse_text(text, BankFile, "b.yaml")
    q = bank.questions[0]
    assert bank.title == "Title"
    assert (q.question, q.answer, q.aliases, q.choices, q.source) == (
        "Who?",
        "Lookman",
        ["Ademola"],
        list("ABC"),
        "s",
    )
    raw = {
        "bank": "test-bank",
        "title": "T\ud800itle \u00e8",
        "questions": [GOOD_Q | {"question": "Wh\udfffo? \u00e8\x00", "ali\x00ases": ["Ade\ud83d\x00"]}],
    }
    bank = BankFile.model_validate(raw)
    assert (bank.title, bank.questions[0].question, bank.questions[0].aliases) == (
        "Title \u00e8",
        "Who? \u00e8",
        ["Ade"],
    )
    alone = QuestionEntry.model_validate(
        GOOD_Q | {"answer": "Look\x00man \ud83d", "choices": ["A\x00", "B", "C"]}
    )
    assert (alone.answer, alone.choices) == ("Lookman", list("ABC"))


def test_bad_file_loads_nothing(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    (tmp_path / "content" / "banks" / "zz-broken.yaml").write_text(bank_text(answer=""))
    with pytest.raises(ContentError, match=r"zz-broken\.yaml"):
        load_content(tmp_path / "content")


def test_binary_file_rejected(tmp_path: Path) -> None:
    (tmp_path / "banks").mkdir()
    (tmp_path / "banks" / "x.yaml").write_bytes(b"\x00\x01\x02")
    with pytest.raises(ContentError, match="binary"):
        load_content(tmp_path)


def test_shipped_content_is_big_enough(shipped_content: Content) -> None:
    content = shipped_content
    assert sum(len(b.questions) for b in content.banks) >= 40
    assert sum(len(p.facts) for p in content.packs) >= 30


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not ARTICLE.exists(), reason="seed article not beside the checkout")
def test_every_source_quotes_the_article(shipped_content: Content) -> None:
    article = _squash(ARTICLE.read_text(encoding="utf-8"))
    content = shipped_content
    entries = [q for b in content.banks for q in b.questions if not b.bank.startswith("gen-")]
    entries += [f for p in content.packs for f in p.facts if p.pack == "gasperini-atalanta"]
    missing = [e.id for e in entries if not e.note and not _quotes_article(e.source, article)]
    assert not missing


def _quotes_article(source: str, article: str) -> bool:
    """Every part of an excerpt ("…" marks the cuts) is the article's own words."""
    parts = [_squash(part) for part in source.split("…")]
    return all(part in article for part in parts if part)


def test_sources_are_excerpts_that_show_their_support() -> None:
    """A long sentence is cut to the part that supports the entry, so it is shown, not trimmed away."""
    content = load_content(CONTENT, generated=False)
    entries = {e.id: e for b in content.banks for e in b.questions} | {
        e.id: e for p in content.packs for e in p.facts
    }
    assert "Club Brugge" in entries["f008"].source[:140]
    assert "Dublin" in entries["f001"].source[:140] and "Lookman" in entries["f001"].source[:140]
    assert "Foggia and Rimini" in entries["q013"].source[:140]
    assert all(len(e.source) <= 400 for e in entries.values()), "cut long sources to their support"


def test_demo_transcript_shows_whole_fields() -> None:
    from bot.demo import render
    from discord_emulator import SentMessage

    long = "word " * 60 + "the supporting part"
    embed = {"fields": [{"name": "Source", "value": long}]}
    msg = SentMessage(id=1, channel_id=1, kind="channel", payload={"embeds": [embed]}, request={})
    assert "the supporting part" in render(msg)


SEED_DATES = {
    "2019-05-15",
    "2020-08-12",
    "2021-05-19",
    "2024-04-11",
    "2024-04-18",
    "2024-05-15",
    "2024-05-22",
    "2025-02-18",
    "2025-06-05",
}


def test_only_checked_dates_are_used() -> None:
    """Hand-written facts use only the checked dates (generated ones carry their match record)."""
    facts = [f for p in load_content(CONTENT, generated=False).packs for f in p.facts if f.date]
    assert facts
    assert {f.date.isoformat() for f in facts} <= SEED_DATES


async def test_sync_is_idempotent_and_updates(db, tmp_path: Path, shipped_content: Content) -> None:
    content = shipped_content
    async with db.sessions.begin() as s:
        again = await sync_content(s, content)
    assert again.added == 0 and again.updated == 0  # the fixture synced once already
    async with db.sessions() as s:
        n_q = await s.scalar(select(func.count()).select_from(Question))
        n_f = await s.scalar(select(func.count()).select_from(Fact))
    assert n_q == sum(len(b.questions) for b in content.banks)
    assert n_f == sum(len(p.facts) for p in content.packs)

    shutil.copytree(CONTENT, tmp_path / "c2")
    path = tmp_path / "c2" / "banks" / "gasperini-atalanta.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"][0]["question"] = "Edited question?"
    removed = data["questions"].pop()
    path.write_text(dump_yaml(data, allow_unicode=True), encoding="utf-8")
    async with db.sessions.begin() as s:
        report = await sync_content(s, load_content(tmp_path / "c2"))
    assert (report.added, report.updated, report.deactivated) == (0, 1, 1)
    async with db.sessions() as s:
        first = await s.get(Question, f"gasperini-atalanta:{data['questions'][0]['id']}")
        gone = await s.get(Question, f"gasperini-atalanta:{removed['id']}")
    assert first is not None and first.text == "Edited question?"
    assert gone is not None and gone.active is False


def _shipped(qid: str) -> QuestionEntry:
    bank = next(b for b in load_content(CONTENT, generated=False).banks if b.bank == "gasperini-atalanta")
    return next(q for q in bank.questions if q.id == qid)


def test_hand_written_fixes_in_matching() -> None:
    """q041 takes the score either way round; q010's clue ("La Dea") is not its own answer."""
    anfield = _shipped("q041")
    key = AnswerKey.build(anfield.answer, anfield.aliases, anfield.choices)
    assert key.matches("0-3") and key.matches("3-0") and not key.matches("2-0")
    dea = _shipped("q010")
    key = AnswerKey.build(dea.answer, dea.aliases, dea.choices)
    assert key.matches("Atalanta") and not key.matches("La Dea")


def test_hand_written_fixes_in_text() -> None:
    """The corrections of issue 13 part 7, each with a note where the article is wrong."""
    assert _shipped("q015").answer == "fifth" and "wrong" in (_shipped("q015").note or "")
    assert "Częstochowa" not in _shipped("q044").question and "Graz" not in _shipped("q055").question
    assert not {"Brescia", "Parma"} & set(_shipped("q013").choices)
    assert not {"Fiorentina", "Lazio", "Roma"} & set(_shipped("q049").choices)
    assert "coach of the year" not in _shipped("q052").question and "Inzaghi" in (_shipped("q052").note or "")
    facts = {f.id: f for p in load_content(CONTENT, generated=False).packs for f in p.facts}
    assert "2024-25" in facts["f014"].text and "fifth" in facts["f012"].text
    assert "first defeat of the season" in facts["f030"].text
    assert "by five goals" in facts["f020"].text
    assert "24,950" in facts["f024"].text and "2025" in facts["f024"].text
    assert "coach of the year" not in facts["f026"].text


def test_alias_bomb_in_a_content_file_is_capped() -> None:
    from tests.unit.test_formats import ALIAS_BOMB

    with pytest.raises(ContentError, match="too many values"):
        parse_text(ALIAS_BOMB, BankFile, "bomb.yaml")
