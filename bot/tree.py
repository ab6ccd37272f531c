"""The command tree: refuses option text a database can't store before any command sees it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import discord
from discord import app_commands

from bot.storable import REFUSAL, is_storable, storable
from bot.text import NO_PINGS, error_embed


def _string_options(options: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for option in options:
        if isinstance(option.get("value"), str):
            yield option
        yield from _string_options(option.get("options", []))


class CalcioTree(app_commands.CommandTree):
    """A command tree whose commands and autocompletes only ever receive storable text."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
        bad = [o for o in _string_options(data.get("options", [])) if not is_storable(o["value"])]
        if not bad:
            return True
        if interaction.type is discord.InteractionType.autocomplete:
            for option in bad:  # half-typed text: suggest for what can be stored
                option["value"] = storable(option["value"])
            return True
        await interaction.response.send_message(
            embed=error_embed(REFUSAL), ephemeral=True, allowed_mentions=NO_PINGS
        )
        return False
