"""/server: this server's settings (Manage Server). `/server web on|off`: the public leaderboard page."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CalcioBot
from bot.text import COLOUR, NO_PINGS
from cogs.errors import Refused
from db.queries.profiles import disable_web, enable_web


def web_address(bot: CalcioBot, slug: str) -> str:
    """The public address of a server's page."""
    return f"{bot.settings.web_base}/s/{slug}"


def web_button(url: str) -> discord.ui.Button[discord.ui.View]:
    return discord.ui.Button(style=discord.ButtonStyle.link, label="View on the web", url=url)


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Server(
    commands.GroupCog, group_name="server", group_description="This server's settings (Manage Server)"
):
    """Server settings."""

    web = app_commands.Group(name="web", description="This server's public leaderboard page")

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        if interaction.guild_id is None:
            raise Refused("Server settings belong to a server: use this in a server.")
        if not interaction.permissions.manage_guild:
            raise Refused("You need the **Manage Server** permission to do that.")
        return True

    @web.command(name="on", description="Publish this server's leaderboard on a private web address")
    async def web_on(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild
        assert guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.sessions.begin() as s:
            slug = await enable_web(s, guild.id, guild.name)
        names = self.bot.get_cog("FanNames")
        if names is not None:
            await names.publish(guild)  # type: ignore[attr-defined]
        url = web_address(self.bot, slug)
        embed = discord.Embed(
            title="🌐 The web page is on",
            description=(
                f"{url}\n\nAnyone with this address can read the ranking, the fans' pages and the recent "
                "quizzes; nothing can be changed there. A fan can appear as “hidden fan” with "
                "`/stats privacy:hidden`. `/server web off` takes the page down at once."
            ),
            colour=COLOUR,
        )
        view = discord.ui.View()
        view.add_item(web_button(url))
        await interaction.followup.send(embed=embed, view=view, ephemeral=True, allowed_mentions=NO_PINGS)

    @web.command(name="off", description="Take this server's web page down (its address answers 404)")
    async def web_off(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        async with self.bot.db.sessions.begin() as s:
            was_on = await disable_web(s, interaction.guild_id)
        names = self.bot.get_cog("FanNames")
        if names is not None:
            names.withdraw(interaction.guild_id)  # type: ignore[attr-defined]
        text = (
            "The web page is off: its address now answers “not found”. `/server web on` brings it back "
            "at the same address."
            if was_on
            else "The web page was already off."
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)


async def setup(bot: CalcioBot) -> None:
    await bot.add_cog(Server(bot))
