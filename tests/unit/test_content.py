"""Content loader: every malformed entry is rejected with its location; sync is idempotent."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot import PROJECT_ROOT
from bot.content.loader import ContentError, load_content, parse_text
from bot.content.schema import BankFile, FactFile
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
    return yaml.safe_dump({"bank": "test-bank", "title": "T", "questions": [q]})


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
    text = yaml.safe_dump({"bank": "b", "title": "T", "questions": [GOOD_Q, GOOD_Q]})
    with pytest.raises(ContentError, match="'q1' appears more than once"):
        parse_text(text, BankFile, "b.yaml")


def test_dated_fact_needs_date_source() -> None:
    text = yaml.safe_dump(
        {"pack": "p", "title": "T", "facts": [{"id": "f1", "text": "x", "date": "2024-05-22", "source": "s"}]}
    )
    with pytest.raises(ContentError, match=r"facts\[0\] \(id f1\).*date_source"):
        parse_text(text, FactFile, "f.yaml")


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


def test_shipped_content_is_big_enough() -> None:
    content = load_content(CONTENT)
    assert sum(len(b.questions) for b in content.banks) >= 40
    assert sum(len(p.facts) for p in content.packs) >= 30


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not ARTICLE.exists(), reason="seed article not beside the checkout")
def test_every_source_quotes_the_article() -> None:
    article = _squash(ARTICLE.read_text(encoding="utf-8"))
    content = load_content(CONTENT)
    entries = [q for b in content.banks for q in b.questions] + [f for p in content.packs for f in p.facts]
    missing = [e.id for e in entries if _squash(e.source) not in article]
    assert not missing


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
    facts = [f for p in load_content(CONTENT).packs for f in p.facts if f.date]
    assert facts
    assert {f.date.isoformat() for f in facts} <= SEED_DATES


async def test_sync_is_idempotent_and_updates(db, tmp_path: Path) -> None:
    content = load_content(CONTENT)
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
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    async with db.sessions.begin() as s:
        report = await sync_content(s, load_content(tmp_path / "c2"))
    assert (report.added, report.updated, report.deactivated) == (0, 1, 1)
    async with db.sessions() as s:
        first = await s.get(Question, f"gasperini-atalanta:{data['questions'][0]['id']}")
        gone = await s.get(Question, f"gasperini-atalanta:{removed['id']}")
    assert first is not None and first.text == "Edited question?"
    assert gone is not None and gone.active is False


def test_alias_bomb_in_a_content_file_is_capped() -> None:
    from tests.unit.test_formats import ALIAS_BOMB

    with pytest.raises(ContentError, match="too many values"):
        parse_text(ALIAS_BOMB, BankFile, "bomb.yaml")
