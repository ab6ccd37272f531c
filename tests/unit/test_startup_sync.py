"""Start-up content sync, on an empty SQLite file and an empty PostgreSQL database: a first start writes
everything in a few bulk statements; a restart with the same sources writes nothing; an edit to one file
re-syncs just what changed; a bad file or a failure half-way writes nothing at all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import database as database_module
from bot.config import Settings, load_settings
from bot.content.loader import ContentError
from bot.content.yamlio import dump_yaml
from bot.database import CONTENT_STATE as NAME
from bot.database import open_database
from db.engine import make_engine as real_make_engine
from db.models import ContentState, Fact, Question, QuestionClub
from db.queries import content as content_queries

BANKS = {"alpha": 700, "beta": 600}  # over the 500-row chunk, so a per-row or per-chunk write would show
FACTS = 300
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


def question(bank: str, i: int) -> dict[str, Any]:
    return {
        "id": f"q{i}",
        "question": f"{bank} question {i}?",
        "answer": f"Answer {i}",
        "aliases": [f"A{i}"],
        "choices": [f"W{i}a", f"W{i}b", f"W{i}c"],
        "category": "Cat",
        "source": "written for the test",
        "clubs": ["atalanta", "inter"] if i % 3 == 0 else [],
    }


def write_bank(folder: Path, bank: str, questions: list[dict[str, Any]]) -> None:
    text = dump_yaml({"bank": bank, "title": bank.title(), "questions": questions}, sort_keys=False)
    (folder / "banks" / f"{bank}.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder of two banks and a fact pack (no match records: nothing generated)."""
    folder = tmp_path / "content"
    (folder / "banks").mkdir(parents=True)
    (folder / "facts").mkdir()
    for bank, n in BANKS.items():
        write_bank(folder, bank, [question(bank, i) for i in range(n)])
    facts = [{"id": f"f{i}", "text": f"Fact {i}.", "source": "written for the test"} for i in range(FACTS)]
    (folder / "facts" / "test.yaml").write_text(
        dump_yaml({"pack": "test", "title": "T", "facts": facts}), encoding="utf-8"
    )
    return folder


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database, no tables: a first start on a SQLite file, then on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'first.db'}"
    return request.getfixturevalue("empty_postgres_url")


@pytest.fixture
def settings_for(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    monkeypatch.chdir(tmp_path)
    for key in ("DATABASE_URL", "DATA_DIR", "CONTENT_DIR"):
        monkeypatch.delenv(key, raising=False)
    yield load_settings(
        data_dir=tmp_path / "data", content_dir=tmp_path / "content", database_url=empty_database_url
    )


class Writes:
    """Counts the write statements (an executemany counts once) every engine sends while it listens."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __enter__(self) -> Writes:
        event.listen(Engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(Engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        if WRITE.match(sql):
            self.statements.append(sql.split("(")[0].strip())


async def start(settings: Settings) -> Any:
    database, report = await open_database(settings)
    await database.close()
    return report


async def counts(settings: Settings) -> dict[str, Any]:
    database, _ = await open_database(settings, sync=False)
    try:
        async with database.sessions() as s:
            return {
                "questions": await s.scalar(select(func.count()).select_from(Question)),
                "active": await s.scalar(select(func.count()).where(Question.active.is_(True))),
                "facts": await s.scalar(select(func.count()).select_from(Fact)),
                "links": await s.scalar(select(func.count()).select_from(QuestionClub)),
                "digest": await s.scalar(select(ContentState.digest).where(ContentState.name == NAME)),
                "answer": await s.scalar(select(Question.answer).where(Question.id == "alpha:q3")),
            }
    finally:
        await database.close()


async def test_first_start_bulk_syncs_everything_then_a_restart_writes_nothing(
    settings_for: Settings, content: Path
) -> None:
    questions = sum(BANKS.values())
    with Writes() as first:
        report = await start(settings_for)
    assert (report.added, report.updated, report.deactivated) == (questions + FACTS, 0, 0)
    stored = await counts(settings_for)
    links = 2 * len([i for n in BANKS.values() for i in range(n) if i % 3 == 0])
    assert (stored["questions"], stored["facts"], stored["links"]) == (questions, FACTS, links)
    assert stored["digest"]
    content_writes = [s for s in first.statements if "alembic" not in s and "INTO content_state" not in s]
    # one executemany per table (questions, facts, question_clubs), whatever the number of rows
    assert sorted(set(content_writes)) == [
        "INSERT INTO facts",
        "INSERT INTO question_clubs",
        "INSERT INTO questions",
    ]
    assert len([s for s in content_writes if s.startswith("INSERT")]) == 3

    with Writes() as again:
        report = await start(settings_for)
    assert report.skipped and report.added == report.updated == 0
    assert again.statements == []  # not one write: the digest matched
    assert await counts(settings_for) == stored


async def test_an_edited_file_resyncs_only_its_changes(settings_for: Settings, content: Path) -> None:
    await start(settings_for)
    before = await counts(settings_for)
    edited = [question("alpha", i) for i in range(BANKS["alpha"]) if i != 5]  # q5 removed
    edited[3]["answer"] = "A new answer"  # q3 changed
    edited.append(question("alpha", 9999))  # q9999 added
    write_bank(content, "alpha", edited)
    with Writes() as writes:
        report = await start(settings_for)
    assert (report.added, report.updated, report.deactivated) == (1, 1, 1)
    assert report.unchanged == sum(BANKS.values()) - 2 + FACTS
    after = await counts(settings_for)
    assert after["answer"] == "A new answer" and after["digest"] != before["digest"]
    assert (after["questions"], after["active"]) == (before["questions"] + 1, before["questions"])
    assert len(writes.statements) == 6  # insert, update, deactivate, the clubs of 2 rows, the digest

    with Writes() as again:  # and that state is now the one a restart finds
        assert (await start(settings_for)).skipped
    assert again.statements == []


async def test_a_bad_file_writes_nothing_and_the_next_good_start_syncs(
    settings_for: Settings, content: Path
) -> None:
    write_bank(content, "beta", [question("beta", 0) | {"answer": ""}])
    with pytest.raises(ContentError, match=r"beta\.yaml"):
        await start(settings_for)
    stored = await counts(settings_for)
    assert (stored["questions"], stored["facts"], stored["digest"]) == (0, 0, None)
    write_bank(content, "beta", [question("beta", 0)])
    report = await start(settings_for)
    assert report.added == BANKS["alpha"] + 1 + FACTS


async def test_a_failure_half_way_through_the_sync_writes_nothing(
    settings_for: Settings, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    engines: list[AsyncEngine] = []

    def make_engine(url: str) -> AsyncEngine:
        engines.append(real_make_engine(url))
        return engines[-1]

    monkeypatch.setattr(content_queries, "sync_question_clubs", broken)  # after questions and facts
    monkeypatch.setattr(database_module, "make_engine", make_engine)
    with pytest.raises(RuntimeError, match="went away"):
        await start(settings_for)
    assert engines[0].sync_engine.pool.checkedin() == 0  # closed: no connection left open
    stored = await counts(settings_for)
    assert (stored["questions"], stored["facts"], stored["links"], stored["digest"]) == (0, 0, 0, None)
    monkeypatch.undo()
    assert (await start(settings_for)).added == sum(BANKS.values()) + FACTS
