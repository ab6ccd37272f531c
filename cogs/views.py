"""Base classes for every button view and form: an error raised in a callback reaches the member
through the same path as command errors (`cogs.replies.report`), never as "This interaction failed"."""

from __future__ import annotations

from typing import Any

import discord

from cogs.replies import report


class View(discord.ui.View):
    """A view whose callback errors are answered like command errors."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: Any) -> None:  # type: ignore[override]
        await report(interaction, error, type(self).__name__)


class Modal(discord.ui.Modal):
    """A form whose submit errors are answered like command errors."""

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        await report(interaction, error, type(self).__name__)
