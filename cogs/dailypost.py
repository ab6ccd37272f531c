"""/dailypost set|off|show|test and the scheduled "on this day" post (APScheduler, exactly once a day)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from zoneinfo import ZoneInfo

import aiohttp
import discord
import sqlalchemy.exc
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from discord import app_commands
from discord.ext import commands

from bot.client import CalcioBot
from bot.errors import UserError
from bot.facts.daily import NO_REPEAT_DAYS, DailyPlan, plan
from bot.i18n import day_month, long_date, server_lang, translate
from bot.schedule.pacing import DAILY_POSTS_PER_SECOND, Pacer
from bot.schedule.rules import check_timezone, due_date, next_post, parse_time, timezone_suggestions
from bot.tasks import cancel_and_wait
from bot.text import COLOUR, NO_PINGS, defuse, fact_embed
from bot.translator import reply_lang
from db.models import GuildSettings
from db.queries import posts
from db.queries.facts import facts_on, random_fact
from db.queries.guilds import guild_settings, scheduled_guilds
from db.queries.quiz import mark_asked, pick_questions

log = logging.getLogger(__name__)

RETRY_AFTER = dt.timedelta(minutes=1)
TRANSIENT_BACKOFF = (2.0, 5.0, 15.0, 30.0, 60.0)  # seconds before each retry of a transient failure
DELIVERY_SLOTS = 12  # posts being claimed/planned/sent at once: below the connection pool (5 + 10)


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
        embeds = [
            fact_embed(
                f, title=long_date(f.date, lang) if f.date else translate(lang, "On this day"), lang=lang
            )
            for f in p.facts
        ]
    else:
        text = "📅 " + translate(lang, "**Fact of the day, {day}**", day=day)
        embeds = [fact_embed(f, title=translate(lang, "Fact of the day"), lang=lang) for f in p.facts]
        if p.question is not None:
            question = p.question.in_lang(lang)
            answer = translate(lang, "Answer: ||{answer}||", answer=defuse(question.answer))
            q = discord.Embed(
                title=translate(lang, "Quick question"),
                colour=COLOUR,
                description=f"{defuse(question.text)}\n\n{answer}",
            )
            embeds.append(q)
    if embeds:
        embeds[-1].set_footer(text=marker)
    else:
        embeds = [
            discord.Embed(description=translate(lang, "No facts loaded yet."), colour=COLOUR).set_footer(
                text=marker
            )
        ]
    return text, embeds


class DailyPost(commands.Cog):
    """Per-server daily posts: APScheduler fires at each server's local time; the post log decides."""

    dailypost = app_commands.Group(
        name="dailypost",
        description="The daily 'on this day' post (Manage Server)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot
        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)
        self.grace = dt.timedelta(minutes=bot.settings.daily_post_grace_minutes)
        self.claim_timeout = dt.timedelta(seconds=bot.settings.daily_post_claim_timeout_seconds)
        self.pacer = Pacer(DAILY_POSTS_PER_SECOND, burst=5)  # many servers share one post time
        self.rng = random.Random()
        self._slots = asyncio.Semaphore(DELIVERY_SLOTS)
        self._attempts: dict[int, int] = {}  # transient failures per guild in a row
        self._boot: asyncio.Task[None] | None = None
        self._active = 0  # checks in progress
        self._idle = asyncio.Event()
        self._idle.set()

    async def cog_load(self) -> None:
        self.scheduler.start()
        self._boot = asyncio.create_task(self._bootstrap())

    async def cog_unload(self) -> None:
        await cancel_and_wait([self._boot])
        with contextlib.suppress(TimeoutError):  # let a post being sent finish and be logged first
            await asyncio.wait_for(self._idle.wait(), 10)
        self.scheduler.shutdown(wait=False)  # cancels jobs still running

    async def _bootstrap(self) -> None:
        """Rebuild jobs from the database, then send any post missed within the grace window."""
        await self.bot.wait_until_ready()
        async with self.bot.db.sessions() as s:
            rows = await scheduled_guilds(s)
        mine = [row for row in rows if self.bot.get_guild(row.guild_id) is not None]  # other shards: theirs
        for row in mine:
            self.schedule(row)
        await asyncio.gather(*(self.check_guild(row.guild_id) for row in mine))

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """The bot was removed from a server: its daily post stops (settings are kept)."""
        async with self.bot.db.sessions() as s:
            row = await s.get(GuildSettings, guild.id)
        if row is not None and row.daily_enabled:
            await self._disable(row, "the bot was removed from the server")

    # ----- scheduling ------------------------------------------------------------------------------
    def schedule(self, row: GuildSettings) -> None:
        """(Re)create the guild's cron job in its timezone, or remove it when the post is off."""
        job_id = f"daily:{row.guild_id}"
        if not (row.daily_enabled and row.daily_time and row.daily_channel_id):
            if self.scheduler.get_job(job_id):
                self.scheduler.remove_job(job_id)
            return
        hour, minute = parse_time(row.daily_time)
        self.scheduler.add_job(
            self.check_guild,
            CronTrigger(hour=hour, minute=minute, timezone=ZoneInfo(row.timezone)),
            id=job_id,
            args=[row.guild_id],
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(self.grace.total_seconds()) or None,
        )

    async def check_guild(self, guild_id: int) -> None:
        """Send the guild's post if one is owed now (the job, start-up catch-up and retries call this)."""
        self._active += 1
        self._idle.clear()
        try:
            async with self.bot.db.sessions() as s:
                row = await s.get(GuildSettings, guild_id)
            if row is None or not row.daily_enabled or not row.daily_time or not row.daily_channel_id:
                return
            hour, minute = parse_time(row.daily_time)
            day = due_date(self.bot.clock.now(), row.timezone, hour, minute, self.grace)
            if day is not None:
                async with self._slots:
                    await self.deliver(row, day)
            self._attempts.pop(guild_id, None)
        except Exception as exc:
            if is_transient(exc):
                self._retry_soon(guild_id, exc)
            else:
                log.exception("Daily post check failed for guild %s", guild_id)
        finally:
            self._active -= 1
            if self._active == 0:
                self._idle.set()

    async def _disable(self, row: GuildSettings, why: str) -> None:
        log.warning("Daily post disabled for guild %s: %s", row.guild_id, why)
        async with self.bot.db.sessions.begin() as s:
            stored = await s.get(GuildSettings, row.guild_id)
            if stored is not None:
                stored.daily_enabled = False
        row.daily_enabled = False
        self.schedule(row)

    async def _already_posted(
        self, channel: discord.PartialMessageable, marker: str
    ) -> discord.Message | None:
        me = self.bot.user
        async for message in channel.history(limit=50):
            if me and message.author.id == me.id and any(e.footer.text == marker for e in message.embeds):
                return message
        return None

    async def _plan(self, guild_id: int, channel_id: int, day: dt.date, *, record: bool = False) -> DailyPlan:
        """Today's facts through the date index (the server's club's first); else a fact not shown in
        30 days and a quick question the server has not been asked."""
        recent: set[str] = set()
        async with self.bot.db.sessions.begin() as s:
            settings = await guild_settings(s, guild_id)
            facts = await facts_on(s, day.month, day.day)
            if facts:
                return plan(day, facts, recent, None, self.rng, club=settings.club)
        recent = await posts.recent_fact_ids(
            self.bot.db.sessions, guild_id, day - dt.timedelta(days=NO_REPEAT_DAYS)
        )
        async with self.bot.db.sessions.begin() as s:
            chosen = await random_fact(s, recent)
            picked = await pick_questions(s, guild_id, channel_id, count=1, rng=self.rng)
            if record and picked:  # the quick question counts as asked in this server
                await mark_asked(s, guild_id, [picked[0].id], self.bot.clock.now())
        question = picked[0] if picked else None
        return plan(day, [chosen] if chosen else [], recent, question, self.rng, club=settings.club)

    def _retry_soon(self, guild_id: int, exc: BaseException) -> None:
        """Check the guild again after a transient failure, backing off; the check itself drops the
        post once its grace window has passed."""
        attempt = self._attempts.get(guild_id, 0)
        self._attempts[guild_id] = attempt + 1
        delay = TRANSIENT_BACKOFF[min(attempt, len(TRANSIENT_BACKOFF) - 1)] * self.bot.time_scale
        log.warning(
            "Daily post for guild %s failed (%s: %s); retry %d in %.1f s",
            guild_id,
            type(exc).__name__,
            str(exc)[:200],
            attempt + 1,
            delay,
        )
        self._retry(guild_id, dt.timedelta(seconds=delay))

    def _retry(self, guild_id: int, after: dt.timedelta) -> None:
        if self.scheduler.running:
            self.scheduler.add_job(
                self.check_guild,
                DateTrigger(dt.datetime.now(dt.UTC) + after),
                args=[guild_id],
                id=f"retry:{guild_id}",
                replace_existing=True,
            )

    async def deliver(self, row: GuildSettings, day: dt.date) -> None:
        """Claim, send, record: one post per (guild, local date), across processes and crashes."""
        assert row.daily_channel_id is not None
        if self.bot.get_guild(row.guild_id) is None:
            return  # not a server this process serves (another shard's, or one the bot just left)
        nonce = f"{day:%Y%m%d}{row.guild_id % 10**17}"[:25]
        claim = await posts.claim(
            self.bot.db.sessions,
            row.guild_id,
            day,
            row.daily_channel_id,
            nonce,
            self.bot.clock.now(),
            self.claim_timeout,
        )
        if claim is None:
            if await posts.in_flight(self.bot.db.sessions, row.guild_id, day):
                # Someone claimed it and has not finished: check again once their claim would be stale.
                self._retry(row.guild_id, self.claim_timeout + dt.timedelta(seconds=1))
            return
        channel = self.bot.get_partial_messageable(row.daily_channel_id, guild_id=row.guild_id)
        try:
            p = await self._plan(row.guild_id, row.daily_channel_id, day, record=True)
            guild = self.bot.get_guild(row.guild_id)
            lang = server_lang(row.language, guild.preferred_locale if guild else None)
            text, embeds = post_embeds(p, lang=lang)
            await self.pacer.wait()
            found = await self._already_posted(channel, p.marker) if claim.recovering else None
            message = found or await channel.send(text, embeds=embeds, nonce=nonce, allowed_mentions=NO_PINGS)
        except (discord.NotFound, discord.Forbidden) as exc:
            await posts.finish(self.bot.db.sessions, claim.post_id, status="failed", now=self.bot.clock.now())
            await self._disable(row, f"channel {row.daily_channel_id} unusable ({exc.status} {exc.text})")
            return
        except Exception as exc:
            if is_transient(exc):  # the retry takes the claim over at once (and looks in the channel first)
                await posts.release(self.bot.db.sessions, claim.post_id)
                raise
            if not isinstance(exc, discord.HTTPException):
                raise
            log.warning("Daily post for guild %s failed (%s); retrying in a minute", row.guild_id, exc.status)
            self.scheduler.add_job(
                self.check_guild,
                DateTrigger(dt.datetime.now(dt.UTC) + RETRY_AFTER),
                args=[row.guild_id],
                id=f"retry:{row.guild_id}",
                replace_existing=True,
            )
            return
        await posts.finish(
            self.bot.db.sessions,
            claim.post_id,
            status="sent",
            now=self.bot.clock.now(),
            message_id=message.id,
            fact_id=p.logged_fact,
        )

    # ----- commands -------------------------------------------------------------------------------
    @staticmethod
    def _require_manage(interaction: discord.Interaction) -> None:
        if not interaction.permissions.manage_guild:
            raise UserError("You need the **Manage Server** permission to do that.")

    @dailypost.command(name="set", description="Post 'on this day' facts daily in a channel")
    @app_commands.describe(
        channel="Where to post", time="Local time, 24-hour HH:MM", timezone="IANA timezone, e.g. Europe/Rome"
    )
    async def set_(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str,
        timezone: str = "Europe/Rome",
    ) -> None:
        self._require_manage(interaction)
        hour, minute = parse_time(time)
        tz = check_timezone(timezone)
        me = interaction.guild.me if interaction.guild else None
        perms = channel.permissions_for(me) if me else None
        if perms is not None and not (perms.send_messages and perms.embed_links):
            raise UserError(
                "I can't post embeds in {channel}. Give me Send Messages and Embed Links there, "
                "then try again.",
                channel=channel.mention,
            )
        assert interaction.guild_id is not None
        async with self.bot.db.sessions.begin() as s:
            row = await guild_settings(s, interaction.guild_id, create=True)
            row.daily_channel_id, row.daily_time, row.timezone, row.daily_enabled = (
                channel.id,
                f"{hour:02d}:{minute:02d}",
                tz,
                True,
            )
        self.schedule(row)
        when = next_post(self.bot.clock.now(), tz, hour, minute)
        await interaction.response.send_message(
            "✅ "
            + translate(
                reply_lang(interaction),
                "Daily post set: {channel} at **{time}** ({timezone}). Next one {when}.",
                channel=channel.mention,
                time=f"{hour:02d}:{minute:02d}",
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
        self._require_manage(interaction)
        assert interaction.guild_id is not None
        async with self.bot.db.sessions.begin() as s:
            row = await guild_settings(s, interaction.guild_id, create=True)
            row.daily_enabled = False
        self.schedule(row)
        await interaction.response.send_message(
            translate(reply_lang(interaction), "Daily post switched off."), ephemeral=True
        )

    @dailypost.command(name="show", description="Show the daily post settings")
    async def show(self, interaction: discord.Interaction) -> None:
        self._require_manage(interaction)
        assert interaction.guild_id is not None
        async with self.bot.db.sessions() as s:
            row = await guild_settings(s, interaction.guild_id)
        lang = reply_lang(interaction)
        if not (row.daily_enabled and row.daily_time and row.daily_channel_id):
            text = translate(lang, "The daily post is **off**. Switch it on with `/dailypost set`.")
        else:
            hour, minute = parse_time(row.daily_time)
            when = next_post(self.bot.clock.now(), row.timezone, hour, minute)
            text = translate(
                lang,
                "Daily post: {channel} at **{time}** ({timezone}). Next one {when}.",
                channel=f"<#{row.daily_channel_id}>",
                time=row.daily_time,
                timezone=row.timezone,
                when=f"<t:{int(when.timestamp())}:R>",
            )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @dailypost.command(name="test", description="Post today's daily post now (not counted as today's)")
    async def test(self, interaction: discord.Interaction) -> None:
        self._require_manage(interaction)
        assert interaction.guild_id is not None and interaction.channel_id is not None
        async with self.bot.db.sessions() as s:
            row = await guild_settings(s, interaction.guild_id)
        channel_id = row.daily_channel_id or interaction.channel_id
        today = self.bot.clock.now().astimezone(ZoneInfo(row.timezone)).date()
        p = await self._plan(interaction.guild_id, channel_id, today)
        text, embeds = post_embeds(p, test=True, lang=server_lang(row.language, interaction.guild_locale))
        await interaction.response.defer(ephemeral=True)
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
    await bot.add_cog(DailyPost(bot))
