"""The emulator itself, driven by the real discord.py client: resume, re-identify, 429s, unknown routes."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from tests.conftest import World
from tests.e2e.helpers import is_question

pytestmark = pytest.mark.e2e


async def wait_until(check, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.02)


async def test_gateway_is_compressed_and_ready(world: World) -> None:
    assert world.emulator.compressed_connections >= 1
    assert world.emulator.identifies == 1
    assert world.bot.get_guild(world.guild.id) is not None
    assert world.bot.get_guild(world.guild.id).get_channel(world.channel.id) is not None


async def test_dropped_connection_resumes_and_replays(world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Resumer")
    await emu.drop_connection(4000)
    # An interaction dispatched while the bot is away is buffered and replayed on RESUME.
    inter = await emu.send_interaction(fan._base(2, world.channel) | {"data": fan._command_data("fact", {})})
    await emu.wait_answered(inter, timeout=15)
    assert emu.resumes == 1 and emu.identifies == 1
    assert inter.messages and inter.messages[0].embeds


async def test_invalid_session_reidentifies(world: World) -> None:
    emu = world.emulator

    async def no_identify_pause(shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s before any identify after the first (Discord's identify rate limit); the
        emulator has no such limit, so the re-identify itself is what this test waits for."""

    world.bot.before_identify_hook = no_identify_pause  # type: ignore[method-assign]
    emu.invalidate_next_resume = True
    await emu.drop_connection(4000)
    await wait_until(lambda: emu.identifies == 2, timeout=20)
    fan = emu.member(world.guild, "After")
    reply = await fan.slash("fact")
    assert reply.messages[0].embeds


async def test_429_on_message_create_still_posts_once(world: World) -> None:
    emu = world.emulator
    emu.inject("POST", r"/channels/\d+/messages$", status=429, retry_after=0.3)
    fan = emu.member(world.guild, "Patient")
    await fan.slash("quiz start", questions=1, seconds=60)
    await emu.wait_for(is_question(1), timeout=10)
    posts = [r for r in emu.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert [r.status for r in posts[:2]] == [429, 200]
    assert len([m for m in emu.channel_posts(world.channel) if is_question(1)(m)]) == 1
    await fan.slash("quiz stop")


async def test_slow_callback_still_answers(world: World) -> None:
    emu = world.emulator
    emu.inject("POST", r"/interactions/\d+/[^/]+/callback$", delay=0.5)
    fan = emu.member(world.guild, "Slow")
    started = asyncio.get_running_loop().time()
    reply = await fan.slash("fact")
    assert reply.messages[0].embeds
    assert asyncio.get_running_loop().time() - started >= 0.5  # the injected delay was served


async def test_500_on_message_create_is_retried_once(world: World) -> None:
    emu = world.emulator
    emu.inject("POST", r"/channels/\d+/messages$", status=500)
    fan = emu.member(world.guild, "Retry")
    await fan.slash("quiz start", questions=1, seconds=60)
    await emu.wait_for(is_question(1), timeout=10)
    posts = [r.status for r in emu.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert posts[:2] == [500, 200]
    assert len([m for m in emu.channel_posts(world.channel) if is_question(1)(m)]) == 1
    await fan.slash("quiz stop")


async def test_unknown_routes_are_404_and_recorded(world: World) -> None:
    async with aiohttp.ClientSession() as http:
        auth = {"Authorization": f"Bot {world.emulator.TOKEN}"}
        resp = await http.get(f"{world.emulator.api_base}/guilds/1/nonsense", headers=auth)
        assert resp.status == 404
    assert "GET /guilds/1/nonsense" in world.emulator.unknown_routes


async def test_roles_reach_the_bot_with_members_messages_and_options(world: World) -> None:
    emu, bot = world.emulator, world.bot
    rid = emu.role(world.guild, "Curva Nord")  # made while connected: GUILD_ROLE_CREATE
    fan = emu.member(world.guild, "Ultrà", roles=[rid])
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    await wait_until(lambda: guild.get_role(rid) is not None and guild.get_member(fan.id) is not None)
    role = guild.get_role(rid)
    assert role is not None and role.name == "Curva Nord" and not role.managed
    member = guild.get_member(fan.id)
    assert member is not None and [r.id for r in member.roles if not r.is_default()] == [rid]
    seen = asyncio.ensure_future(bot.wait_for("message", check=lambda m: m.author.id == fan.id, timeout=5))
    await fan.say("forza")
    message = await seen
    assert [r.id for r in message.author.roles if not r.is_default()] == [
        rid
    ]  # the author's member object carries roles
    with pytest.raises(ValueError):
        emu.member(world.guild, "Nobody", roles=[12345])  # only roles of the guild
    admin = emu.member(world.guild, "Admin", permissions=1 << 5)
    with pytest.raises(LookupError):
        await admin.slash("server teams add", role=12345)
    inter = await admin.slash("server teams add", role=rid)
    assert inter.payload["data"]["resolved"]["roles"][str(rid)]["name"] == "Curva Nord"
    assert "is now a team" in inter.messages[0].text()
