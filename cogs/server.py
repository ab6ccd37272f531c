"""/server ...: this server's settings (Manage Server): club, language and public leaderboard page."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CalcioBot
from bot.errors import UserError
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, server_lang, translate
from bot.quiz.club_names import club_label, load_club_names
from bot.quiz.teams import MAX_TEAMS, MIN_TEAMS
from bot.text import COLOUR, NO_PINGS, plain
from bot.translator import reply_lang
from bot.tree import servers_only
from cogs.checks import Refused, require_manage_server
from cogs.quiz import club_choices
from db.queries.guilds import guild_language, guild_settings, set_guild_language
from db.queries.profiles import disable_web, enable_web
from db.queries.quiz import clubs
from db.queries.teams import AlreadyTeam, TooManyTeams, add_team_role, remove_team_role, team_role_ids

NO_CLUB = "none"
AUTO = "auto"


def web_address(bot: CalcioBot, slug: str) -> str:
    """The public address of a server's page."""
    return f"{bot.settings.web_base}/s/{slug}"


def web_button(url: str, lang: str | None = None) -> discord.ui.Button[discord.ui.View]:
    label = translate(lang, "View on the web")
    return discord.ui.Button(style=discord.ButtonStyle.link, label=label, url=url)


class Server(commands.Cog):
    """Server settings."""

    server = app_commands.Group(
        name="server",
        description="This server's settings (Manage Server)",
        guild_only=True,
        allowed_contexts=servers_only(),
        default_permissions=discord.Permissions(manage_guild=True),
    )
    web = app_commands.Group(name="web", description="This server's public leaderboard page", parent=server)
    teams = app_commands.Group(
        name="teams", description="Roles that play as teams in /quiz start teams:roles", parent=server
    )

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot
        self.club_names: dict[str, str] = {}

    async def cog_load(self) -> None:
        self.club_names = await asyncio.to_thread(load_club_names, self.bot.settings.content_dir)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        """Checked at run time too: server owners can override the commands' default permissions."""
        if interaction.guild_id is None:
            raise Refused("Server settings belong to a server: use this in a server.")
        require_manage_server(interaction)
        return True

    async def _known_clubs(self) -> list[str]:
        async with self.bot.db.sessions() as s:
            with_questions = await clubs(s)
        return sorted(set(with_questions) | set(self.club_names))

    @server.command(name="club", description="Set this server's club: daily posts and quizzes lean to it")
    @app_commands.describe(club="The club (start typing its name), or 'none' to clear it; empty: show it")
    async def club(
        self, interaction: discord.Interaction, club: app_commands.Range[str, 1, 40] | None = None
    ) -> None:
        assert interaction.guild_id is not None
        lang = reply_lang(interaction)
        if club is None:
            async with self.bot.db.sessions() as s:
                row = await guild_settings(s, interaction.guild_id)
            text = (
                translate(
                    lang,
                    "This server's club is **{club}**.",
                    club=plain(club_label(row.club, self.club_names), 60),
                )
                if row.club
                else translate(lang, "This server has no club set. Choose one with `/server club club:`.")
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
                "I don't know the club {club}. Start typing its name and pick it from the list.",
                club=repr(plain(club, 40)),
            )
        async with self.bot.db.sessions.begin() as s:
            row = await guild_settings(s, interaction.guild_id, create=True)
            row.club = chosen
        text = (
            "✅ "
            + translate(
                lang,
                "This server's club is now **{club}**: daily posts show its 'on this day' facts first, "
                "and quizzes lean to it.",
                club=plain(club_label(chosen, self.club_names), 60),
            )
            if chosen
            else translate(lang, "Club cleared: daily posts and quizzes no longer lean to a club.")
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @club.autocomplete("club")
    async def _club_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        choices = club_choices(await self._known_clubs(), self.club_names, current)
        if NO_CLUB.startswith(current.casefold().strip()):
            label = translate(reply_lang(interaction), "No club (clear)")
            choices = [app_commands.Choice(name=label, value=NO_CLUB), *choices][:25]
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
        guild = interaction.guild
        assert guild is not None
        lang = reply_lang(interaction)
        if language is None:
            async with self.bot.db.sessions() as s:
                chosen = await guild_language(s, guild.id)
            name = translate(lang, LANGUAGE_NAMES[server_lang(chosen, guild.preferred_locale)])
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
            await set_guild_language(s, guild.id, chosen)
        name = translate(lang, LANGUAGE_NAMES[server_lang(chosen, guild.preferred_locale)])
        text = translate(
            lang,
            "Done: quiz rounds, leaderboards and daily posts here will be in **{language}**.",
            language=name,
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

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
        url, lang = web_address(self.bot, slug), reply_lang(interaction)
        embed = discord.Embed(
            title="🌐 " + translate(lang, "The web page is on"),
            description=url
            + "\n\n"
            + translate(
                lang,
                "Anyone with this address can read the ranking, the fans' pages and the recent quizzes; "
                "nothing can be changed there. A fan can appear as “hidden fan” with "
                "`/stats privacy:hidden`. `/server web off` takes the page down at once.",
            ),
            colour=COLOUR,
        )
        if not self.bot.settings.web_public_url:
            embed.set_footer(
                text="This bot has no public web address set (WEB_PUBLIC_URL): the link only works "
                "on the machine that runs it, until its owner sets one."
            )
        view = discord.ui.View()
        view.add_item(web_button(url, lang))
        await interaction.followup.send(embed=embed, view=view, ephemeral=True, allowed_mentions=NO_PINGS)

    @web.command(name="off", description="Take this server's web page down (its address answers 404)")
    async def web_off(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        async with self.bot.db.sessions.begin() as s:
            was_on = await disable_web(s, interaction.guild_id)
        names = self.bot.get_cog("FanNames")
        if names is not None:
            names.withdraw(interaction.guild_id)  # type: ignore[attr-defined]
        lang = reply_lang(interaction)
        text = (
            translate(
                lang,
                "The web page is off: its address now answers “not found”. `/server web on` brings it back "
                "at the same address.",
            )
            if was_on
            else translate(lang, "The web page was already off.")
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @teams.command(name="add", description="Make a role a team: its members play for it in teams quizzes")
    @app_commands.describe(role="The fans' role (e.g. a club, a city, a curva)")
    async def teams_add(self, interaction: discord.Interaction, role: discord.Role) -> None:
        guild = interaction.guild
        assert guild is not None
        if role.is_default():
            raise UserError("Everyone has @everyone, so it can't be a team: pick a role some fans have.")
        if role.managed:
            raise UserError(
                "{role} belongs to a bot or an integration, so fans can't hold it as a team: pick a "
                "role you give to fans.",
                role=role.mention,
            )
        try:
            async with self.bot.db.sessions.begin() as s:
                count = await add_team_role(s, guild.id, role.id, self.bot.clock.now())
        except AlreadyTeam:
            raise UserError("{role} is already a team.", role=role.mention) from None
        except TooManyTeams:
            raise UserError(
                "This server already has {max} teams, the most it can have. Remove one with "
                "`/server teams remove` first.",
                max=MAX_TEAMS,
            ) from None
        lang = reply_lang(interaction)
        text = "✅ " + translate(
            lang, "{role} is now a team ({n} of {max}).", role=role.mention, n=count, max=MAX_TEAMS
        )
        if count < MIN_TEAMS:
            text += " " + translate(lang, "Add one more team to play `/quiz start teams:roles`.")
        else:
            text += " " + translate(lang, "Play with `/quiz start teams:roles`.")
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @teams.command(name="remove", description="Stop a role being a team (its points stay on the team board)")
    @app_commands.describe(role="The team's role")
    async def teams_remove(self, interaction: discord.Interaction, role: discord.Role) -> None:
        assert interaction.guild_id is not None
        async with self.bot.db.sessions.begin() as s:
            removed = await remove_team_role(s, interaction.guild_id, role.id)
        if not removed:
            raise UserError("{role} is not a team. See them with `/server teams list`.", role=role.mention)
        text = translate(
            reply_lang(interaction),
            "{role} is no longer a team. Its points stay on `/leaderboard show board:teams`.",
            role=role.mention,
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @teams.command(name="list", description="This server's team roles")
    async def teams_list(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild
        assert guild is not None
        async with self.bot.db.sessions() as s:
            marked = await team_role_ids(s, guild.id)
        lang = reply_lang(interaction)
        lines = [
            f"• <@&{r}>" if guild.get_role(r) is not None else "• " + translate(lang, "deleted role")
            for r in marked
        ]
        embed = discord.Embed(
            title="🏟️ " + translate(lang, "Teams ({n} of {max})", n=len(marked), max=MAX_TEAMS),
            description="\n".join(lines)
            or translate(lang, "No teams yet. Mark the fans' roles with `/server teams add`."),
            colour=COLOUR,
        )
        embed.set_footer(
            text=translate(
                lang,
                "A fan with one team role plays for it; with none, for themselves; with two or more, "
                "for no team (their own points still count).",
            )
        )
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)


async def setup(bot: CalcioBot) -> None:
    await bot.add_cog(Server(bot))
