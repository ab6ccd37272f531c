"""Shared fixtures: settings on a temporary database, an open database, the emulator with the real bot."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import os
import shutil
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import hypothesis
import pytest
import pytest_asyncio

from bot import PROJECT_ROOT
from bot.client import CalcioBot
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.content.generate import content_digest
from bot.content.loader import Content, cached_content
from bot.database import Database, open_database
from discord_emulator import Emulator
from discord_emulator.clocks import StoppedClock, use_deadline_clock
from discord_emulator.state import Channel, Guild
from tests.backend import (
    any_database_url,
    empty_postgres_url,
    end_run,
    exclusive,
    postgres_databases,
    postgres_url,
    run_folder,
    suite_on_postgres,
    test_database_url,
)
from tests.xdist_dealing import DealtLoadScheduling

# Discord's 3 s and 15 min interaction deadlines run on a clock that stands still unless a test moves it,
# so a loaded machine never fails a test (tests/e2e/test_emulator_rules.py checks the deadlines).
use_deadline_clock(StoppedClock())

__all__ = [  # shared fixtures (tests/backend.py)
    "any_database_url",
    "empty_postgres_url",
    "postgres_databases",
    "postgres_url",
    "test_database_url",
]


# A test never asserts a wall-clock time: Hypothesis's per-example deadline (200 ms) would, and fails on a
# loaded machine; examples are still capped by max_examples.
hypothesis.settings.register_profile("calcio", deadline=None)
hypothesis.settings.load_profile("calcio")


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """Workers for `-n auto` (set in pyproject.toml): for the whole suite or a folder, one more than this
    machine's cores (three here, eight at most), so the tests that mostly wait (real bot processes, quiz
    time limits, Chromium) leave no core idle: 87 s with three against 98 s with two, for the same CPU.
    None for single files and tests, where starting the workers costs more than it saves.
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides first."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    whole = any(Path(str(arg).split("::")[0]).is_dir() for arg in config.args)
    return min((os.cpu_count() or 1) + 1, 8) if whole else 0  # each worker holds a few hundred MB


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first (stable otherwise): they are dealt out between the workers at the start
    (tests/xdist_dealing.py), so their long waits overlap the many short tests instead of leaving one
    worker alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Collect garbage less often in the test processes: everything imported so far is frozen out of the
    collector's reach, and a young collection waits for 50,000 new objects, not 700. Each test builds and
    drops whole bots, emulators and content folders, and with the defaults about a fifth of the suite's CPU
    went to the collector re-walking the same long-lived objects (25 s of the workers' CPU, now ~7 s)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def pytest_unconfigure(config: pytest.Config) -> None:
    """In the xdist controller, once every worker has finished: stop the PostgreSQL server the workers
    shared, or drop their template from DATABASE_URL's (tests/backend.py). xdist made each worker's basetemp
    inside this process's, which is the run's folder."""
    factory = getattr(config, "_tmp_path_factory", None)
    if config.pluginmanager.has_plugin("dsession") and factory is not None:
        end_run(factory.getbasetemp())


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> DealtLoadScheduling | None:
    """`--dist load` (the default) deals its opening tests round-robin; another `--dist` is xdist's own."""
    return DealtLoadScheduling(config, log) if config.getoption("dist") == "load" else None


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, test_database_url: str) -> Settings:
    """Settings on this test's own database: a SQLite file, or a PostgreSQL copy (see tests/backend.py)."""
    monkeypatch.chdir(tmp_path)  # no stray .env from the checkout
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    return load_settings(data_dir=tmp_path / "data", database_url=test_database_url)


