"""Shared fixtures: settings on a temporary database, an open database, the emulator with the real bot."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.client import CalcioBot
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.database import Database, open_database
from discord_emulator import Emulator
from discord_emulator.state import Channel, Guild


@pytest.fixture(scope="session")
def synced_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated and synced with the shipped content once per run (about 12,000 rows, a few
    seconds); each test starts from a copy, whose unchanged content digest skips the sync."""
    data = tmp_path_factory.mktemp("template")
    template_settings = load_settings(data_dir=data)

    async def build() -> None:
        database, _ = await open_database(template_settings)
        await database.close()

    asyncio.run(build())
    return data / "calcio-quiz.db"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, synced_template: Path) -> Settings:
    monkeypatch.chdir(tmp_path)  # no stray .env from the checkout
    for key in ("DISCORD_TOKEN", "DATABASE_URL", "DISCORD_API_BASE", "DEV_GUILD_ID", "LOG_LEVEL"):
        monkeypatch.delenv(key, raising=False)
    loaded = load_settings(data_dir=tmp_path / "data")
    loaded.data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(synced_template, loaded.data_dir / synced_template.name)
    return loaded


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database, _ = await open_database(settings)
    yield database
    await database.close()


@dataclass
class World:
    """A running emulator with one guild and channel, and the real bot connected to it."""

    emulator: Emulator
    bot: CalcioBot
    guild: Guild
    channel: Channel
    clock: ManualClock
    settings: Settings


TIME_SCALE = 0.05  # a 20 s question lasts 1 s in tests


async def start_world(
    settings: Settings, *, clock: ManualClock | None = None, emulator: Emulator | None = None
) -> tuple[World, asyncio.Task[None]]:
    emu = emulator or Emulator()
    if emulator is None:
        await emu.start()
        guild = emu.guild("Curva Nord")
        channel = emu.channel(guild, "quiz")
    else:
        guild = next(iter(emu.guilds.values()))
        channel = next(iter(guild.channels.values()))
    clock = clock or ManualClock(dt.datetime(2025, 5, 22, 10, 0, tzinfo=dt.UTC))
    bot_settings = settings.model_copy(update={"discord_api_base": emu.api_base})
    bot = CalcioBot(bot_settings, clock=clock, time_scale=TIME_SCALE)
    task = asyncio.create_task(bot.start(Emulator.TOKEN))
    await asyncio.wait_for(bot.wait_until_ready(), 15)
    return World(emu, bot, guild, channel, clock, bot_settings), task


async def stop_world(world: World, task: asyncio.Task[None], *, stop_emulator: bool = True) -> None:
    await world.bot.close()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 10)
    if stop_emulator:
        await world.emulator.stop()


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    w, task = await start_world(settings)
    yield w
    await stop_world(w, task)
