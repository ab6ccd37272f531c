"""Mention-safe text and small embed helpers shared by the cogs."""

from __future__ import annotations

import re

import discord

from bot.facts.selection import FactView
from bot.i18n import long_date, translate
from bot.limits import EMBED_TOTAL_MAX, fit_embeds

NO_PINGS = discord.AllowedMentions.none()
COLOUR = discord.Colour.from_rgb(30, 80, 160)
ERROR_COLOUR = discord.Colour.red()

_MENTION = re.compile(r"<(@[!&]?|#)(\d+)>|@(everyone|here)")
# Bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069), marks, and zero-width
# characters: they can reverse or hide text around a name in the channel.
_HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff]")


def visible(text: str) -> str:
    """`text` without bidirectional controls and zero-width characters."""
    return _HIDDEN.sub("", text)


def defuse(text: str, limit: int | None = None) -> str:
    """Strip hidden characters, neutralise mentions (a zero-width space after '@'), trim to `limit`."""
    text = _MENTION.sub(lambda m: m.group(0).replace("@", "@\u200b"), visible(text))
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


def plain(text: str, limit: int | None = None) -> str:
    """Defuse mentions and escape markdown, for names and answers shown inline."""
    return defuse(discord.utils.escape_markdown(text), limit)


def error_embed(message: str) -> discord.Embed:
    """A short red embed for a friendly error."""
    return discord.Embed(description=message, colour=ERROR_COLOUR)


def display_name(guild: discord.Guild | None, user_id: int, lang: str | None = None) -> str:
    """The member's current display name, markdown-escaped and ping-free, or 'former member' (in `lang`)."""
    member = guild.get_member(user_id) if guild else None
    if member is None:
        return translate(lang, "former member")
    if not visible(member.display_name).strip():
        return translate(lang, "unnamed member")
    return plain(member.display_name, 40)


def fit(embeds: list[discord.Embed], budget: int = EMBED_TOTAL_MAX) -> tuple[list[discord.Embed], int]:
    """Embeds that fit one message (10 at most, `budget` characters in all): long field values and
    descriptions trimmed evenly, embeds dropped from the end only if that is not enough."""
    kept, dropped = fit_embeds([e.to_dict() for e in embeds], budget)
    return [discord.Embed.from_dict(e) for e in kept], dropped


def fact_embed(fact: FactView, title: str | None = None, lang: str | None = None) -> discord.Embed:
    """An embed for one fact in `lang` (Italian text where the content has it), with its date and source."""
    embed = discord.Embed(
        title=title or translate(lang, "Calcio fact"), description=fact.text_in(lang), colour=COLOUR
    )
    if fact.date:
        embed.add_field(name=translate(lang, "Date"), value=long_date(fact.date, lang), inline=True)
    if fact.tags:
        embed.add_field(name=translate(lang, "Topics"), value=", ".join(fact.tags[:8]), inline=True)
    embed.add_field(name=translate(lang, "Source"), value=defuse(f"“{fact.source}”", 1000), inline=False)
    embed.set_footer(text=translate(lang, "fact {id}", id=fact.id))
    return embed
