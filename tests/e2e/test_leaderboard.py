"""Leaderboards and stats end to end: pages, caller rank off the page, names, reset with confirm."""

from __future__ import annotations

import datetime as dt

import pytest

from db.queries.scores import EventDraft, record_events
from discord_emulator.payloads import MANAGE_GUILD
from tests.conftest import World

pytestmark = pytest.mark.e2e


async def seed(world: World, fans, points) -> None:
    now = world.clock.now()
    async with world.bot.db.sessions.begin() as s:
        await record_events(
            s,
            [
                EventDraft(world.guild.id, fan_id, "gasperini-atalanta:q001", "Players", True, pts, 1200, now)
                for fan_id, pts in zip(fans, points, strict=True)
            ],
            "Europe/Rome",
        )


async def test_pages_and_caller_rank(world: World) -> None:
    emu = world.emulator
    fans = [emu.member(world.guild, f"Fan {i:02d}") for i in range(14)]
    gone = 4242  # a member who left
    await seed(world, [f.id for f in fans] + [gone], [200 - 10 * i for i in range(14)] + [500])
    me = fans[-1]
    first = await me.slash("leaderboard show", period="all")
    msg = first.messages[0]
    text = msg.text()
    assert "**1.** former member — 500 pts" in text
    assert "Fan 00 — 200 pts" in text and "Fan 13" not in text.split("You")[0]
    assert "You: #15 — 70 pts" in text
    assert "Page 1/2 · 15 players" in text
    assert [b["label"] for b in msg.buttons()] == ["◀ Previous", "Next ▶"]
    assert msg.buttons()[0].get("disabled") is True

    await me.click(msg, "Next ▶")
    assert "Page 2/2" in msg.text() and "**15.** Fan 13 — 70 pts" in msg.text()
    assert msg.buttons()[1].get("disabled") is True

    stats = await me.slash("stats")
    reply = await emu.wait_for(lambda m: m.interaction_id == stats.id and bool(m.embeds))
    stats_text = reply.text()
    assert (
        "Points: 70" in stats_text
        and "Rank: #15" in stats_text
        and "Favourite category: Players" in stats_text
    )


async def test_reset_needs_manage_server_and_confirm(world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Plain Fan")
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    await seed(world, [fan.id], [30])
    refused = await fan.slash("leaderboard-reset", period="all")
    assert refused.messages[0].ephemeral and "Manage Server" in refused.messages[0].text()

    asked = await admin.slash("leaderboard-reset", period="all")
    prompt = asked.messages[0]
    assert prompt.ephemeral and "Archive every score" in prompt.text()
    sneaky = await fan.click(prompt, "Archive scores")  # a forwarded click from a plain member
    assert "Manage Server" in sneaky.messages[0].text()
    await admin.click(prompt, "Archive scores")
    assert "archived" in prompt.text()
    board = await fan.slash("leaderboard show")
    assert "No scores yet" in board.messages[0].text()


async def test_week_period_in_server_timezone(world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Weekly")
    world.clock.set(dt.datetime(2025, 5, 22, 10, 0, tzinfo=dt.UTC))
    await seed(world, [fan.id], [40])
    world.clock.set(dt.datetime(2025, 5, 27, 10, 0, tzinfo=dt.UTC))  # next Tuesday: a new week
    week = await fan.slash("leaderboard show", period="week")
    assert "No scores yet" in week.messages[0].text()
    month = await fan.slash("leaderboard show", period="month")
    assert "Weekly — 40 pts" in month.messages[0].text()
