"""/dailypost set|off|show|test, and the Discord side of the daily post (`bot.schedule.daily` decides)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import aiohttp
import discord
import sqlalchemy.exc
from discord import app_commands
from discord.ext import commands

from bot.client import CalcioBot
from bot.defaults import DEFAULT_TIMEZONE
from bot.errors import UserError
from bot.facts.ago import dated_title
from bot.facts.daily import DailyPlan
from bot.i18n import day_month, server_lang, translate
from bot.limits import EMBED_TOTAL_MAX, EMBEDS_MAX, embed_size
from bot.schedule.daily import ChannelGone, DailyPoster, PostRejected
from bot.schedule.rules import check_timezone, next_post, parse_time, timezone_suggestions
from bot.tasks import cancel_and_wait
from bot.text import COLOUR, NO_PINGS, defuse, fact_embed, fit
from bot.translator import public_lang, reply_lang
from bot.tree import servers_only
from cogs.checks import require_embeds, require_manage_server
from cogs.dailypost_question import AnswerButton, answer_view
from db.queries.guilds import daily_schedule, disable_daily, guild_settings, set_daily
from db.queries.posts import DailyStore

log = logging.getLogger(__name__)


def is_transient(exc: BaseException) -> bool:
    """A failure worth retrying soon: the database busy or out of connections, Discord 5xx or 429, a
    network error or timeout."""
    if isinstance(exc, discord.HTTPException):
        return exc.status >= 500 or exc.status == 429
    return isinstance(
        exc,
        sqlalchemy.exc.TimeoutError
        | sqlalchemy.exc.OperationalError
        | aiohttp.ClientError
        | TimeoutError
        | ConnectionError,
    )


def post_embeds(
    p: DailyPlan, *, test: bool = False, lang: str | None = None
) -> tuple[str, list[discord.Embed]]:
    """Message text and embeds for a daily post, in the server's language `lang`. The footer marker stays
    the same in every language: crash recovery looks for it in the channel."""
    marker = p.marker + (" · test" if test else "")
    day = day_month(p.day, lang)
    if p.on_this_day:
        text = "📅 " + translate(lang, "**On this day, {day}**", day=day)
        embeds = [fact_embed(f, title=dated_title(f.date, p.day, lang), lang=lang) for f in p.facts]
    else:
        text = "📅 " + translate(lang, "**Fact of the day, {day}**", day=day)
        embeds = [fact_embed(f, title=translate(lang, "Fact of the day"), lang=lang) for f in p.facts]
    asked = [question_embed(p, test=test, lang=lang)] if p.question is not None else []
    room = EMBED_TOTAL_MAX - len(marker) - sum(embed_size(e.to_dict()) for e in asked)  # the question stays
    if embeds or asked:
        embeds, _ = fit(embeds, room) if embeds else ([], 0)  # and the footer marker
        embeds = embeds[: EMBEDS_MAX - len(asked)] + asked
        embeds[-1].set_footer(text=marker)
    else:
        empty = discord.Embed(description=translate(lang, "No facts loaded yet."), colour=COLOUR)
        embeds = [empty.set_footer(text=marker)]
    return text, embeds


def question_embed(p: DailyPlan, *, test: bool = False, lang: str | None = None) -> discord.Embed:
    """The question of the day. The real post answers with buttons (`answer_view`); a test post, which
    has none, tells the answer under a spoiler."""
    assert p.question is not None
    question = p.question.in_lang(lang)
    lines = [defuse(question.text)]
    if test:
        lines.append(translate(lang, "Answer: ||{answer}||", answer=defuse(question.answer)))
    else:
        how = translate(
            lang,
            "Pick your answer below: one try each, open until the next daily post. Right answers "
            "score and build your daily streak.",
        )
        lines.append(f"*{how}*")
    return discord.Embed(
        title="❓ " + translate(lang, "Question of the day"), colour=COLOUR, description="\n\n".join(lines)
    )


@contextlib.contextmanager
def channel_errors() -> Iterator[None]:
    """Discord's answers in the daily poster's terms: a closed channel, a refusal, or a transient error."""
    try:
        yield
    except (discord.NotFound, discord.Forbidden) as exc:
        raise ChannelGone(f"{exc.status} {exc.text}") from exc
    except discord.HTTPException as exc:
        if is_transient(exc):
            raise
        raise PostRejected(f"{exc.status} {exc.text}") from exc


class DiscordPoster:
    """The daily poster's Poster: sends to and reads a channel through the bot."""

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot

    def serves(self, guild_id: int) -> bool:
        return self.bot.get_guild(guild_id) is not None

    async def find(self, guild_id: int, channel_id: int, marker: str, since: dt.datetime) -> int | None:
        me = self.bot.user
        channel = self.bot.get_partial_messageable(channel_id, guild_id=guild_id)
        after = discord.Object(discord.utils.time_snowflake(since))
        with channel_errors():
            async for message in channel.history(limit=None, after=after, oldest_first=True):
                if me and message.author.id == me.id and any(e.footer.text == marker for e in message.embeds):
                    return message.id
        return None

    async def send(self, guild_id: int, channel_id: int, post: DailyPlan, nonce: str) -> int:
        lang = await public_lang(self.bot, self.bot.get_guild(guild_id))  # the server's language
        text, embeds = post_embeds(post, lang=lang)
        view = answer_view(post, lang)
        channel = self.bot.get_partial_messageable(channel_id, guild_id=guild_id)
        with channel_errors():
            if view is None:
                message = await channel.send(text, embeds=embeds, nonce=nonce, allowed_mentions=NO_PINGS)
            else:
                message = await channel.send(
                    text, embeds=embeds, view=view, nonce=nonce, allowed_mentions=NO_PINGS
                )
        return message.id

    def is_transient(self, exc: BaseException) -> bool:
        return is_transient(exc)


