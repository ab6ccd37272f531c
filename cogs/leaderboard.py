"""/leaderboard show, /leaderboard-reset (Manage Server) and /stats."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import math
from typing import Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot import charts
from bot.client import CalcioBot
from bot.errors import UserError
from bot.i18n import category_choices, category_name, decimal, ntranslate, number, percent, translate
from bot.leaderboard.periods import PERIOD_LABEL, Period, period_key, period_start
from bot.text import COLOUR, NO_PINGS, display_name, plain
from bot.translator import public_lang, reply_lang
from bot.tree import servers_only
from cogs.checks import manage_server_only, require_manage_server
from cogs.paging import PageView
from cogs.quiz import team_name
from cogs.server import web_address, web_button
from cogs.views import View
from db.queries import daily_questions as dq
from db.queries import history
from db.queries import leaderboard as lb
from db.queries.guilds import guild_timezone
from db.queries.profiles import set_hidden, web_slug
from db.queries.quiz import categories
from db.queries.teams import team_board

PAGE_SIZE = 10


def raw_name(guild: discord.Guild, user_id: int, lang: str | None = None) -> str:
    """A member's display name as drawn on a chart (no markdown there), or 'former member'."""
    member = guild.get_member(user_id)
    return member.display_name if member else translate(lang, "former member")


def pts(lang: str | None, n: int) -> str:
    return ntranslate(lang, "{n} pt", "{n} pts", n, n=number(n, lang))


class Board:
    """One leaderboard as a viewer sees it: period, category, page."""

    def __init__(
        self,
        bot: CalcioBot,
        guild: discord.Guild,
        viewer_id: int,
        period: Period,
        category: str | None,
        start: dt.date | None,
        lang: str | None = None,
    ) -> None:
        self.bot, self.guild, self.viewer_id = bot, guild, viewer_id
        self.period, self.category, self.start = period, category, start
        self.lang = lang
        self.page = 0
        self.pages = 1
        self._shown: tuple[int, lb.Cursor, lb.Cursor] | None = None  # page on screen, its first/last row

    async def embed(self) -> discord.Embed:
        async with self.bot.db.sessions() as s:
            key = period_key(self.period, self.start)
            total = await lb.players(s, self.guild.id, self.start, self.category, key=key)
            self.pages = max(1, math.ceil(total / PAGE_SIZE))
            self.page = min(self.page, self.pages - 1)
            # Next/previous continue from the page on screen (keyset: no OFFSET walk to deep pages).
            after = before = None
            if self._shown is not None and self.page == self._shown[0] + 1:
                after = self._shown[2]
            elif self._shown is not None and self.page == self._shown[0] - 1:
                before = self._shown[1]
            rows = await lb.page(
                s,
                self.guild.id,
                self.start,
                category=self.category,
                key=key,
                offset=self.page * PAGE_SIZE,
                limit=PAGE_SIZE,
                after=after,
                before=before,
            )
            if before is not None and len(rows) < PAGE_SIZE:  # rows came in above: back to the top
                self.page = 0
                rows = await lb.page(s, self.guild.id, self.start, category=self.category, key=key)
            self._shown = (self.page, lb.Cursor.of(rows[0]), lb.Cursor.of(rows[-1])) if rows else None
            mine = await lb.rank_of(s, self.guild.id, self.viewer_id, self.start, self.category, key=key)
        lang = self.lang
        title = "🏆 " + translate(
            lang, "Leaderboard — {period}", period=translate(lang, PERIOD_LABEL[self.period])
        )
        if self.category:
            title += f" · {plain(category_name(lang, self.category), 60)}"
        lines = [
            f"**{r.rank}.** {display_name(self.guild, r.user_id, lang)} — {pts(lang, r.points)} "
            + translate(lang, "({correct}/{answers} right)", correct=r.correct, answers=r.answers)
            for r in rows
        ]
        embed = discord.Embed(
            title=title,
            description="\n".join(lines) or translate(lang, "No scores yet. Play `/quiz start`!"),
            colour=COLOUR,
        )
        if mine is None:
            embed.add_field(
                name=translate(lang, "You"),
                value=translate(lang, "No points in this period yet."),
                inline=False,
            )
        elif all(r.user_id != self.viewer_id for r in rows):
            embed.add_field(
                name=translate(lang, "You"), value=f"#{mine.rank} — {pts(lang, mine.points)}", inline=False
            )
        footer = translate(lang, "Page {page}/{pages}", page=self.page + 1, pages=self.pages)
        players = ntranslate(lang, "{n} player", "{n} players", total, n=number(total, lang))
        embed.set_footer(text=f"{footer} · {players}")
        return embed


