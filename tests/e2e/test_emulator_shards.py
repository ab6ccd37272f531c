"""The emulator shards as Discord does: /gateway/bot recommends a count, IDENTIFY's [shard_id, shard_count]
opens a session that gets exactly the guilds with (guild_id >> 22) % shard_count == shard_id."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from discord_emulator import Emulator
from discord_emulator.state import Guild
from tests.conftest import seed_database, start_world, stop_world

pytestmark = pytest.mark.e2e


async def spread_guilds(emu: Emulator, count: int) -> list[Guild]:
    guilds = []
    for i in range(count):
        guilds.append(emu.guild(f"G{i}"))
        await asyncio.sleep(0.002)  # snowflakes of different milliseconds
    return guilds


async def identify(emu: Emulator, shard: Any) -> tuple[list[dict[str, Any]], int | None]:
    """Frames received after IDENTIFY with `shard` (until quiet), and the close code if it closed."""
    frames: list[dict[str, Any]] = []
    async with aiohttp.ClientSession() as http, http.ws_connect(f"ws://127.0.0.1:{emu.port}/gateway") as ws:
        await ws.receive_json()  # HELLO
        await ws.send_str(json.dumps({"op": 2, "d": {"token": Emulator.TOKEN, "shard": shard, "intents": 0}}))
        while True:
            try:
                msg = await ws.receive(timeout=0.5)
            except TimeoutError:
                return frames, None
            if msg.type != aiohttp.WSMsgType.TEXT:
                return frames, ws.close_code
            frames.append(json.loads(msg.data))


async def test_each_shard_gets_its_own_guilds() -> None:
    emu = Emulator(shard_count=2)
    await emu.start()
    try:
        guilds = await spread_guilds(emu, 12)
        async with aiohttp.ClientSession() as http:
            auth = {"Authorization": f"Bot {Emulator.TOKEN}"}
            gateway = await (await http.get(f"{emu.api_base}/gateway/bot", headers=auth)).json()
        assert gateway["shards"] == 2
        got: dict[int, set[int]] = {}
        for shard_id in (0, 1):
            frames, closed = await identify(emu, [shard_id, 2])
            assert closed is None
            ready = frames[0]["d"]
            assert frames[0]["t"] == "READY" and ready["shard"] == [shard_id, 2]
            created = {int(f["d"]["id"]) for f in frames if f["t"] == "GUILD_CREATE"}
            assert created == {int(g["id"]) for g in ready["guilds"]}
            got[shard_id] = created
        for shard_id, ids in got.items():
            assert ids == {g.id for g in guilds if (g.id >> 22) % 2 == shard_id}
        assert got[0] and got[1] and got[0] | got[1] == {g.id for g in guilds}
    finally:
        await emu.stop()


@pytest.mark.parametrize("shard", [[2, 2], [-1, 2], [0, 0], "0,1", [0, 1, 2]])
async def test_an_invalid_shard_is_closed_with_4010(shard: Any) -> None:
    emu = Emulator()
    await emu.start()
    try:
        _, closed = await identify(emu, shard)
        assert closed == 4010
    finally:
        await emu.stop()


async def test_one_process_with_every_shard_sees_every_guild(settings, template_db) -> None:
    seed_database(settings, template_db)
    emu = Emulator(shard_count=3, max_concurrency=3)
    await emu.start()
    guilds = await spread_guilds(emu, 9)
    emu.channel(guilds[0], "quiz")
    world, task = await start_world(settings.model_copy(update={"shard_count": 3}), emulator=emu)
    try:
        assert sorted(emu.identified_shards) == [(0, 3), (1, 3), (2, 3)]
        assert {g.id for g in world.bot.guilds} == {g.id for g in guilds}
        assert world.bot.shard_count == 3
    finally:
        await stop_world(world, task)