class Daily(commands.Cog):
    """/dailypost commands; the daily poster fires at each server's local time and the post log decides."""

    dailypost = app_commands.Group(
        name="dailypost",
        description="The daily 'on this day' post (Manage Server)",
        guild_only=True,
        allowed_contexts=servers_only(),
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot
        self.poster = DailyPoster(
            DailyStore(bot.db.sessions),
            DiscordPoster(bot),
            bot.clock,
            grace=dt.timedelta(minutes=bot.settings.daily_post_grace_minutes),
            claim_timeout=dt.timedelta(seconds=bot.settings.daily_post_claim_timeout_seconds),
            time_scale=bot.time_scale,
        )
        self.scheduler = self.poster.scheduler  # the jobs: daily:<guild id>, retry:<guild id>
        self.check_guild = self.poster.check_guild  # send the guild's post if one is owed now
        self.caught_up = asyncio.Event()  # set once start-up has scheduled and sent what was owed
        self._boot: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(AnswerButton)  # open questions of the day answer across restarts
        self.poster.start()
        self._boot = asyncio.create_task(self._bootstrap())

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AnswerButton)
        await cancel_and_wait([self._boot])
        await self.poster.stop()

    async def _bootstrap(self) -> None:
        """Once the guilds are known: rebuild the jobs, then send any post missed within the grace."""
        await self.bot.wait_until_ready()
        try:
            await self.poster.catch_up()
        finally:
            self.caught_up.set()

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """The bot was removed from a server: its daily post stops (settings are kept)."""
        await self.poster.disable(guild.id, "the bot was removed from the server")

    # ----- commands -------------------------------------------------------------------------------
    @dailypost.command(name="set", description="Post 'on this day' facts daily in a channel")
    @app_commands.describe(
        channel="Where to post",
        time="Local time, 24-hour HH:MM",
        timezone=f"IANA timezone, e.g. {DEFAULT_TIMEZONE}",
    )
    async def set_(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str,
        timezone: str = DEFAULT_TIMEZONE,
    ) -> None:
        require_manage_server(interaction)
        hour, minute = parse_time(time)
        tz = check_timezone(timezone)
        require_embeds(interaction, channel)
        assert interaction.guild_id is not None
        async with self.bot.db.sessions.begin() as s:
            schedule = await set_daily(s, interaction.guild_id, channel.id, hour, minute, tz)
        self.poster.plan_job(interaction.guild_id, schedule)
        when = next_post(self.bot.clock.now(), tz, hour, minute)
        await interaction.response.send_message(
            "✅ "
            + translate(
                reply_lang(interaction),
                "Daily post set: {channel} at **{time}** ({timezone}). Next one {when}.",
                channel=channel.mention,
                time=schedule.time,
                timezone=tz,
                when=f"<t:{int(when.timestamp())}:R>",
            ),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @set_.autocomplete("timezone")
    async def _tz(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in timezone_suggestions(current[:60])]

    @dailypost.command(name="off", description="Stop the daily post")
    async def off(self, interaction: discord.Interaction) -> None:
        require_manage_server(interaction)
        assert interaction.guild_id is not None
        async with self.bot.db.sessions.begin() as s:
            await disable_daily(s, interaction.guild_id)
        self.poster.plan_job(interaction.guild_id, None)
        await interaction.response.send_message(
            translate(reply_lang(interaction), "Daily post switched off."), ephemeral=True
        )

    @dailypost.command(name="show", description="Show the daily post settings")
    async def show(self, interaction: discord.Interaction) -> None:
        require_manage_server(interaction)
        assert interaction.guild_id is not None
        async with self.bot.db.sessions() as s:
            schedule = await daily_schedule(s, interaction.guild_id)
        lang = reply_lang(interaction)
        if schedule is None:
            text = translate(lang, "The daily post is **off**. Switch it on with `/dailypost set`.")
        else:
            when = next_post(self.bot.clock.now(), schedule.timezone, schedule.hour, schedule.minute)
            text = translate(
                lang,
                "Daily post: {channel} at **{time}** ({timezone}). Next one {when}.",
                channel=f"<#{schedule.channel_id}>",
                time=schedule.time,
                timezone=schedule.timezone,
                when=f"<t:{int(when.timestamp())}:R>",
            )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @dailypost.command(name="test", description="Preview today's daily post (not counted as today's)")
    @app_commands.describe(public="Post it in the channel for everyone (default: only you see it)")
    async def test(self, interaction: discord.Interaction, public: bool = False) -> None:
        require_manage_server(interaction)
        assert interaction.guild_id is not None and interaction.channel_id is not None
        async with self.bot.db.sessions() as s:
            row = await guild_settings(s, interaction.guild_id)
        channel_id = row.daily_channel_id or interaction.channel_id
        today = self.bot.clock.now().astimezone(ZoneInfo(row.timezone)).date()
        p = await self.poster.plan(interaction.guild_id, channel_id, today)
        text, embeds = post_embeds(p, test=True, lang=server_lang(row.language, interaction.guild_locale))
        await interaction.response.defer(ephemeral=True)
        if not public:
            lead = "👀 " + translate(
                reply_lang(interaction), "Preview of today's daily post (only you can see it)."
            )
            await interaction.followup.send(
                f"{lead}\n{text}", embeds=embeds, ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        try:
            await self.bot.get_partial_messageable(channel_id).send(
                text, embeds=embeds, allowed_mentions=NO_PINGS
            )
        except (discord.NotFound, discord.Forbidden):
            raise UserError(
                "I can't post in {channel}. Check the channel and my permissions there.",
                channel=f"<#{channel_id}>",
            ) from None
        await interaction.followup.send(
            translate(reply_lang(interaction), "Test post sent to {channel}.", channel=f"<#{channel_id}>"),
            ephemeral=True,
        )


async def setup(bot: CalcioBot) -> None:
    await bot.add_cog(Daily(bot))
