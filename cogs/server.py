"""/server ...: a server's own settings (Manage Server). `club` here; other settings join the group."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CalcioBot
from bot.errors import UserError
from bot.quiz.club_names import club_label, load_club_names
from bot.text import NO_PINGS, plain
from cogs.quiz import club_choices
from db.queries.guilds import guild_settings
from db.queries.quiz import clubs

NO_CLUB = "none"


def require_manage(interaction: discord.Interaction) -> None:
    """Checked at run time too: server owners can override the command's default permissions."""
    if not interaction.permissions.manage_guild:
        raise UserError("You need the **Manage Server** permission to do that.")


class Server(commands.Cog):
    """Server settings."""

    server = app_commands.Group(
        name="server",
        description="This server's settings (Manage Server)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot
        self.club_names: dict[str, str] = {}

    async def cog_load(self) -> None:
        self.club_names = await asyncio.to_thread(load_club_names, self.bot.settings.content_dir)

    async def _known_clubs(self) -> list[str]:
        async with self.bot.db.sessions() as s:
            with_questions = await clubs(s)
        return sorted(set(with_questions) | set(self.club_names))

    @server.command(name="club", description="Set this server's club: daily posts and quizzes lean to it")
    @app_commands.describe(club="The club (start typing its name), or 'none' to clear it; empty: show it")
    async def club(
        self, interaction: discord.Interaction, club: app_commands.Range[str, 1, 40] | None = None
    ) -> None:
        require_manage(interaction)
        assert interaction.guild_id is not None
        if club is None:
            async with self.bot.db.sessions() as s:
                row = await guild_settings(s, interaction.guild_id)
            text = (
                f"This server's club is **{plain(club_label(row.club, self.club_names), 60)}**."
                if row.club
                else "This server has no club set. Choose one with `/server club club:`."
            )
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)
            return
        slug = club.strip().lower()
        if slug == NO_CLUB:
            chosen = None
        elif slug in await self._known_clubs():
            chosen = slug
        else:
            raise UserError(
                f"I don't know the club {plain(club, 40)!r}. Start typing its name and pick it from the list."
            )
        async with self.bot.db.sessions.begin() as s:
            row = await guild_settings(s, interaction.guild_id, create=True)
            row.club = chosen
        text = (
            f"✅ This server's club is now **{plain(club_label(chosen, self.club_names), 60)}**: daily posts "
            "show its 'on this day' facts first, and quizzes lean to it."
            if chosen
            else "Club cleared: daily posts and quizzes no longer lean to a club."
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @club.autocomplete("club")
    async def _club_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        choices = club_choices(await self._known_clubs(), self.club_names, current)
        if NO_CLUB.startswith(current.casefold().strip()):
            choices = [app_commands.Choice(name="No club (clear)", value=NO_CLUB), *choices][:25]
        return choices


async def setup(bot: CalcioBot) -> None:
    await bot.add_cog(Server(bot))
