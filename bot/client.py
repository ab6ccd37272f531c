"""The Bot subclass: opens the database, loads one cog per feature, syncs commands."""

from __future__ import annotations

import asyncio
import logging

import discord
import yarl
from discord.ext import commands

from bot.clock import Clock, SystemClock
from bot.config import DISCORD_API, Settings
from bot.database import Database, open_database
from bot.text import NO_PINGS
from bot.translator import CatalogTranslator
from bot.tree import CalcioTree

log = logging.getLogger(__name__)

EXTENSIONS = (
    "cogs.errors",
    "cogs.facts",
    "cogs.quiz",
    "cogs.leaderboard",
    "cogs.dailypost",
    "cogs.bank",
    "cogs.server",
    "cogs.fans",
    "cogs.var",
)


def point_at_api(base: str) -> None:
    """Send REST calls to `base` (Discord, a rate-limit proxy, or the local emulator)."""
    discord.http.Route.BASE = base.rstrip("/")


def intents() -> discord.Intents:
    """Guilds and messages; message content for typed answers; members for leaderboard names."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.message_content = True
    wanted.members = True
    return wanted


IDENTIFY_INTERVAL = 5.0  # Discord: one IDENTIFY per 5 s in each max_concurrency bucket


class CalcioBot(commands.AutoShardedBot):
    """Calcio Quiz. Services hang off the bot so cogs can reach them; all state of record is in the db.

    Always auto-sharded: SHARD_COUNT/SHARD_IDS pick this process's shards (several processes share one
    database); without them Discord's recommended count is used, all in this process."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        db: Database | None = None,
        time_scale: float = 1.0,
        guild_ready_timeout: float | None = None,
    ) -> None:
        """`guild_ready_timeout` (default: the setting): how long discord.py waits after the last
        GUILD_CREATE before "ready"; 2 s suits Discord, a local emulator sends every guild at once."""
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=NO_PINGS,
            help_command=None,
            guild_ready_timeout=guild_ready_timeout or settings.guild_ready_timeout,
            tree_cls=CalcioTree,
            shard_count=settings.shard_count,
            shard_ids=settings.shard_ids,
        )
        self.max_concurrency = 1  # from GET /gateway/bot at login
        self._identified_buckets: set[int] = set()
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self._db = db
        self.time_scale = time_scale  # < 1 shortens quiz timers (tests and the demo)
        point_at_api(settings.discord_api_base)

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("database not open yet")
        return self._db

    async def login(self, token: str) -> None:
        await super().login(token)
        recommended, url, limits = await self.http.get_bot_gateway()
        self.max_concurrency = max(1, int(limits.get("max_concurrency", 1)))
        if self.shard_count is None:  # Discord's recommendation; launching the shards won't ask again
            self.shard_count = recommended
        if self.settings.discord_api_base != DISCORD_API:
            # A non-default API (proxy or emulator) also tells us where its gateway is.
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Shards in different max_concurrency buckets identify at once (discord.py waits 5 s for each
        shard but the first); a bucket's second IDENTIFY still waits."""
        bucket = (shard_id or 0) % self.max_concurrency
        if bucket in self._identified_buckets:
            await asyncio.sleep(IDENTIFY_INTERVAL)
        self._identified_buckets.add(bucket)

    async def setup_hook(self) -> None:
        if self._db is None:
            self._db, _ = await open_database(self.settings)
        for ext in EXTENSIONS:
            await self.load_extension(ext)
        await self.tree.set_translator(CatalogTranslator())
        if self.settings.dev_guild_id:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("Synced %d application commands", len(synced))

    async def close(self) -> None:
        if not hasattr(self, "_AutoShardedClient__queue"):
            # discord.py's sharded close() needs the event queue login() creates: give a client closed
            # before it ever logged in (a failed start-up) an empty one.
            self._AutoShardedClient__queue = asyncio.PriorityQueue()
        await super().close()
        if self._db is not None:
            await self._db.close()
