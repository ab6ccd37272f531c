"""/fact, /onthisday and the scheduled daily post end to end."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from db.models import GuildSettings
from db.queries import posts
from discord_emulator.payloads import MANAGE_GUILD
from tests.conftest import World, start_world, stop_world

pytestmark = pytest.mark.e2e


async def caught_up(world: World) -> None:
    """Wait until the restarted bot has rebuilt its jobs and sent whatever post was owed."""
    await asyncio.wait_for(world.bot.get_cog("Daily").caught_up.wait(), 10)  # type: ignore[union-attr]


def daily_posts(world: World, channel) -> list:
    return [m for m in world.emulator.channel_posts(channel) if "Daily post ·" in m.text()]


async def test_onthisday_and_fact(world: World) -> None:
    fan = world.emulator.member(world.guild, "Fan")
    today = await fan.slash("onthisday")  # 22 May in Rome: the Dublin final
    assert "Lookman" in today.messages[0].text() and "22 May 2024" in today.messages[0].text()
    other = await fan.slash("onthisday", date="11/04")
    assert "Anfield" in other.messages[0].text()
    none = await fan.slash("onthisday", date="1 January")
    assert "No facts for **01 January**" in none.messages[0].text() and "next one" in none.messages[0].text()
    bad = await fan.slash("onthisday", date="the day after tomorrow")
    assert bad.messages[0].ephemeral and "couldn't read" in bad.messages[0].text()
    topics = await fan.autocomplete("fact", "topic", topic="look")
    assert {"name": "Ademola Lookman", "value": "Ademola Lookman"} in topics
    unknown = await fan.slash("fact", topic="Maradona")
    assert unknown.messages[0].ephemeral and "no fact about" in unknown.messages[0].text()


async def test_dailypost_set_posts_once(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    news = await emu.open_channel(world.guild, "news")
    world.clock.set(dt.datetime(2025, 5, 22, 6, 0, tzinfo=dt.UTC))  # 08:00 in Rome
    reply = await admin.slash("dailypost set", channel=news, time="09:00", timezone="europe/rome")
    assert reply.messages[0].ephemeral and "09:00" in reply.messages[0].text()
    cog = world.bot.get_cog("Daily")
    job = cog.scheduler.get_job(f"daily:{world.guild.id}")
    assert job is not None and str(job.trigger.timezone) == "Europe/Rome"

    await cog.check_guild(world.guild.id)  # 08:00: nothing owed yet
    assert daily_posts(world, news) == []
    world.clock.advance(hours=1, minutes=1)  # 09:01 Rome
    await asyncio.gather(cog.check_guild(world.guild.id), cog.check_guild(world.guild.id))
    sent = daily_posts(world, news)
    assert len(sent) == 1
    assert "On this day" in sent[0].text() and "Lookman" in sent[0].text()
    await cog.check_guild(world.guild.id)
    assert len(daily_posts(world, news)) == 1

    show = await admin.slash("dailypost show")
    assert "09:00" in show.messages[0].text() and "Europe/Rome" in show.messages[0].text()


async def test_dailypost_survives_restart_and_grace(settings, world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    world.clock.set(dt.datetime(2025, 6, 1, 6, 0, tzinfo=dt.UTC))
    await admin.slash("dailypost set", channel=world.channel, time="09:00", timezone="Europe/Rome")
    await world.bot.close()  # down before the post time

    # Back 1 hour after the post time (inside the 2 h grace window): the missed post is sent once.
    clock = world.clock
    clock.set(dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC))
    w2, t2 = await start_world(settings, emulator=emu, clock=clock)
    try:
        await emu.wait_for(lambda m: "Daily post · 2025-06-01" in m.text())
        await stop_world(w2, t2, stop_emulator=False)
        w3, t3 = await start_world(settings, emulator=emu, clock=clock)  # restart again: no double
        await caught_up(w3)
        assert len(daily_posts(w3, world.channel)) == 1
        await stop_world(w3, t3, stop_emulator=False)
        # The next day it is back 3 hours late: outside the grace window, skipped.
        clock.set(dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC))
        w4, t4 = await start_world(settings, emulator=emu, clock=clock)
        await caught_up(w4)
        assert len(daily_posts(w4, world.channel)) == 1
        await stop_world(w4, t4, stop_emulator=False)
    finally:
        if not t2.done():
            await stop_world(w2, t2, stop_emulator=False)


async def test_dailypost_permissions_and_bad_input(world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Fan")
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    refused = await fan.slash("dailypost set", channel=world.channel, time="09:00")
    assert refused.messages[0].ephemeral and "Manage Server" in refused.messages[0].text()
    bad_time = await admin.slash("dailypost set", channel=world.channel, time="25:00")
    assert "HH:MM" in bad_time.messages[0].text()
    bad_tz = await admin.slash("dailypost set", channel=world.channel, time="09:00", timezone="Mars/Olympus")
    assert "timezone" in bad_tz.messages[0].text()
    locked = await emu.open_channel(world.guild, "locked", bot_can_send=False)
    no_perm = await admin.slash("dailypost set", channel=locked, time="09:00")
    assert "can't post embeds" in no_perm.messages[0].text()
    suggestions = await admin.autocomplete("dailypost set", "timezone", timezone="rome")
    assert suggestions[0]["value"] == "Europe/Rome"


async def test_deleted_channel_disables_job(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    doomed = await emu.open_channel(world.guild, "doomed")
    world.clock.set(dt.datetime(2025, 5, 22, 6, 0, tzinfo=dt.UTC))
    await admin.slash("dailypost set", channel=doomed, time="09:00")
    await emu.delete_channel(doomed)
    world.clock.advance(hours=2)
    cog = world.bot.get_cog("Daily")
    await cog.check_guild(world.guild.id)
    async with world.bot.db.sessions() as s:
        row = await s.get(GuildSettings, world.guild.id)
    assert row is not None and row.daily_enabled is False
    assert cog.scheduler.get_job(f"daily:{world.guild.id}") is None
    logged = await posts.posts_for(world.bot.db.sessions, world.guild.id)
    assert [p.status for p in logged] == ["failed"]


async def test_removed_from_server_stops_the_post(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    await admin.slash("dailypost set", channel=world.channel, time="09:00")
    cog = world.bot.get_cog("Daily")
    assert cog.scheduler.get_job(f"daily:{world.guild.id}") is not None
    await emu.kick_bot(world.guild)
    for _ in range(50):
        if cog.scheduler.get_job(f"daily:{world.guild.id}") is None:
            break
        await asyncio.sleep(0.05)
    async with world.bot.db.sessions() as s:
        row = await s.get(GuildSettings, world.guild.id)
    assert row is not None and row.daily_enabled is False
    assert cog.scheduler.get_job(f"daily:{world.guild.id}") is None


async def test_dailypost_test_and_off(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    await admin.slash("dailypost set", channel=world.channel, time="09:00")
    preview = await admin.slash("dailypost test")  # private by default: nothing in the channel
    shown = await emu.wait_for(lambda m: m.interaction_id == preview.id and "Preview" in m.text())
    assert shown.ephemeral and "On this day" in shown.text() and "· test" in str(shown.embeds[-1])
    assert [m for m in emu.channel_posts(world.channel) if "· test" in m.text()] == []
    tested = await admin.slash("dailypost test", public=True)
    await emu.wait_for(lambda m: m.interaction_id == tested.id and "Test post sent" in m.text())
    test_posts = [m for m in emu.channel_posts(world.channel) if "· test" in m.text()]
    assert len(test_posts) == 1 and "On this day" in test_posts[0].text()
    member = emu.member(world.guild, "Member")
    refused = await member.slash("dailypost test", public=True)
    assert refused.messages[0].ephemeral and "Manage Server" in refused.messages[0].text()
    assert len([m for m in emu.channel_posts(world.channel) if "· test" in m.text()]) == 1
    assert await posts.posts_for(world.bot.db.sessions, world.guild.id) == []  # a test is not the day's post
    off = await admin.slash("dailypost off")
    assert "switched off" in off.messages[0].text()
    cog = world.bot.get_cog("Daily")
    assert cog.scheduler.get_job(f"daily:{world.guild.id}") is None
    show = await admin.slash("dailypost show")
    assert "**off**" in show.messages[0].text()
