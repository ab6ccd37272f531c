"""Errors raised inside buttons and forms reach the fan the same way as command errors: an ephemeral
sentence for a UserError, an apology with an error id (also in the log) for anything unexpected."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from db.queries.scores import EventDraft, record_events
from discord_emulator.payloads import MANAGE_GUILD
from tests.conftest import World

pytestmark = pytest.mark.e2e

CSV = b"id,question,answer,category\nc1,Who scored three in Dublin?,Ademola Lookman,Finals\n"


async def test_user_error_in_a_view_reaches_the_fan(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    fan = emu.member(world.guild, "Plain Fan")
    done = await admin.slash("bank import", file=("b.csv", CSV))
    await emu.wait_for(lambda m: m.interaction_id == done.id and "1 added" in m.text())
    asked = await admin.slash("bank remove", question_id="c1")
    prompt = asked.messages[0]
    forwarded = await fan.click(prompt, "Remove")  # ConfirmRemove.confirm raises: no Manage Server
    assert forwarded.messages, "the click was never answered"
    refusal = forwarded.messages[0]
    assert refusal.ephemeral and "Manage Server" in refusal.text()
    listing = await admin.slash("bank list")
    assert "`c1`" in listing.messages[0].text()  # nothing was removed


async def test_unexpected_error_in_a_view_has_an_id(world: World, caplog) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Pager")
    async with world.bot.db.sessions.begin() as s:
        await record_events(
            s,
            [
                EventDraft(world.guild.id, 1000 + i, "gasperini-atalanta:q001", "Players", True, 10, 900, now)
                for i in range(12)
                for now in [world.clock.now()]
            ],
            "Europe/Rome",
        )
    board = await fan.slash("leaderboard show", period="all")
    async with world.bot.db.engine.begin() as conn:
        await conn.execute(text("DROP TABLE period_scores"))
    with caplog.at_level(logging.ERROR):
        turned = await fan.click(board.messages[0], "Next ▶")
    assert turned.messages, "the click was never answered"
    shown = turned.messages[0].text()
    assert turned.messages[0].ephemeral and "error id" in shown and "Traceback" not in shown
    error_id = shown.split("`")[1]
    assert f"Error {error_id} in PageView" in caplog.text