ENV_KEYS = ("DISCORD_TOKEN", "DATABASE_URL", "DISCORD_API_BASE", "DEV_GUILD_ID", "LOG_LEVEL")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated to head with the content synced, made once per run (the xdist workers
    share it: the first one builds it while the others wait).

    Each test starts from a copy of it: opening that copy still migrates (nothing to do) and syncs (all
    unchanged), exactly as the bot does at every start, without paying for the first full sync each time.
    """
    root = run_folder(tmp_path_factory)
    folder = root / "template"
    with exclusive(root / "template.lock"):
        if not (folder / "built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build cut short
            (folder / "data").mkdir(parents=True)
            settings = load_settings(data_dir=folder / "data", database_url="")  # SQLite, in any pass

            async def build() -> None:
                database, _ = await open_database(settings)
                await database.close()

            with ThreadPoolExecutor(1) as pool:  # its own event loop, away from the tests' loops
                pool.submit(asyncio.run, build()).result()
            (folder / "built").touch()
    return folder / "data" / DB_FILE


@pytest.fixture(scope="session")
def shipped_content() -> Content:
    """The shipped content folder, loaded (its banks generated from the records) once per worker: the same
    object the bot's database opening and `play` cache in this process (bot/content/loader.py). Read it,
    never change it."""
    return cached_content(CONTENT_DIR.resolve(), content_digest(CONTENT_DIR))


CONTENT_DIR = PROJECT_ROOT / "content"
DB_FILE = "calcio-quiz.db"


def seed_database(settings: Settings, template: Path) -> None:
    """Put a copy of the template where `settings` keep the default SQLite file (if nothing is there)."""
    if settings.db_url == f"sqlite+aiosqlite:///{settings.data_dir / DB_FILE}":
        seed_data_dir(settings.data_dir, template)


def seed_data_dir(data_dir: Path, template: Path) -> None:
    """Put a copy of the template as the default SQLite file of `data_dir` (if nothing is there): a bot
    process started on it finds its content synced, as on the PostgreSQL copies (tests/backend.py)."""
    target = data_dir / DB_FILE
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)


@pytest.fixture
async def db(settings: Settings, template_db: Path) -> AsyncIterator[Database]:
    seed_database(settings, template_db)
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
# discord.py waits this long after the last GUILD_CREATE before READY, every start. Here the emulator runs
# in the bot's own event loop and sends READY and every GUILD_CREATE in one go, so they are all parsed
# before that wait begins: it only ever times out. start_world still waits until the bot has every guild.
GUILD_READY_TIMEOUT = 0.05


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
    bot = CalcioBot(bot_settings, clock=clock, time_scale=TIME_SCALE, guild_ready_timeout=GUILD_READY_TIMEOUT)
    task = asyncio.create_task(bot.start(Emulator.TOKEN))
    await asyncio.wait_for(bot.wait_until_ready(), 15)
    await _every_guild_loaded(bot)
    return World(emu, bot, guild, channel, clock, bot_settings), task


async def _every_guild_loaded(bot: CalcioBot, timeout: float = 15) -> None:
    """Return once every guild READY listed has come in full (its GUILD_CREATE: at once, in practice)."""
    for _ in range(int(timeout / 0.01)):
        if not any(g.unavailable for g in bot.guilds):
            return
        await asyncio.sleep(0.01)
    raise TimeoutError("a guild listed in READY never came")


async def stop_world(world: World, task: asyncio.Task[None], *, stop_emulator: bool = True) -> None:
    await world.bot.close()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 10)
    if stop_emulator:
        await world.emulator.stop()


@pytest.fixture
async def world(settings: Settings, template_db: Path) -> AsyncIterator[World]:
    seed_database(settings, template_db)
    w, task = await start_world(settings)
    yield w
    await stop_world(w, task)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, template_db: Path
) -> AsyncIterator[World]:
    """One emulator and one connected bot for a whole module, for tests that need neither a fresh process
    nor a fresh database (e.g. requests the bot refuses). The module runs in one event loop:
    `pytestmark = pytest.mark.asyncio(loop_scope="module")`, and a `world` fixture returning this one."""
    with pytest.MonkeyPatch.context() as mp:
        folder = tmp_path_factory.mktemp("shared-world")
        mp.chdir(folder)
        for key in ENV_KEYS:
            mp.delenv(key, raising=False)
        url = ""
        if suite_on_postgres():
            databases = request.getfixturevalue("postgres_databases")
            name = databases.create()
            url = databases.url(name)
        settings = load_settings(data_dir=folder / "data", database_url=url)
        seed_database(settings, template_db)
        w, task = await start_world(settings)
        try:
            yield w
        finally:
            await stop_world(w, task)
            if url:
                databases.drop_later(name)
