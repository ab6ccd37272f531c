"""Bank formats: each round-trips; each malformed case has its own error and writes nothing."""

from __future__ import annotations

import json

import pytest
import yaml
from sqlalchemy import func, select

from bot import PROJECT_ROOT
from bot.content.formats import FORMATS, BankFileError, decode, export, guess_format, parse
from bot.content.importer import import_bank
from db.models import Question
from db.queries.banks import bank_writer

BANK = (PROJECT_ROOT / "content" / "banks" / "gasperini-atalanta.yaml").read_text(encoding="utf-8")
G = 777


def fields(entries, fmt):
    keep = (
        ("question", "answer", "aliases")
        if fmt == "red"
        else ("id", "question", "answer", "aliases", "choices", "category", "difficulty", "source")
    )
    if fmt == "opentdb":
        keep = ("question", "answer", "choices", "category", "difficulty")
    return [
        tuple(getattr(e, k) if not isinstance(getattr(e, k), list) else tuple(getattr(e, k)) for k in keep)
        for e in entries
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(fmt: str) -> None:
    first = parse(export(parse(BANK, "yaml").entries, fmt), fmt)  # import in this format
    again = parse(export(first.entries, fmt), fmt)  # export → import
    assert not first.problems and not again.problems
    assert len(first.entries) == 55
    assert fields(again.entries, fmt) == fields(first.entries, fmt)


def test_opentdb_entities_and_choices() -> None:
    doc = {
        "response_code": 0,
        "results": [
            {
                "category": "Sports",
                "type": "multiple",
                "difficulty": "hard",
                "question": "Which club plays at the &quot;Gewiss Stadium&quot;?",
                "correct_answer": "Atalanta",
                "incorrect_answers": ["Inter", "Milan", "Torino &amp; co"],
            }
        ],
    }
    entry = parse(json.dumps(doc), "opentdb").entries[0]
    assert entry.question == 'Which club plays at the "Gewiss Stadium"?'
    assert entry.choices == ["Inter", "Milan", "Torino & co"] and entry.difficulty == "hard"


def test_red_list_with_author_and_config() -> None:
    text = (
        "AUTHOR: Someone\nCONFIG:\n  delay: 20\nWho scored three in Dublin?:\n- Lookman\n- Ademola Lookman\n"
    )
    entries = parse(text, "red").entries
    assert len(entries) == 1 and entries[0].answer == "Lookman" and entries[0].aliases == ["Ademola Lookman"]


def test_guess_format() -> None:
    assert guess_format("x.csv", "") == "csv"
    assert guess_format("x.json", "") == "opentdb"
    assert guess_format("x.yaml", "bank: a\nquestions: []") == "yaml"
    assert guess_format("trivia.yaml", "Who?:\n- Me\n") == "red"


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        (b"bank: x\nquestions: [\n  - {", "yaml", "Not valid YAML at line"),
        (b"\x00\x01\x02binary", "yaml", "binary file"),
        (b"\xff\xfe\xfa not utf8", "csv", "isn't UTF-8"),
        (b"x" * (2 * 1024 * 1024 + 1), "red", "limit is 2 MB"),
        (b'{"results": 5}', "opentdb", "needs a `results` list"),
        (b"title,answer\nA,B\n", "csv", "missing question"),
        (b"bank: x\n", "yaml", "needs a `questions:` list"),
    ],
)
def test_whole_file_errors(data: bytes, fmt: str, message: str) -> None:
    with pytest.raises(BankFileError, match=message):
        parse(decode(data), fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "fmt", "problem"),
    [
        ("question,answer\nWho?,\n", "csv", "line 2: answer"),
        (
            "questions:\n- {question: 'Who?', answer: 5, choices: [a]}\n",
            "yaml",
            "entry 1: choices must list exactly 3",
        ),
        ("questions:\n- {question: [1, 2], answer: x}\n", "yaml", "entry 1: question"),
        ("Who?: []\n", "red", "needs a list of answers"),
        ("question,answer\nWho?,A\nwho? ,B\n", "csv", "duplicate of question 1"),
        ("question,answer\n" + "x" * 400 + ",A\n", "csv", "line 2: question"),
    ],
)
def test_entry_errors_are_located(text: str, fmt: str, problem: str) -> None:
    parsed = parse(text, fmt)  # type: ignore[arg-type]
    assert any(problem in p for p in parsed.problems), parsed.problems


async def count(db) -> int:
    async with db.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(Question).where(Question.guild_id == G)))


async def test_bad_entry_writes_nothing_unless_skipped(db) -> None:
    text = "question,answer,category\nGood one?,Yes,Fun\nBad one?,,Fun\n"
    report = await import_bank(bank_writer(db.sessions, G), "bank.csv", text.encode())
    assert not report.written and report.rejected == 1 and "line 3: answer" in report.summary()
    assert await count(db) == 0
    report = await import_bank(bank_writer(db.sessions, G), "bank.csv", text.encode(), skip_bad=True)
    assert report.written and (report.added, report.rejected) == (1, 1)
    assert await count(db) == 1
    again = await import_bank(
        bank_writer(db.sessions, G), "bank.csv", b"question,answer,category\nGood one?,Yes!,Fun\n"
    )
    assert (again.added, again.updated) == (0, 1)  # same question text: updated, not doubled
    assert await count(db) == 1


