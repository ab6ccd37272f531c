"""The Discord side of the web pages and charts, end to end through the emulator: /server web on|off,
the "View on the web" link, /stats privacy, and the PNG charts with their alt text."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.web.app import make_app
from db.models import FanProfile, GuildSettings
from db.queries.scores import EventDraft, record_events
from discord_emulator import SentMessage
from discord_emulator.payloads import MANAGE_GUILD
from tests.conftest import World

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n"
MAX_ATTACHMENT = 10 * 2**20


@pytest.fixture
async def web(world: World) -> AsyncIterator[TestClient]:
    app = make_app(world.bot.db.sessions, clock=world.clock)
    async with TestClient(TestServer(app)) as client:
        yield client


async def seed(world: World, scores: dict[int, list[tuple[str, int]]]) -> None:
    now = world.clock.now()
    async with world.bot.db.sessions.begin() as s:
        await record_events(
            s,
            [
                EventDraft(world.guild.id, uid, "gasperini-atalanta:q001", cat, pts > 0, pts, 1500, now)
                for uid, rows in scores.items()
                for cat, pts in rows
            ],
            "Europe/Rome",
        )


async def reply_to(world: World, inter_id: int) -> SentMessage:
    """The message that answers an interaction (a deferred one answers in a follow-up)."""
    return await world.emulator.wait_for(
        lambda m: m.interaction_id == inter_id and bool(m.embeds), timeout=10
    )


def link_buttons(msg: SentMessage) -> list[dict]:
    return [b for b in msg.buttons() if b.get("style") == 5]


async def turn_on(world: World, admin) -> str:  # type: ignore[no-untyped-def]
    done = await admin.slash("server web on")
    msg = await reply_to(world, done.id)
    assert msg.ephemeral
    url = link_buttons(msg)[0]["url"]
    assert url in msg.text()
    return url


async def test_web_on_off_and_the_link_button(world: World, web: TestClient) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Plain Fan")
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    await seed(world, {fan.id: [("Players", 30)], admin.id: [("History", 20)]})

    refused = await fan.slash("server web on")
    assert refused.messages[0].ephemeral and "Manage Server" in refused.messages[0].text()
    board = await fan.slash("leaderboard show")
    assert link_buttons(board.messages[0]) == []  # off by default: no link

    url = await turn_on(world, admin)
    notice = await world.emulator.wait_for(lambda m: "WEB_PUBLIC_URL" in m.text())
    assert notice.ephemeral  # no public address configured: the admin is told the link is local
    slug = re.fullmatch(r"http://127\.0\.0\.1:8080/s/([A-Za-z0-9_-]{22})", url)
    assert slug is not None and str(world.guild.id) not in url
    async with world.bot.db.sessions() as s:
        row = await s.get(GuildSettings, world.guild.id)
        names = {p.user_id: p.name for p in await s.scalars(select(FanProfile))}
    assert row is not None and row.web_enabled and row.web_slug == slug.group(1)
    assert names[fan.id] == "Plain Fan" and names[admin.id] == "Admin"

    page = await web.get(f"/s/{slug.group(1)}")
    body = await page.text()
    assert page.status == 200 and "Curva Nord" in body and "Plain Fan" in body and "Admin" in body

    board = await fan.slash("leaderboard show", period="week", category="Players")
    [button] = link_buttons(board.messages[0])
    assert button["label"] == "View on the web"
    assert button["url"] == f"{url}?period=week&category=Players"
    assert [b["label"] for b in board.messages[0].buttons()][:2] == ["◀ Previous", "Next ▶"]

    off_refused = await fan.slash("server web off")
    assert "Manage Server" in off_refused.messages[0].text()
    assert (await web.get(f"/s/{slug.group(1)}")).status == 200

    off = await admin.slash("server web off")
    assert off.messages[0].ephemeral and "off" in off.messages[0].text()
    assert (await web.get(f"/s/{slug.group(1)}")).status == 404  # at once
    board = await fan.slash("leaderboard show")
    assert link_buttons(board.messages[0]) == []
    again = await admin.slash("server web off")
    assert "already off" in again.messages[0].text()

    assert await turn_on(world, admin) == url  # the same address comes back


async def test_privacy_hides_a_fan_on_every_page(world: World, web: TestClient) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Shy Fan")
    other = emu.member(world.guild, "Loud Fan")
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    await seed(world, {fan.id: [("Players", 50)], other.id: [("Players", 10)]})
    path = "/s/" + (await turn_on(world, admin)).rsplit("/", 1)[1]

    hide = await fan.slash("stats", privacy="hidden")
    assert hide.messages[0].ephemeral and "hidden fan" in hide.messages[0].text()
    body = await (await web.get(path)).text()
    assert 'class="fan">hidden fan<' in body and "Shy Fan" not in body and "Loud Fan" in body
    assert (await web.get(f"{path}/fan/{fan.id}")).status == 404
    assert "Shy Fan" not in await (await web.get(f"{path}?q=Shy")).text()

    meddle = await other.slash("stats", member=fan, privacy="visible")
    assert meddle.messages[0].ephemeral and "your own privacy" in meddle.messages[0].text()
    assert "Shy Fan" not in await (await web.get(path)).text()

    show = await fan.slash("stats", privacy="visible")
    assert "again" in show.messages[0].text()
    body = await (await web.get(path)).text()
    assert "Shy Fan" in body and "hidden fan" not in body and "Loud Fan" in body
    assert (await web.get(f"{path}/fan/{fan.id}")).status == 200


async def test_names_follow_members_seen_after_the_page_is_on(world: World, web: TestClient) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    path = "/s/" + (await turn_on(world, admin)).rsplit("/", 1)[1]
    late = emu.member(world.guild, "Late Comer")
    await seed(world, {late.id: [("Players", 40)]})
    assert "unnamed fan" in await (await web.get(path)).text()
    await late.slash("leaderboard show")  # any interaction teaches the bot the name
    for _ in range(50):  # the name is written beside the command, not before its answer
        if "Late Comer" in await (await web.get(path)).text():
            break
        await asyncio.sleep(0.05)
    assert "Late Comer" in await (await web.get(path)).text()


async def test_stats_attaches_a_chart_with_alt_text(world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Charted")
    await seed(world, {fan.id: [("Players", 30), ("History", 20), ("History", 0)]})
    asked = await fan.slash("stats")
    assert asked.response_type == 5  # deferred: the chart is drawn in a thread
    msg = await reply_to(world, asked.id)
    assert "Points: 50" in msg.text()
    [(name, data)] = msg.files
    assert name == "stats.png" and data.startswith(PNG) and len(data) < MAX_ATTACHMENT
    [meta] = msg.request["attachments"]
    alt = meta["description"]
    assert alt.startswith("Chart for Charted: 50 points this season") and "History 1" in alt
    assert len(alt) <= 1024


async def test_leaderboard_chart_is_the_top_ten_race(world: World) -> None:
    emu = world.emulator
    fans = [emu.member(world.guild, f"Racer {i:02d}") for i in range(12)]
    await seed(world, {f.id: [("Players", 10 * (i + 1))] for i, f in enumerate(fans)})
    asked = await fans[0].slash("leaderboard show", period="season", chart=True)
    msg = await reply_to(world, asked.id)
    assert "Racer 11 — 120 pts" in msg.text()
    [(name, data)] = msg.files
    assert name == "race.png" and data.startswith(PNG) and len(data) < MAX_ATTACHMENT
    alt = msg.request["attachments"][0]["description"]
    assert "top 10" in alt and "1. Racer 11 120" in alt and "Racer 01" not in alt
    await fans[0].click(msg, "Next ▶")  # the pages still turn under a chart
    assert "Page 2/2" in msg.text()


async def test_renames_reach_the_page(world: World, web: TestClient) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    fan = emu.member(world.guild, "Old Nick")
    await seed(world, {fan.id: [("Players", 40)]})
    path = "/s/" + (await turn_on(world, admin)).rsplit("/", 1)[1]
    assert "Old Nick" in await (await web.get(path)).text()

    world.guild.name = "Curva Sud"
    await emu.dispatch("GUILD_UPDATE", world.guild.payload())
    member = fan.member.payload() | {"nick": "New Nick", "guild_id": str(world.guild.id)}
    await emu.dispatch("GUILD_MEMBER_UPDATE", member)
    for _ in range(100):
        body = await (await web.get(path)).text()
        if "Curva Sud" in body and "New Nick" in body:
            break
        await asyncio.sleep(0.05)
    assert "Curva Sud" in body and "New Nick" in body and "Old Nick" not in body
