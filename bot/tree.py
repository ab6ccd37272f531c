"""The command tree: checks that hold for every slash command, whatever a (possibly forged) payload says.

- Option text a database can't store (NUL, lone surrogates) is refused before any command sees it
  (autocomplete gets the storable part of half-typed text).
- A server-only command that arrives from a DM gets "That command only works in a server."
- Every option is held to the range, length and choices the command registered with Discord; Discord
  enforces them in its client, but nothing stops a forged payload, so the bot checks again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import discord
from discord import app_commands

from bot.errors import UserError
from bot.i18n import translate
from bot.storable import REFUSAL, is_storable, storable
from bot.text import NO_PINGS, error_embed
from bot.translator import reply_lang

_NUMBERS = (discord.AppCommandOptionType.integer, discord.AppCommandOptionType.number)


def _string_options(options: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for option in options:
        if isinstance(option.get("value"), str):
            yield option
        yield from _string_options(option.get("options", []))


def servers_only() -> app_commands.AppCommandContext:
    """`allowed_contexts` for a command group used only in servers: `guild_only=True` on a Group only
    sets the old `dm_permission`, and Discord reads `contexts`."""
    return app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)


def server_only(command: app_commands.Command[Any, ..., Any]) -> bool:
    """True if the command or a group above it is registered for servers only."""
    node: app_commands.Command[Any, ..., Any] | app_commands.Group | None = command
    while node is not None:
        contexts = node.allowed_contexts
        if node.guild_only or (contexts is not None and contexts.guild and not contexts.dm_channel):
            return True
        node = node.parent
    return False


def out_of_range(
    command: app_commands.Command[Any, ..., Any], namespace: app_commands.Namespace
) -> UserError | None:
    """An error naming the first option whose value breaks its registered limits, or None."""
    for param in command.parameters:
        value = getattr(namespace, param.display_name, None)
        if value is None:
            continue
        name = f"`{param.display_name}`"
        if param.choices and value not in {c.value for c in param.choices}:
            allowed = ", ".join(str(c.name) for c in param.choices)
            return UserError("{name} must be one of: {allowed}.", name=name, allowed=allowed)
        low, high = param.min_value, param.max_value
        if param.type in _NUMBERS and isinstance(value, int | float):
            if (low is not None and value < low) or (high is not None and value > high):
                return UserError("{name} must be between {low} and {high}.", name=name, low=low, high=high)
        elif param.type is discord.AppCommandOptionType.string and isinstance(value, str):
            if (low is not None and len(value) < low) or (high is not None and len(value) > high):
                return UserError(
                    "{name} must be {low} to {high} characters long.", name=name, low=low or 0, high=high
                )
    return None


class CalcioTree(app_commands.CommandTree):
    """discord.py's tree with the checks above, run before any command (autocomplete: storable text)."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
        bad = [o for o in _string_options(data.get("options", [])) if not is_storable(o["value"])]
        if bad and interaction.type is discord.InteractionType.autocomplete:
            for option in bad:  # half-typed text: suggest for what can be stored
                option["value"] = storable(option["value"])
        elif bad:
            await interaction.response.send_message(
                embed=error_embed(translate(reply_lang(interaction), REFUSAL)),
                ephemeral=True,
                allowed_mentions=NO_PINGS,
            )
            return False
        if interaction.type is not discord.InteractionType.application_command:
            return True
        command = interaction.command
        if not isinstance(command, app_commands.Command):
            return True
        if interaction.guild_id is None and server_only(command):
            raise app_commands.NoPrivateMessage()
        problem = out_of_range(command, interaction.namespace)
        if problem:
            raise app_commands.CommandInvokeError(command, problem)
        return True