async def test_import_is_one_transaction(db, monkeypatch) -> None:
    from db.queries import banks

    async def boom(session, guild_id, entries):
        session.add(
            Question(
                id=f"g{G}:server:partial",
                bank="server",
                guild_id=G,
                text="t",
                answer="a",
                aliases=[],
                choices=[],
                category="c",
                difficulty="easy",
                source="s",
                active=True,
            )
        )
        await session.flush()
        raise RuntimeError("disk full")

    monkeypatch.setattr("db.queries.banks.import_entries", boom)
    with pytest.raises(RuntimeError):
        await import_bank(
            bank_writer(db.sessions, G),
            "b.yaml",
            yaml.safe_dump({"questions": [{"question": "Q?", "answer": "A"}]}).encode(),
        )
    assert await count(db) == 0
    assert banks.SERVER_BANK == "server"


ALIAS_BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
    "questions:\n- {question: *h, answer: *h}\n"
)


@pytest.mark.parametrize("fmt", ["yaml", "red"])
def test_yaml_aliases_are_refused_with_their_line(fmt: str) -> None:
    with pytest.raises(BankFileError, match=r"line 2: .*alias"):
        parse(ALIAS_BOMB, fmt)  # type: ignore[arg-type]


def test_yaml_node_count_is_capped() -> None:
    text = "questions:\n- [" + ", ".join(["1"] * 400_000) + "]\n"
    with pytest.raises(BankFileError, match="too many"):
        parse(text, "yaml")


@pytest.mark.parametrize(
    ("text", "fmt", "line"),
    [
        ("questions:\n- " + "[" * 5000 + "]" * 5000 + "\n", "yaml", 2),
        ("Who?:\n  " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", "red", 2),
        ('{"results": \n' + "[" * 100_000 + "]" * 100_000 + "}", "opentdb", 2),
    ],
    ids=["yaml", "red", "opentdb"],
)
def test_deep_nesting_is_a_located_error(text: str, fmt: str, line: int) -> None:
    with pytest.raises(BankFileError, match=rf"line {line}: nested too deeply"):
        parse(text, fmt)  # type: ignore[arg-type]


def test_entry_cap_applies_before_validation(monkeypatch) -> None:
    from bot.content import formats

    calls = []
    monkeypatch.setattr(formats, "MAX_QUESTIONS", 10)
    monkeypatch.setattr(formats, "_entry", lambda *a, **k: calls.append(a))
    rows = "\n".join(f"Q{i}?,A" for i in range(50))
    for fmt, text in (
        ("csv", "question,answer\n" + rows + "\n"),
        ("yaml", "questions:\n" + "".join(f"- {{question: Q{i}?, answer: A}}\n" for i in range(50))),
        ("red", "".join(f"Q{i}?: [A]\n" for i in range(50))),
        ("opentdb", json.dumps({"results": [{"question": f"Q{i}"} for i in range(50)]})),
    ):
        with pytest.raises(BankFileError, match="over 10 questions"):
            parse(text, fmt)  # type: ignore[arg-type]
    assert len(calls) <= 11


def test_csv_export_defuses_formulas_and_round_trips() -> None:
    from bot.content.schema import QuestionEntry

    nasty = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    entries = [
        QuestionEntry(id=f"q{i}", question=f"{v} question {i}?", answer=v, category=v, source=v)
        for i, v in enumerate(nasty)
    ]
    text = export(entries, "csv")
    import csv as csvmod
    import io

    for row in csvmod.DictReader(io.StringIO(text, newline="")):
        for key in ("question", "answer", "category", "source"):
            assert not row[key].startswith(("=", "+", "-", "@", "\t", "\r")), row[key]
    back = parse(text, "csv")
    assert not back.problems
    assert [(e.question, e.answer, e.category, e.source) for e in back.entries] == [
        (e.question, e.answer.strip(), e.category.strip(), e.source.strip()) for e in entries
    ]


def test_opentdb_export_and_import_are_inverse_for_entities() -> None:
    from bot.content.schema import QuestionEntry

    entry = QuestionEntry(
        id="t",
        question="Is it Tom &amp; Jerry <b>?",
        answer="Tom &amp; Jerry",
        choices=["A &lt; B", "it's", 'say "hi"'],
        category="Cartoons &amp; co",
        source="s",
    )
    back = parse(export([entry], "opentdb"), "opentdb").entries[0]
    assert (back.question, back.answer, back.choices, back.category) == (
        entry.question,
        entry.answer,
        entry.choices,
        entry.category,
    )


async def test_import_parses_off_the_event_loop(db, monkeypatch) -> None:
    import threading

    from bot.content import importer

    threads: list[int] = []
    real_decode = importer.decode

    def spy(data: bytes) -> str:
        threads.append(threading.get_ident())
        return real_decode(data)

    monkeypatch.setattr(importer, "decode", spy)
    report = await import_bank(bank_writer(db.sessions, G), "b.csv", b"question,answer\nQ?,A\n")
    assert report.written and threads and threads[0] != threading.get_ident()
