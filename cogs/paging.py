"""Previous/Next pagination for embeds (leaderboards, bank listings)."""

from __future__ import annotations

from typing import Protocol

import discord

from bot.i18n import translate
from bot.text import COLOUR, NO_PINGS
from cogs.views import View


class PageSource(Protocol):
    """Anything that renders its current page and knows how many there are."""

    page: int
    pages: int

    async def embed(self) -> discord.Embed: ...


class StaticPages:
    """A page source over pre-rendered text pages."""

    def __init__(self, texts: list[str], title: str, lang: str | None = None) -> None:
        self.texts, self.title, self.page, self.pages = texts, title, 0, max(len(texts), 1)
        self.lang = lang

    async def embed(self) -> discord.Embed:
        e = discord.Embed(title=self.title, description=self.texts[self.page], colour=COLOUR)
        return e.set_footer(
            text=translate(self.lang, "Page {page}/{pages}", page=self.page + 1, pages=self.pages)
        )


class PageView(View):
    """Previous/Next buttons that re-render a page source in place."""

    def __init__(self, source: PageSource, lang: str | None = None) -> None:
        super().__init__(timeout=600)
        self.source = source
        self.previous.label = "◀ " + translate(lang, "Previous")
        self.next.label = translate(lang, "Next") + " ▶"
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.source.page <= 0
        self.next.disabled = self.source.page >= self.source.pages - 1

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.source.page = min(max(self.source.page + step, 0), self.source.pages - 1)
        embed = await self.source.embed()
        self._sync()
        await interaction.response.edit_message(embed=embed, view=self, allowed_mentions=NO_PINGS)

    @discord.ui.button(label="◀ Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[PageView]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[PageView]) -> None:
        await self._turn(interaction, 1)
