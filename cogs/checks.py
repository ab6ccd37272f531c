"""The run-time checks every cog shares: Manage Server, and whether the bot may post embeds somewhere.

Discord hides admin commands from members without Manage Server (`default_permissions`), but server
owners can override that, so the bot checks again when the command, button or form runs. A plain module
(not an extension), so `Refused` is one class for every cog."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.errors import UserError
from bot.i18n import N_

NEEDS_MANAGE_SERVER = N_("You need the **Manage Server** permission to do that.")


class Refused(app_commands.CheckFailure):
    """A check that failed with a sentence for the user (e.g. a missing permission); like UserError,
    an English catalog entry with `{placeholders}` filled from `values`."""

    def __init__(self, message: str, /, **values: Any) -> None:
        self.error = UserError(message, **values)
        super().__init__(str(self.error))

    def render(self, lang: str | None) -> str:
        """The sentence in `lang`."""
        return self.error.render(lang)


def require_manage_server(interaction: discord.Interaction) -> None:
    """Refuse (ephemeral sentence) unless the member has Manage Server here."""
    if not interaction.permissions.manage_guild:
        raise Refused(NEEDS_MANAGE_SERVER)


def _manage_server(interaction: discord.Interaction) -> bool:
    require_manage_server(interaction)
    return True


manage_server_only = app_commands.check(_manage_server)
"""Decorator: the run-time Manage Server check on one app command (pair it with Discord's
`default_permissions(manage_guild=True)` on the top-level command or group)."""


def require_embeds(interaction: discord.Interaction, channel: Any) -> None:
    """Refuse unless the bot can send messages with embeds in `channel` (a guild channel)."""
    me = interaction.guild.me if interaction.guild else None
    perms = channel.permissions_for(me) if me is not None and hasattr(channel, "permissions_for") else None
    if perms is not None and not (perms.send_messages and perms.embed_links):
        if channel.id == interaction.channel_id:
            raise Refused(
                "I can't post embeds in this channel. Give me Send Messages and Embed Links here, "
                "then try again."
            )
        raise Refused(
            "I can't post embeds in {channel}. Give me Send Messages and Embed Links there, then try again.",
            channel=channel.mention,
        )


NEEDS_MANAGE_MESSAGES = N_("You need the **Manage Messages** permission to do that.")


def require_manage_messages(interaction: discord.Interaction) -> None:
    """Refuse (ephemeral sentence) unless the member has Manage Messages here (e.g. to decide VAR)."""
    if not interaction.permissions.manage_messages:
        raise Refused(NEEDS_MANAGE_MESSAGES)
