"""/server: this server's settings (Manage Server); `/server language` picks the public language."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CalcioBot
from bot.errors import UserError
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, server_lang, translate
from bot.text import NO_PINGS
from bot.translator import reply_lang
from db.queries.guilds import guild_language, set_guild_language

AUTO = "auto"


def require_manage(interaction: discord.Interaction) -> None:
    """The run-time check behind Discord's default permission (server owners can override that one)."""
    if not interaction.permissions.manage_guild:
        raise UserError("You need the **Manage Server** permission to do that.")


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Server(
    commands.GroupCog, group_name="server", group_description="This server's settings (Manage Server)"
):
    """Per-server settings."""

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="language", description="The language of quiz rounds, leaderboards and daily posts"
    )
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
