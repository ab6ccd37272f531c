"""Two bot processes with two shards each, one emulator, one PostgreSQL, 400 servers: every daily post goes
out exactly once, a quiz runs in a server of each process, and a process killed with SIGKILL mid-way comes
back and finishes its servers' posts within the grace window without doubling any or losing points."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
from sqlalchemy import func, select

from db.engine import make_engine, make_sessionmaker
from db.models import DailyPost, GuildSettings, Question, ScoreEvent
from discord_emulator import Emulator
from discord_emulator.state import Channel, Guild
from tests.backend import postgres_pass_in_ci
from tests.e2e.helpers import contains, is_question
from tests.e2e.test_crash import BotProcess

pytestmark = [pytest.mark.e2e, pytest.mark.slow, postgres_pass_in_ci]

SERVERS = 400
SHARDS = 4
PROCESSES = {"A": [0, 1], "B": [2, 3]}
POST_MARK = "Daily post ·"


class ShardProcess(BotProcess):
    """`python -m bot run` serving some of the shards."""

    guild_ready_timeout = 2.0  # the default: a hundred servers per shard arrive over a while

    def __init__(self, emu: Emulator, workdir: Path, database_url: str, shard_ids: list[int]) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        super().__init__(emu, workdir, database_url)
        self.shard_ids = shard_ids

    def env(self) -> dict[str, str]:
        return super().env() | {
            "SHARD_COUNT": str(SHARDS),
            "SHARD_IDS": ",".join(map(str, self.shard_ids)),
        }

    async def start(self) -> None:
        await self.spawn()  # forked from the warm server, as in test_crash
        await wait_until(lambda: set(self.shard_ids) <= self.emu.connected_shards(), 60, self.log)
        await asyncio.sleep(0.5)  # its GUILD_CREATEs processed


async def wait_until(condition, timeout: float, log: Path | None = None) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(tail(log))


def tail(log: Path | None) -> str:
    return log.read_text()[-3000:] if log and log.exists() else "condition never held"


@pytest.fixture
async def fleet(tmp_path: Path, postgres_url: str) -> AsyncIterator[tuple[Emulator, list[Guild]]]:
    emu = Emulator(shard_count=SHARDS, max_concurrency=SHARDS)
    await emu.start()
    guilds = []
    for i in range(SERVERS):
        guilds.append(emu.guild(f"Club {i}"))
        emu.channel(guilds[-1], "quiz")
        if i % 4 == 3:
            await asyncio.sleep(0.002)  # snowflakes of later milliseconds: servers on every shard
    engine = make_engine(postgres_url)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)  # every post is owed right now
    async with make_sessionmaker(engine).begin() as s:
        s.add_all(
            GuildSettings(
                guild_id=g.id,
                timezone="UTC",
                daily_channel_id=next(iter(g.channels)),
                daily_time=f"{now:%H:%M}",
                daily_enabled=True,
            )
            for g in guilds
        )
    await engine.dispose()
    yield emu, guilds
    await emu.stop()


def posts_per_guild(emu: Emulator, guilds: list[Guild]) -> Counter[int]:
    counts: Counter[int] = Counter()
    for g in guilds:
        channel: Channel = next(iter(g.channels.values()))
        counts[g.id] = len([m for m in emu.channel_posts(channel) if POST_MARK in m.text()])
    return counts


async def win_one_question(emu: Emulator, guild: Guild, postgres_url: str) -> str:
    """A fan starts a two-question quiz and answers the first right (the quiz goes on); returns the name."""
    name = f"Fan of {guild.name}"
    fan = emu.member(guild, name)
    channel = next(iter(guild.channels.values()))
    await fan.slash("quiz start", questions=2, seconds=60)
    asked = await emu.wait_for(lambda m: is_question(1)(m) and m.channel_id == channel.id, timeout=20)
    engine = make_engine(postgres_url)
    async with make_sessionmaker(engine)() as s:
        rows = (await s.execute(select(Question.text, Question.answer))).all()
    await engine.dispose()
    answer = next(a for t, a in rows if discord.utils.escape_markdown(t) == asked.embeds[0]["description"])
    await fan.say(answer)
    await emu.wait_for(lambda m: contains("got it!")(m) and m.channel_id == channel.id, timeout=20)
    return name


async def test_two_processes_four_shards_posts_once_and_survive_sigkill(
    fleet: tuple[Emulator, list[Guild]], tmp_path: Path, postgres_url: str
) -> None:
    emu, guilds = fleet
    owner = {g.id: ("A" if emu.shard_of(g) in PROCESSES["A"] else "B") for g in guilds}
    by_process = Counter(owner.values())
    assert by_process["A"] >= 40 and by_process["B"] >= 40, by_process  # both processes have real work
    bots = {
        name: ShardProcess(emu, tmp_path / name, postgres_url, shard_ids)
        for name, shard_ids in PROCESSES.items()
    }
    b_guilds = [g for g in guilds if owner[g.id] == "B"]
    # B's posts are created at once but answered 0.3 s late: at the kill some are out, unacknowledged.
    b_channels = "|".join(str(cid) for g in b_guilds for cid in g.channels)
    emu.inject("POST", rf"/channels/({b_channels})/messages$", delay=0.3, after=True, times=100_000)
    try:
        await asyncio.gather(*(bot.start() for bot in bots.values()))
        assert sorted(emu.identified_shards) == [(i, SHARDS) for i in range(SHARDS)]

        guild_a = next(g for g in guilds if owner[g.id] == "A")
        guild_b = b_guilds[0]
        await asyncio.gather(
            win_one_question(emu, guild_a, postgres_url), win_one_question(emu, guild_b, postgres_url)
        )
        await wait_until(lambda: sum(posts_per_guild(emu, b_guilds).values()) >= 3, 30, bots["B"].log)
        await bots["B"].kill()  # SIGKILL: posts sent but not logged, claims in flight, a quiz running
        out_at_kill = sum(posts_per_guild(emu, b_guilds).values())
        assert out_at_kill < len(b_guilds), "B finished its posts before the kill: nothing was tested"
        await bots["B"].start()

        await wait_until(lambda: all(c >= 1 for c in posts_per_guild(emu, guilds).values()), 90)
        await asyncio.sleep(3)  # a late duplicate (a stale claim taken over twice) would show by now
        counts = posts_per_guild(emu, guilds)
        assert set(counts.values()) == {1}, [g for g, c in counts.items() if c != 1][:5]
        notice = await emu.wait_for(
            lambda m: "I restarted" in m.text() and m.channel_id in guild_b.channels, timeout=20
        )
        assert f"Fan of {guild_b.name}" in notice.text()
    finally:
        for bot in bots.values():
            await bot.stop()

    engine = make_engine(postgres_url)
    async with make_sessionmaker(engine)() as s:
        statuses = Counter((await s.scalars(select(DailyPost.status))).all())
        winners = dict(
            (
                await s.execute(
                    select(ScoreEvent.guild_id, func.sum(ScoreEvent.points)).group_by(ScoreEvent.guild_id)
                )
            ).all()
        )
    await engine.dispose()
    assert statuses == {"sent": SERVERS}
    assert winners.get(guild_a.id, 0) > 0 and winners.get(guild_b.id, 0) > 0  # no points lost to the kill
    print(f"B had {out_at_kill}/{len(b_guilds)} posts out when killed")