class StreakBoard:
    """The daily streak board as a viewer sees it, page by page: current streak, ties by best streak,
    then whoever reached theirs first."""

    def __init__(self, bot: CalcioBot, guild: discord.Guild, viewer_id: int, lang: str | None = None) -> None:
        self.bot, self.guild, self.viewer_id, self.lang = bot, guild, viewer_id, lang
        self.page = 0
        self.pages = 1

    async def embed(self) -> discord.Embed:
        async with self.bot.db.sessions() as s:
            total = await dq.streak_players(s, self.guild.id)
            self.pages = max(1, math.ceil(total / PAGE_SIZE))
            self.page = min(self.page, self.pages - 1)
            rows = await dq.streak_page(s, self.guild.id, offset=self.page * PAGE_SIZE, limit=PAGE_SIZE)
            mine = await dq.streak_rank(s, self.guild.id, self.viewer_id)
        lang = self.lang
        lines = [
            f"**{r.rank}.** {display_name(self.guild, r.user_id, lang)} — "
            + translate(lang, "🔥 {current} · best {best}", current=r.current, best=r.best)
            for r in rows
        ]
        embed = discord.Embed(
            title="🔥 " + translate(lang, "Daily streaks"),
            description="\n".join(lines)
            or translate(lang, "No daily streaks yet. Answer the question of the day right to start one!"),
            colour=COLOUR,
        )
        if mine is not None and all(r.user_id != self.viewer_id for r in rows):
            embed.add_field(
                name=translate(lang, "You"),
                value=f"#{mine.rank} — "
                + translate(lang, "🔥 {current} · best {best}", current=mine.current, best=mine.best),
                inline=False,
            )
        footer = translate(lang, "Page {page}/{pages}", page=self.page + 1, pages=self.pages)
        players = ntranslate(lang, "{n} player", "{n} players", total, n=number(total, lang))
        embed.set_footer(text=f"{footer} · {players}")
        return embed


async def team_board_embed(
    bot: CalcioBot, guild: discord.Guild, period: Period, start: dt.date | None, lang: str | None = None
) -> discord.Embed:
    """The teams ranked for a period (one page: a server has at most a few teams)."""
    async with bot.db.sessions() as s:
        rows = await team_board(s, guild.id, period_key(period, start))
    title = "🏟️ " + translate(
        lang, "Team leaderboard — {period}", period=translate(lang, PERIOD_LABEL[period])
    )
    lines = [
        f"**{r.rank}.** {team_name(guild, r.team_id, lang)} — {pts(lang, r.points)} "
        + translate(lang, "({correct}/{answers} right)", correct=r.correct, answers=r.answers)
        for r in rows
    ]
    return discord.Embed(
        title=title,
        description="\n".join(lines)
        or translate(lang, "No team points yet. Play `/quiz start teams:roles`!"),
        colour=COLOUR,
    )


class ConfirmReset(View):
    """Confirm button for an archive; only members with Manage Server may press it."""

    def __init__(
        self, bot: CalcioBot, guild_id: int, period: Period, start: dt.date | None, lang: str | None = None
    ) -> None:
        super().__init__(timeout=120)
        self.bot, self.guild_id, self.period, self.start = bot, guild_id, period, start
        self.confirm.label = translate(lang, "Archive scores")
        self.cancel.label = translate(lang, "Cancel")

    @discord.ui.button(label="Archive scores", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmReset]
    ) -> None:
        require_manage_server(interaction)
        lang = reply_lang(interaction)
        async with self.bot.db.sessions.begin() as s:
            archive_id = await lb.archive(s, self.guild_id, self.start, self.bot.settings.season_start_month)
        self.stop()
        await interaction.response.edit_message(
            content="🗄️ "
            + translate(
                lang,
                "Scores for {period} archived (archive #{archive}). The leaderboard starts again from zero.",
                period=translate(lang, PERIOD_LABEL[self.period]),
                archive=archive_id,
            ),
            view=None,
        )

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmReset]) -> None:
        self.stop()
        await interaction.response.edit_message(
            content=translate(reply_lang(interaction), "Nothing was changed."), view=None
        )


