"""One error handler for every app command: friendly ephemeral text, never a traceback."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands
from sqlalchemy.exc import DBAPIError

from bot.errors import UserError
from bot.i18n import N_, translate
from bot.text import NO_PINGS, defuse, error_embed
from bot.translator import reply_lang

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


class Refused(app_commands.CheckFailure):
    """A check that failed with a sentence for the user (e.g. a missing permission); like UserError,
    an English catalog entry with `{placeholders}` filled from `values`."""

    def __init__(self, message: str, /, **values: Any) -> None:
        self.error = UserError(message, **values)
        super().__init__(str(self.error))

    def render(self, lang: str | None) -> str:
        return self.error.render(lang)


def describe(error: app_commands.AppCommandError, lang: str | None = None) -> str | None:
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


class Errors(commands.Cog):
    """Installs the app-command error handler."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self._previous = bot.tree.on_error
        bot.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def cog_unload(self) -> None:
        self.bot.tree.on_error = self._previous  # type: ignore[method-assign]

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        lang = reply_lang(interaction)
        message = describe(error, lang)
        if message is None:
            error_id = secrets.token_hex(4)
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error("Error %s in /%s", error_id, command, exc_info=getattr(error, "original", error))
            message = translate(
                lang, "Sorry, something went wrong on my side. (error id `{error_id}`)", error_id=error_id
            )
        await reply(interaction, message)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Errors(bot))
