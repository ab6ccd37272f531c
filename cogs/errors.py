"""One error handler for every app command: friendly ephemeral text, never a traceback."""

from __future__ import annotations

import logging
import secrets

import discord
from discord import app_commands
from discord.ext import commands
from sqlalchemy.exc import DBAPIError

from bot.errors import UserError
from bot.text import NO_PINGS, defuse, error_embed

log = logging.getLogger(__name__)


UI_NAMES = {
    "manage_guild": "Manage Server",
    "manage_messages": "Manage Messages",
    "embed_links": "Embed Links",
    "send_messages": "Send Messages",
    "attach_files": "Attach Files",
}


def permission_names(perms: list[str]) -> str:
    """Permission names as Discord's UI shows them."""
    return ", ".join(UI_NAMES.get(p, p.replace("_", " ").title()) for p in perms)


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
    """A check that failed with a sentence for the user (e.g. a missing permission)."""


def describe(error: app_commands.AppCommandError) -> str | None:
    """A user-facing sentence for an expected error, or None for an unexpected one."""
    original = getattr(error, "original", error)
    if isinstance(original, UserError | Refused):
        return str(original)
    if isinstance(original, DBAPIError) and any(sign in str(original) for sign in STORAGE_FAULTS):
        log.error("Database unavailable for writes: %s", str(original.orig) if original.orig else original)
        return (
            "I can't save anything right now (a storage problem on my side). "
            "Nothing was lost; try again later."
        )
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the **{permission_names(error.missing_permissions)}** permission to do that."
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"I need the **{permission_names(error.missing_permissions)}** permission here to do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works in a server."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down! Try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't understand {defuse(str(error.value))[:80]!r} for that option."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
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
        message = describe(error)
        if message is None:
            error_id = secrets.token_hex(4)
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error("Error %s in /%s", error_id, command, exc_info=getattr(error, "original", error))
            message = f"Sorry, something went wrong on my side. (error id `{error_id}`)"
        await reply(interaction, message)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Errors(bot))
