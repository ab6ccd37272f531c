"""Keeps the names shown on servers' web pages fresh: members seen writing, pressing or changing name,
and the server's own name."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.client import CalcioBot
from db.queries.profiles import rename_site, save_names, web_guild_ids

log = logging.getLogger(__name__)


class FanNames(commands.Cog):
    """Writes a member's display name for a server with a web page, only when it is new or changed."""

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot
        self.web_guilds: set[int] = set()
        self.known: dict[tuple[int, int], str] = {}

    async def cog_load(self) -> None:
        async with self.bot.db.sessions() as s:
            self.web_guilds = await web_guild_ids(s)

    async def publish(self, guild: discord.Guild) -> int:
        """The page was turned on: record every member's name now. Returns how many."""
        self.web_guilds.add(guild.id)
        names = {m.id: m.display_name for m in guild.members if not m.bot}
        async with self.bot.db.sessions.begin() as s:
            await save_names(s, guild.id, names, self.bot.clock.now())
        self.known.update({(guild.id, uid): name for uid, name in names.items()})
        return len(names)

    def withdraw(self, guild_id: int) -> None:
        """The page was turned off: stop recording names there."""
        self.web_guilds.discard(guild_id)

    async def note(self, member: discord.Member | discord.User) -> None:
        """Record a member's name if their server has a page and the name is new to us."""
        if not isinstance(member, discord.Member) or member.bot or member.guild.id not in self.web_guilds:
            return
        key = (member.guild.id, member.id)
        if self.known.get(key) == member.display_name:
            return
        try:
            async with self.bot.db.sessions.begin() as s:
                await save_names(s, member.guild.id, {member.id: member.display_name}, self.bot.clock.now())
        except Exception:  # a name is cosmetic: never let it break a quiz
            log.warning("Could not save a fan's name", exc_info=True)
            return
        self.known[key] = member.display_name

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is not None:
            await self.note(message.author)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.guild is not None:
            await self.note(interaction.user)

    @commands.Cog.listener()
    async def on_guild_update(self, before: discord.Guild, after: discord.Guild) -> None:
        if after.id in self.web_guilds and before.name != after.name:
            async with self.bot.db.sessions.begin() as s:
                await rename_site(s, after.id, after.name)

    @commands.Cog.listener()
    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        if before.display_name != after.display_name:
            await self.note(after)


async def setup(bot: CalcioBot) -> None:
    await bot.add_cog(FanNames(bot))
