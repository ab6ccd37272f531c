"""/server ...: a server's own settings (Manage Server): `club`, `language` (of its public messages)."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CalcioBot
from bot.errors import UserError
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, server_lang, translate
from bot.quiz.club_names import club_label, load_club_names
from bot.text import NO_PINGS, plain
from bot.translator import reply_lang
from cogs.quiz import club_choices
from db.queries.guilds import guild_language, guild_settings, set_guild_language
from db.queries.quiz import clubs

NO_CLUB = "none"
AUTO = "auto"


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

    @server.command(name="language", description="The language of quiz rounds, leaderboards and daily posts")
    @app_commands.describe(language="Leave empty to see the current language")
    @app_commands.choices(
        language=[
            *(app_commands.Choice(name=name, value=code) for code, name in LANGUAGES.items()),
            app_commands.Choice(name="Automatic: the server's Discord language", value=AUTO),
        ]
    )
    async def language(self, interaction: discord.Interaction, language: str | None = None) -> None:
        require_manage(interaction)
        assert interaction.guild is not None
        lang = reply_lang(interaction)
        if language is None:
            async with self.bot.db.sessions() as s:
                chosen = await guild_language(s, interaction.guild.id)
            effective = server_lang(chosen, interaction.guild.preferred_locale)
            name = translate(lang, LANGUAGE_NAMES[effective])
            text = (
                translate(lang, "Public messages here are in **{language}**.", language=name)
                if chosen
                else translate(
                    lang,
                    "Public messages here are in **{language}**, the server's Discord language. "
                    "Choose one with `/server language`.",
                    language=name,
                )
            )
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)
            return
        chosen = None if language == AUTO else language
        if chosen is not None and chosen not in LANGUAGE_NAMES:
            raise UserError("I don't speak that language yet: pick one from the list.")
        async with self.bot.db.sessions.begin() as s:
            await set_guild_language(s, interaction.guild.id, chosen)
        effective = server_lang(chosen, interaction.guild.preferred_locale)
        name = translate(lang, LANGUAGE_NAMES[effective])
        text = translate(
            lang,
            "Done: quiz rounds, leaderboards and daily posts here will be in **{language}**.",
            language=name,
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)


async def setup(bot: CalcioBot) -> None:
    await bot.add_cog(Server(bot))
