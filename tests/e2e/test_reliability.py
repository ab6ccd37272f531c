"""Faults and bad input through the real bot: storage errors, 429 on every route, nasty option values,
unexpected errors with an id, and no pings anywhere."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import event, text

from bot.logs import RedactFilter
from discord_emulator.payloads import MANAGE_GUILD
from tests.conftest import World
from tests.e2e.helpers import is_question

pytestmark = pytest.mark.e2e


async def make_read_only(world: World) -> None:
    """Every new connection of the bot's engine refuses writes (as a read-only database file or a
    PostgreSQL standby does)."""
    sqlite = world.bot.db.engine.dialect.name == "sqlite"

    def query_only(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only = ON" if sqlite else "SET default_transaction_read_only = on")
        cursor.close()
        dbapi_connection.commit()  # the PostgreSQL driver adapter opened a transaction for the SET

    event.listen(world.bot.db.engine.sync_engine, "connect", query_only)
    await world.bot.db.engine.dispose()


async def test_read_only_database_gives_a_clear_error_and_bot_stays_up(world: World, caplog) -> None:
    fan = world.emulator.member(world.guild, "Fan")
    await make_read_only(world)
    with caplog.at_level(logging.ERROR):
        refused = await fan.slash("quiz start", questions=1)
    msg = refused.messages[0]
    assert msg.ephemeral and "can't save anything right now" in msg.text()
    assert "Database unavailable for writes" in caplog.text
    assert "readonly" in caplog.text or "read-only transaction" in caplog.text
    still = await fan.slash("fact")  # reads still work: the bot is up
    assert still.messages[0].embeds


async def test_unexpected_error_has_an_id_in_reply_and_log(world: World, caplog) -> None:
    fan = world.emulator.member(world.guild, "Fan")
    async with world.bot.db.engine.begin() as conn:
        await conn.execute(text("DROP TABLE facts"))
    with caplog.at_level(logging.ERROR):
        reply = await fan.slash("fact")
    shown = reply.messages[0].text()
    assert reply.messages[0].ephemeral and "error id" in shown and "Traceback" not in shown
    error_id = shown.split("`")[1]
    assert f"Error {error_id} in /fact" in caplog.text
    assert "no such table" in caplog.text or 'relation "facts" does not exist' in caplog.text


ROUTES = [
    ("POST", r"/interactions/\d+/[^/]+/callback$"),
    ("POST", r"/channels/\d+/messages$"),
    ("PATCH", r"/channels/\d+/messages/\d+$"),
    ("POST", r"/webhooks/\d+/[^/]+$"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES)
async def test_429_on_each_route_the_bot_uses(world: World, method: str, route: str) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    emu.inject(method, route, status=429, retry_after=0.2)
    if "webhooks" in route:
        done = await admin.slash("bank import", file=("b.csv", b"question,answer\nQ?,A\n"))
        report = await emu.wait_for(
            lambda m: m.interaction_id == done.id and "Import" in m.text(), timeout=10
        )
        assert "1 added" in report.text()
    else:
        await admin.slash("quiz start", questions=1, mode="buttons", seconds=5)
        msg = await emu.wait_for(is_question(1), timeout=10)
        await emu.wait_for(lambda m: m.id == msg.id and m.edits > 0, timeout=15, past=False)
        assert all(b.get("disabled") for b in msg.buttons())
    statuses = [r.status for r in emu.requests if r.method == method]
    assert 429 in statuses and statuses.count(429) == 1


NASTY = [
    "",
    " ",
    "@everyone",
    "<@&123456789012345678>",
    "\u200b\u200b",
    "‮ltr override",
    "a" * 100,
    "💥🔥⚽" * 20,
    "'; DROP TABLE questions; --",
    "\x00",
    "../../etc/passwd",
    "ẞ𝘼𝔟",
    "null",
    "NaN",
]


PUBLIC = {"fact", "onthisday", "quiz start", "leaderboard show"}  # may answer in the channel


async def test_nasty_option_values_always_get_an_answer(world: World) -> None:
    """Every nasty value gets a real answer: a non-empty reply (ephemeral unless the command posts in the
    channel) with neither an error id nor a traceback, and autocomplete lists Discord would accept."""
    emu = world.emulator
    admin = emu.member(world.guild, "Admin @here", permissions=MANAGE_GUILD)
    for value in NASTY:
        for path, options in (
            ("fact", {"topic": value}),
            ("onthisday", {"date": value}),
            ("quiz start", {"category": value, "questions": 1}),
            ("dailypost set", {"channel": world.channel, "time": value, "timezone": value}),
            ("leaderboard show", {"category": value}),
            ("bank edit", {"question_id": value}),
        ):
            reply = await admin.slash(path, **options)
            assert reply.response_type in (4, 5), (path, value, reply.response_type)
            if reply.response_type == 5:  # deferred: the answer follows
                await emu.wait_for(lambda m, r=reply: m.interaction_id == r.id, timeout=10)
            assert reply.messages, (path, value, "no reply")
            shown = reply.messages[0]
            text_ = shown.text()
            assert text_.strip() or shown.embeds, (path, value, "empty reply")
            assert "error id" not in text_ and "Traceback" not in text_, (path, value, text_)
            assert shown.ephemeral or path in PUBLIC, (path, value, text_)
            running = world.bot.get_cog("Quiz").running.get(world.channel.id)  # type: ignore[union-attr]
            if running:
                await admin.slash("quiz stop")
                await asyncio.sleep(0.05)
        for path, focused in (("fact", "topic"), ("quiz start", "category"), ("dailypost set", "timezone")):
            choices = await admin.autocomplete(path, focused, **{focused: value})
            assert isinstance(choices, list) and len(choices) <= 25, (path, value)
            assert all(1 <= len(c["name"]) <= 100 and len(str(c["value"])) <= 100 for c in choices)
    assert not emu.unknown_routes


async def test_no_message_can_ping(world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "@everyone <@&1>")
    await fan.slash("quiz start", questions=1, seconds=5)
    await emu.wait_for(lambda m: "Final standings" in m.text(), timeout=15)
    stats = await fan.slash("stats")
    await emu.wait_for(lambda m: m.interaction_id == stats.id and bool(m.embeds))  # deferred: a chart
    await fan.slash("leaderboard show")
    await fan.slash("fact")
    assert emu.sent
    for msg in emu.sent:
        if not msg.request and not msg.text() and not msg.files:
            continue  # the placeholder of a deferred reply carries nothing that could ping
        assert msg.allowed_mentions is not None and msg.allowed_mentions.get("parse") == [], msg.text()
        assert "@everyone" not in msg.text().replace("@\u200beveryone", "")


def test_token_is_redacted_from_logs() -> None:
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "login with %s failed", ("sekrit.token",), None
    )
    try:
        raise RuntimeError("bad token sekrit.token")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    RedactFilter(["sekrit.token"]).filter(record)
    assert "sekrit.token" not in record.getMessage() and "sekrit.token" not in (record.exc_text or "")
    assert "[redacted]" in record.getMessage()
