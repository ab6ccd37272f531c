"""A daily post that fails for a transient reason (Discord 5xx, no free database connection) is retried
within its grace window and sent exactly once; the claim is released so the retry need not wait."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
import sqlalchemy.exc

from db.queries import posts
from discord_emulator.payloads import MANAGE_GUILD
from tests.conftest import World

pytestmark = pytest.mark.e2e


def daily_posts(world: World) -> list:
    return [m for m in world.emulator.channel_posts(world.channel) if "Daily post ·" in m.text()]


async def due_now(world: World) -> None:
    # the start-up catch-up must not race the test's own check
    await asyncio.wait_for(world.bot.get_cog("Daily").caught_up.wait(), 10)  # type: ignore[union-attr]
    admin = world.emulator.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    world.clock.set(dt.datetime(2025, 5, 22, 6, 0, tzinfo=dt.UTC))
    await admin.slash("dailypost set", channel=world.channel, time="09:00")
    world.clock.advance(hours=1, minutes=1)  # 09:01 in Rome


async def wait_posts(world: World, n: int, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if len(daily_posts(world)) >= n:
            return
        await asyncio.sleep(0.05)


async def test_a_5xx_is_retried_and_posted_once(world: World) -> None:
    await due_now(world)
    fault = world.emulator.inject("POST", r"/channels/\d+/messages$", status=503, times=1)
    cog = world.bot.get_cog("Daily")
    await cog.check_guild(world.guild.id)
    assert fault.hits == 1 and daily_posts(world) == []
    assert cog.scheduler.get_job(f"retry:{world.guild.id}") is not None
    await wait_posts(world, 1)
    await asyncio.sleep(0.3)
    assert len(daily_posts(world)) == 1
    logged = await posts.posts_for(world.bot.db.sessions, world.guild.id)
    assert [p.status for p in logged] == ["sent"]


async def test_a_pool_timeout_is_retried(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    await due_now(world)
    real_claim = posts.claim
    calls = 0

    async def flaky_claim(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 1:
            raise sqlalchemy.exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached")
        return await real_claim(*args, **kwargs)

    monkeypatch.setattr(posts, "claim", flaky_claim)
    await world.bot.get_cog("Daily").check_guild(world.guild.id)
    assert daily_posts(world) == []
    await wait_posts(world, 1)
    assert len(daily_posts(world)) == 1 and calls == 2


async def test_no_retry_after_the_grace_window(world: World) -> None:
    await due_now(world)
    world.emulator.inject("POST", r"/channels/\d+/messages$", status=503, times=1)
    cog = world.bot.get_cog("Daily")
    await cog.check_guild(world.guild.id)
    world.clock.advance(hours=3)  # the retry comes after the 2 h grace: nothing is sent
    await asyncio.sleep(0.5)
    assert daily_posts(world) == []
