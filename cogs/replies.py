"""How an error is told to the user: a sentence for an expected error, an apology with a logged error id
for anything else, always ephemeral. Commands (`cogs.errors`), buttons and forms (`cogs.views`) share it.

A plain module, not an extension: extensions are re-imported at each load, and the classes here must stay
the same objects for every cog."""

from __future__ import annotations

import logging
import secrets

import discord
from discord import app_commands
from sqlalchemy.exc import DBAPIError

from bot.errors import UserError
from bot.i18n import N_, translate
from bot.text import NO_PINGS, defuse, error_embed
from bot.translator import reply_lang
from cogs.checks import Refused

log = logging.getLogger(__name__)


UI_NAMES = {
    "manage_guild": N_("Manage Server"),
    "manage_messages": N_("Manage Messages"),
    "embed_links": N_("Embed Links"),
    "send_messages": N_("Send Messages"),
    "attach_files": N_("Attach Files"),
}


def permission_names(perms: list[str], lang: str | None = None) -> str:
    """Permission names as Discord's UI shows them in `lang`."""
    return ", ".join(
        translate(lang, UI_NAMES[p]) if p in UI_NAMES else p.replace("_", " ").title() for p in perms
    )


STORAGE_FAULTS = (
    # SQLite
    "readonly database",
    "disk is full",
    "database is locked",
    "disk I/O error",
    "unable to open",
    # PostgreSQL
    "read-only transaction",
    "No space left on device",
    "could not extend file",
    "too many connections",
    "the database system is",  # … starting up / shutting down / in recovery mode
    "connection was closed",
    "Connection refused",
)


def describe(error: Exception, lang: str | None = None) -> str | None:
    """A user-facing sentence in `lang` for an expected error, or None for an unexpected one."""
    original = getattr(error, "original", error)
    if isinstance(original, UserError | Refused):
        return original.render(lang)
    if isinstance(original, DBAPIError) and any(sign in str(original) for sign in STORAGE_FAULTS):
        log.error("Database unavailable for writes: %s", str(original.orig) if original.orig else original)
        return translate(
            lang,
            "I can't save anything right now (a storage problem on my side). "
            "Nothing was lost; try again later.",
        )
    if isinstance(error, app_commands.MissingPermissions):
        return translate(
            lang,
            "You need the **{permissions}** permission to do that.",
            permissions=permission_names(error.missing_permissions, lang),
        )
    if isinstance(error, app_commands.BotMissingPermissions):
        return translate(
            lang,
            "I need the **{permissions}** permission here to do that.",
            permissions=permission_names(error.missing_permissions, lang),
        )
    if isinstance(error, app_commands.NoPrivateMessage):
        return translate(lang, "That command only works in a server.")
    if isinstance(error, app_commands.CommandOnCooldown):
        return translate(lang, "Slow down! Try again in {seconds} s.", seconds=f"{error.retry_after:.0f}")
    if isinstance(error, app_commands.TransformerError):
        return translate(
            lang, "I couldn't understand {value} for that option.", value=repr(defuse(str(error.value))[:80])
        )
    if isinstance(error, app_commands.CheckFailure):
        return translate(lang, "You can't use that command here.")
    return None


async def reply(interaction: discord.Interaction, message: str) -> None:
    """Send `message` as an ephemeral reply, whether or not the interaction was answered already."""
    embed = error_embed(message)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)
    except discord.HTTPException:
        log.warning("Could not deliver an error message for interaction %s", interaction.id)


async def report(interaction: discord.Interaction, error: Exception, where: str) -> None:
    """Tell the user what went wrong: the sentence of an expected error, else an apology with an error
    id that is also logged with the traceback. Commands, buttons and forms all come through here."""
    lang = reply_lang(interaction)
    message = describe(error, lang)
    if message is None:
        error_id = secrets.token_hex(4)
        log.error("Error %s in %s", error_id, where, exc_info=getattr(error, "original", error))
        message = translate(
            lang, "Sorry, something went wrong on my side. (error id `{error_id}`)", error_id=error_id
        )
    await reply(interaction, message)
