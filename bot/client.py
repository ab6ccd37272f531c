"""The Bot subclass: opens the database, loads one cog per feature, syncs commands."""

from __future__ import annotations

import logging

import discord
import yarl
from discord.ext import commands

from bot.clock import Clock, SystemClock
from bot.config import DISCORD_API, Settings
from bot.database import Database, open_database
from bot.text import NO_PINGS
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


class CalcioBot(commands.Bot):
    """Calcio Quiz. Services hang off the bot so cogs can reach them; all state of record is in the db."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        db: Database | None = None,
        time_scale: float = 1.0,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        """`guild_ready_timeout`: how long discord.py waits after the last GUILD_CREATE before "ready";
        2 s suits Discord, a local emulator sends every guild at once (tests and the demo use less)."""
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=NO_PINGS,
            help_command=None,
            guild_ready_timeout=guild_ready_timeout,
            tree_cls=CalcioTree,
        )
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
        if self.settings.discord_api_base != DISCORD_API:
            # A non-default API (proxy or emulator) also tells us where its gateway is.
            _, url, _ = await self.http.get_bot_gateway()
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)

    async def setup_hook(self) -> None:
        if self._db is None:
            self._db, _ = await open_database(self.settings)
        for ext in EXTENSIONS:
            await self.load_extension(ext)
        if self.settings.dev_guild_id:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("Synced %d application commands", len(synced))

    async def close(self) -> None:
        await super().close()
        if self._db is not None:
            await self._db.close()