class Leaderboard(commands.Cog):
    """Leaderboards and personal stats."""

    leaderboard = app_commands.Group(
        name="leaderboard",
        description="Fan leaderboards for this server",
        guild_only=True,
        allowed_contexts=servers_only(),
    )

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot

    async def _start(self, guild_id: int, period: Period) -> dt.date | None:
        async with self.bot.db.sessions() as s:
            tz = await guild_timezone(s, guild_id)
        today = self.bot.clock.now().astimezone(ZoneInfo(tz)).date()
        return period_start(period, today, self.bot.settings.season_start_month)

    @leaderboard.command(name="show", description="Show the leaderboard")
    @app_commands.describe(
        period="week, month, season or all time",
        category="Only this quiz category",
        chart="Attach a chart of the top 10's race over the season",
        board="fans (default), teams (curva mode) or streaks (question of the day)",
    )
    async def show(
        self,
        interaction: discord.Interaction,
        period: Period = "all",
        category: str | None = None,
        chart: bool = False,
        board: Literal["fans", "teams", "streaks"] = "fans",
    ) -> None:
        guild = interaction.guild
        assert guild is not None
        if board == "teams":
            await self._show_teams(interaction, guild, period, category, chart)
            return
        if board == "streaks":
            await self._streaks(interaction, guild, category, chart)
            return
        if chart:
            await interaction.response.defer(thinking=True)
        lang = await public_lang(self.bot, guild)
        board = Board(
            self.bot, guild, interaction.user.id, period, category, await self._start(guild.id, period), lang
        )
        embed = await board.embed()
        view = PageView(board, lang)
        async with self.bot.db.sessions() as s:
            slug = await web_slug(s, guild.id)
        if slug is not None:
            query = {"period": period} | ({"category": category} if category else {})
            view.add_item(web_button(f"{web_address(self.bot, slug)}?{urlencode(query)}", lang))
        if not chart:
            await interaction.response.send_message(embed=embed, view=view, allowed_mentions=NO_PINGS)
            return
        race = await self._race_chart(guild, lang)
        file = discord.File(io.BytesIO(race.png), filename="race.png", description=race.alt)
        await interaction.followup.send(embed=embed, view=view, file=file, allowed_mentions=NO_PINGS)

    async def _streaks(
        self, interaction: discord.Interaction, guild: discord.Guild, category: str | None, chart: bool
    ) -> None:
        """The daily streak board: fans by current streak of right answers to the question of the day."""
        if category is not None or chart:
            raise UserError("The streak board has no categories nor chart: leave those options out.")
        lang = await public_lang(self.bot, guild)
        source = StreakBoard(self.bot, guild, interaction.user.id, lang)
        embed = await source.embed()
        await interaction.response.send_message(
            embed=embed, view=PageView(source, lang), allowed_mentions=NO_PINGS
        )

    async def _show_teams(
        self,
        interaction: discord.Interaction,
        guild: discord.Guild,
        period: Period,
        category: str | None,
        chart: bool,
    ) -> None:
        if category is not None or chart:
            raise UserError("The team board has no categories nor chart: leave those options out.")
        lang = await public_lang(self.bot, guild)
        embed = await team_board_embed(self.bot, guild, period, await self._start(guild.id, period), lang)
        await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS)

    async def _race_chart(self, guild: discord.Guild, lang: str | None = None) -> charts.Chart:
        """The top 10 of the season, point by point since its first day."""
        start = await self._start(guild.id, "season")
        assert start is not None
        async with self.bot.db.sessions() as s:
            top = await lb.page(s, guild.id, start, key=period_key("season", start), limit=10)
            days = await history.race(s, guild.id, [r.user_id for r in top], start)
        today = self.bot.clock.now().astimezone(ZoneInfo(await self._tz(guild.id))).date()
        series = [(raw_name(guild, r.user_id, lang), days[r.user_id]) for r in top]
        return await asyncio.to_thread(charts.race_chart, series, start, today, lang)

    async def _tz(self, guild_id: int) -> str:
        async with self.bot.db.sessions() as s:
            return await guild_timezone(s, guild_id)

    @show.autocomplete("category")
    async def _category(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        async with self.bot.db.sessions() as s:
            names = await categories(s, interaction.guild_id or 0)
        pairs = category_choices(reply_lang(interaction), names, current)
        return [app_commands.Choice(name=shown, value=value) for shown, value in pairs]

    # Its own top-level command: Discord honours default permissions only there, so members never see it.
    @app_commands.command(
        name="leaderboard-reset", description="Archive this server's scores for a period (Manage Server)"
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @manage_server_only
    async def reset(self, interaction: discord.Interaction, period: Period = "all") -> None:
        assert interaction.guild is not None
        lang = reply_lang(interaction)
        view = ConfirmReset(
            self.bot, interaction.guild.id, period, await self._start(interaction.guild.id, period), lang
        )
        await interaction.response.send_message(
            translate(
                lang,
                "Archive every score for **{period}**? They are kept, but no longer counted.",
                period=translate(lang, PERIOD_LABEL[period]),
            ),
            view=view,
            ephemeral=True,
        )

    @app_commands.command(name="stats", description="Your quiz stats (or another member's)")
    @app_commands.describe(
        member="Whose stats (default: yours)",
        privacy="hidden: appear as “hidden fan” on this server's web page; visible: show your name again",
    )
    @app_commands.guild_only()
    async def stats(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        privacy: Literal["hidden", "visible"] | None = None,
    ) -> None:
        assert interaction.guild is not None
        if privacy is not None:
            await self._privacy(interaction, member, privacy == "hidden")
            return
        target = member or interaction.user
        if target.bot:
            raise UserError("Bots don't play the quiz.")
        await interaction.response.defer(thinking=True)
        async with self.bot.db.sessions() as s:
            st = await lb.member_stats(s, interaction.guild.id, target.id)
            tz = await guild_timezone(s, interaction.guild.id)
            today = self.bot.clock.now().astimezone(ZoneInfo(tz)).date()
            season = period_start("season", today, self.bot.settings.season_start_month)
            assert season is not None
            weeks = await history.weekly_points(s, interaction.guild.id, target.id, season, today)
            cats = await history.category_scores(s, interaction.guild.id, target.id)
            daily = await dq.daily_streak(s, interaction.guild.id, target.id)
        lang = reply_lang(interaction)  # your own stats: in your language
        chart = await asyncio.to_thread(
            charts.fan_chart,
            target.display_name,
            weeks,
            [(category_name(lang, c.category), c.correct) for c in cats],
            lang,
        )
        embed = discord.Embed(title=f"📊 {plain(target.display_name, 60)}", colour=COLOUR)
        embed.add_field(name=translate(lang, "Points"), value=number(st.points, lang))
        embed.add_field(name=translate(lang, "Rank"), value=f"#{st.rank}" if st.rank else "—")
        embed.add_field(name=translate(lang, "Answers"), value=number(st.answers, lang))
        embed.add_field(
            name=translate(lang, "Accuracy"), value=percent(st.accuracy, lang) if st.answers else "—"
        )
        embed.add_field(
            name=translate(lang, "Fastest right answer"),
            value=f"{decimal(st.fastest_ms / 1000, lang)} s" if st.fastest_ms is not None else "—",
        )
        embed.add_field(
            name=translate(lang, "Streak"),
            value=translate(lang, "{now} now · best {best}", now=st.current_streak, best=st.best_streak),
        )
        embed.add_field(
            name=translate(lang, "Daily streak"),
            value=translate(lang, "{now} now · best {best}", now=daily.current, best=daily.best),
        )
        embed.add_field(
            name=translate(lang, "Favourite category"),
            value=plain(category_name(lang, st.favourite)) if st.favourite else "—",
        )
        file = discord.File(io.BytesIO(chart.png), filename="stats.png", description=chart.alt)
        await interaction.followup.send(embed=embed, file=file, allowed_mentions=NO_PINGS)

    async def _privacy(
        self, interaction: discord.Interaction, member: discord.Member | None, hidden: bool
    ) -> None:
        assert interaction.guild is not None
        if member is not None and member.id != interaction.user.id:
            raise UserError("You can only choose your own privacy.")
        async with self.bot.db.sessions.begin() as s:
            await set_hidden(
                s,
                interaction.guild.id,
                interaction.user.id,
                hidden,
                interaction.user.display_name,
                self.bot.clock.now(),
            )
        lang = reply_lang(interaction)
        text = (
            "🙈 "
            + translate(
                lang,
                "Done: on this server's web page you now appear as “hidden fan”, and your own page is gone.",
            )
            if hidden
            else "👋 " + translate(lang, "Done: your name shows on this server's web page again.")
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)


async def setup(bot: CalcioBot) -> None:
    await bot.add_cog(Leaderboard(bot))
