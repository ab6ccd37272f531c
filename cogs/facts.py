"""/fact and /onthisday."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CalcioBot
from bot.defaults import DEFAULT_TIMEZONE
from bot.errors import UserError
from bot.facts import selection
from bot.facts.ago import dated_title
from bot.facts.selection import FactView
from bot.text import NO_PINGS, defuse, fact_embed, fit
from db.queries.facts import dated_days, fact_by_id, fact_index, facts_on, random_fact
from db.queries.guilds import guild_timezone


class Facts(commands.Cog):
    """Fact look-ups."""

    TOPICS_TTL = 300.0  # seconds an autocomplete list of topics is reused

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot
        self._topics: tuple[float, list[str]] | None = None

    async def _about(self, topic: str | None) -> FactView | None:
        """A random fact about `topic` (any fact without one), reading thousands of facts' text off the
        loop and only the chosen fact's row in full."""
        async with self.bot.db.sessions() as session:
            if not topic or not topic.strip():
                return await random_fact(session)
            index = await fact_index(session)
            ids = await asyncio.to_thread(selection.matching_ids, index, topic)
            return await fact_by_id(session, random.choice(ids)) if ids else None

    async def _topic_names(self) -> list[str]:
        now = time.monotonic()
        if self._topics is None or now - self._topics[0] > self.TOPICS_TTL:
            async with self.bot.db.sessions() as session:
                index = await fact_index(session)
            names = await asyncio.to_thread(selection.topic_names, (tags for _, _, tags in index))
            self._topics = (now, names)
        return self._topics[1]

    async def _on(self, day: dt.date) -> list[FactView]:
        async with self.bot.db.sessions() as session:
            return selection.on_this_day(await facts_on(session, day.month, day.day), day)

    async def _nearest(self, day: dt.date) -> FactView | None:
        async with self.bot.db.sessions() as session:
            found = selection.nearest_day(await dated_days(session), day)
            if found is None:
                return None
            hits = await facts_on(session, *found)
        ranked = selection.on_this_day(hits, dt.date(2000, *found))  # a leap year: 29 February too
        return ranked[0] if ranked else None

    async def _today(self, guild_id: int | None) -> dt.date:
        tz = DEFAULT_TIMEZONE
        if guild_id:
            async with self.bot.db.sessions() as session:
                tz = await guild_timezone(session, guild_id)
        return self.bot.clock.now().astimezone(ZoneInfo(tz)).date()

    @app_commands.command(name="fact", description="A random football fact, or one about a topic")
    @app_commands.describe(topic="A club, player or topic (pick from the list or type)")
    async def fact(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        chosen = await self._about(topic)
        if chosen is None:
            raise UserError(
                f"I have no fact about {defuse(topic or '', 60)!r} yet. Try `/fact` with no topic."
            )
        await interaction.response.send_message(embed=fact_embed(chosen), allowed_mentions=NO_PINGS)

    @fact.autocomplete("topic")
    async def _topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        needle = selection.fold(current[:100])
        names = [t for t in await self._topic_names() if needle in selection.fold(t)]
        return [app_commands.Choice(name=n[:100], value=n[:100]) for n in names[:25]]

    @app_commands.command(name="onthisday", description="Football facts from this day in history")
    @app_commands.describe(date="A day such as 22 May or 22/05 (default: today in this server's timezone)")
    async def onthisday(self, interaction: discord.Interaction, date: str | None = None) -> None:
        today = await self._today(interaction.guild_id)
        day = selection.parse_day(date or "", today)
        hits = await self._on(day)
        if not hits:
            nearest = await self._nearest(day)
            text = f"No facts for **{day:%d %B}** yet."
            embeds = []
            if nearest and nearest.date:
                text += f" The next one is on **{nearest.date:%d %B}**:"
                embeds.append(fact_embed(nearest, title=f"On {nearest.date:%d %B}"))
            await interaction.response.send_message(text, embeds=embeds, allowed_mentions=NO_PINGS)
            return
        embeds, dropped = fit([fact_embed(f, title=dated_title(f.date, day, "On this day, ")) for f in hits])
        more = f"…and {dropped} more for **{day:%d %B}**." if dropped else ""
        await interaction.response.send_message(more, embeds=embeds, allowed_mentions=NO_PINGS)


async def setup(bot: CalcioBot) -> None:
    await bot.add_cog(Facts(bot))
