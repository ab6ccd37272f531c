"""Text PostgreSQL refuses (NUL, lone surrogates) never reaches the database, on either database: options
and modal fields get a friendly refusal, imported files are cleaned, autocomplete still suggests."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.storable import is_storable, storable
from db.queries import banks
from discord_emulator.payloads import MANAGE_GUILD
from tests.conftest import World, start_world, stop_world
from tests.e2e.test_bank import field_ids

pytestmark = pytest.mark.e2e

REFUSED = "can't store"


@pytest.fixture
async def both(settings: Settings, any_database_url: str, template_db: Path) -> AsyncIterator[World]:
    """The real bot on a SQLite file, then on a PostgreSQL database (each migrated and synced already)."""
    if any_database_url.startswith("sqlite"):
        shutil.copyfile(template_db, make_url(any_database_url).database or "")
    w, task = await start_world(settings.model_copy(update={"database_url": any_database_url}))
    yield w
    await stop_world(w, task)


def test_the_sanitiser() -> None:
    assert not is_storable("Fin\x00als") and not is_storable("half \ud83d emoji")
    assert storable("Fin\x00als \ud83d") == "Finals " and is_storable("Finals ⚽ Atalanta")


@pytest.mark.parametrize(
    ("path", "options"),
    [
        ("quiz start", {"category": "Fin\x00als"}),
        ("leaderboard show", {"category": "Fin\x00als"}),
        ("bank edit", {"question_id": "abc\x00"}),
        ("fact", {"topic": "Look\x00man"}),
    ],
)
async def test_options_with_nul_are_refused_kindly(both: World, path: str, options: dict) -> None:
    admin = both.emulator.member(both.guild, "Admin", permissions=MANAGE_GUILD)
    answer = await admin.slash(path, **options)
    msg = answer.messages[0]
    assert msg.ephemeral and REFUSED in msg.text() and "error id" not in msg.text()
    still = await admin.slash("leaderboard show", category="Finals")  # the bot and database are fine
    assert "error id" not in still.messages[0].text()


async def test_autocomplete_with_nul_still_suggests(both: World) -> None:
    fan = both.emulator.member(both.guild, "Fan")
    choices = await fan.autocomplete("fact", "topic", topic="Look\x00")
    assert any("Lookman" in c["name"] for c in choices)


async def test_modal_field_with_nul_is_refused_and_nothing_saved(both: World) -> None:
    admin = both.emulator.member(both.guild, "Admin", permissions=MANAGE_GUILD)
    opened = await admin.slash("bank add")
    values = ["Who scored in Dub\x00lin?", "Ademola Lookman", "Lookman", "A|B|C", "Finals"]
    refused = await admin.submit(opened, dict(zip(field_ids(opened), values, strict=True)))
    assert refused.messages[0].ephemeral and REFUSED in refused.messages[0].text()
    async with both.bot.db.sessions() as s:
        assert await banks.server_questions(s, both.guild.id) == []


async def test_import_with_escaped_nul_is_cleaned(both: World) -> None:
    admin = both.emulator.member(both.guild, "Admin", permissions=MANAGE_GUILD)
    result = {"question": "Who scored in Dub\u0000lin?", "correct_answer": "Look\u0000man"}
    doc = {"results": [result | {"category": "Fi\ud83dnals", "difficulty": "easy"}]}  # Open Trivia DB
    raw = json.dumps(doc).encode()  # JSON escapes: \u0000 and \ud83d pass the binary-file check
    assert b"\\u0000" in raw
    done = await admin.slash("bank import", file=("opentdb.json", raw))
    report = await both.emulator.wait_for(lambda m: m.interaction_id == done.id and "Import" in m.text())
    assert "1 added" in report.text()
    async with both.bot.db.sessions() as s:
        [question] = await banks.server_questions(s, both.guild.id)
    assert (question.text, question.answer) == ("Who scored in Dublin?", "Lookman")
    assert question.category == "Finals"
