"""/bank: server-made questions (add, edit, remove, list, import, export) and built-in bank switches.
Every command needs Manage Server: Discord hides them from others, and the bot checks again."""

from __future__ import annotations

import asyncio
import io

import discord
from discord import app_commands
from discord.ext import commands
from pydantic import ValidationError

from bot.client import CalcioBot
from bot.content.exporting import batches, export_files
from bot.content.formats import MAX_FILE_BYTES, Format, slug_for
from bot.content.importer import import_bank
from bot.content.schema import QuestionEntry
from bot.defaults import DEFAULT_DIFFICULTY, Difficulty
from bot.errors import UserError
from bot.i18n import ntranslate, translate
from bot.limits import UPLOAD_MAX_BYTES
from bot.storable import REFUSAL, is_storable
from bot.text import NO_PINGS, defuse, plain
from bot.translator import reply_lang
from cogs.checks import Refused, require_manage_server
from cogs.paging import PageView, StaticPages
from cogs.views import Modal, View
from db.models import Question
from db.queries import banks

PAGE = 10
TEXT_INPUT_MAX = 4000  # Discord's largest text input


def split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


class QuestionModal(Modal):
    """Add or edit a server question."""

    def __init__(
        self, bot: CalcioBot, difficulty: str, existing: QuestionEntry | None = None, lang: str | None = None
    ) -> None:
        title = translate(lang, "Edit question") if existing else translate(lang, "New question")
        super().__init__(title=title, timeout=600)
        self.bot, self.difficulty, self.existing = bot, difficulty, existing
        e = existing
        self.question = discord.ui.TextInput(
            label=translate(lang, "Question"),
            style=discord.TextStyle.paragraph,
            max_length=300,
            default=e.question if e else None,
        )
        self.answer = discord.ui.TextInput(
            label=translate(lang, "Answer"), max_length=80, default=e.answer if e else None
        )
        aliases = "|".join(e.aliases) if e else ""
        if len(aliases) > TEXT_INPUT_MAX:
            raise UserError(
                "This question has too many accepted answers to edit in a form. Export the bank with "
                "`/bank export`, edit the file, and import it back with `/bank import`."
            )
        self.aliases = discord.ui.TextInput(
            label=translate(lang, "Other accepted answers (separate with |)"),
            required=False,
            max_length=max(400, len(aliases)),  # Discord refuses a prefill longer than max_length
            default=aliases or None,
        )
        self.choices = discord.ui.TextInput(
            label=translate(lang, "3 wrong choices for buttons (separate with |)"),
            required=False,
            max_length=250,
            default="|".join(e.choices) if e else None,
        )
        self.category = discord.ui.TextInput(
            label=translate(lang, "Category"), max_length=60, default=e.category if e else None
        )
        for item in (self.question, self.answer, self.aliases, self.choices, self.category):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        require_manage_server(interaction)
        assert interaction.guild_id is not None
        fields = (self.question, self.answer, self.aliases, self.choices, self.category)
        if not all(is_storable(f.value) for f in fields):
            raise UserError(REFUSAL)
        ident = self.existing.id if self.existing else slug_for(self.question.value)
        try:
            entry = QuestionEntry(
                id=ident,
                question=self.question.value,
                answer=self.answer.value,
                aliases=split(self.aliases.value),
                choices=split(self.choices.value),
                category=self.category.value,
                difficulty=self.difficulty,  # type: ignore[arg-type]
                source=f"added by {interaction.user.display_name}"[:200],
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "question"
            raise UserError(
                "That question wasn't saved: {where}: {problem}.", where=where, problem=first["msg"]
            ) from None
        try:
            async with self.bot.db.sessions.begin() as s:
                await banks.import_entries(s, interaction.guild_id, [entry])
        except banks.BankFullError as exc:
            raise UserError("That question wasn't saved: {reason}", reason=str(exc)) from None
        lang = reply_lang(interaction)
        values = {"id": f"`{entry.id}`", "question": plain(entry.question, 200)}
        text = (
            translate(lang, "Updated question {id}: {question}", **values)
            if self.existing
            else translate(lang, "Added question {id}: {question}", **values)
        )
        await interaction.response.send_message("✅ " + text, ephemeral=True, allowed_mentions=NO_PINGS)


class ConfirmRemove(View):
    """Confirm button for removing one question; only members with Manage Server may press it."""

    def __init__(self, bot: CalcioBot, guild_id: int, short: str, lang: str | None = None) -> None:
        super().__init__(timeout=120)
        self.bot, self.guild_id, self.short = bot, guild_id, short
        self.confirm.label = translate(lang, "Remove")
        self.cancel.label = translate(lang, "Cancel")

    @discord.ui.button(label="Remove", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmRemove]
    ) -> None:
        require_manage_server(interaction)
        async with self.bot.db.sessions.begin() as s:
            gone = await banks.remove(s, self.guild_id, self.short)
        self.stop()
        lang = reply_lang(interaction)
        text = (
            "🗑️ " + translate(lang, "Question {id} removed.", id=f"`{self.short}`")
            if gone
            else translate(lang, "That question was already gone.")
        )
        await interaction.response.edit_message(content=text, view=None)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmRemove]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(
            content=translate(reply_lang(interaction), "Nothing was removed."), view=None
        )


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Bank(
    commands.GroupCog, group_name="bank", group_description="This server's own questions (Manage Server)"
):
    """Server question banks."""

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        if interaction.guild_id is None:
            raise Refused("Question banks belong to a server: use this in a server.")
        require_manage_server(interaction)
        return True

    async def _own_question(self, interaction: discord.Interaction, question_id: str) -> Question:
        """This server's question with that id, or a UserError pointing at `/bank list`."""
        assert interaction.guild_id is not None
        async with self.bot.db.sessions() as s:
            found = await banks.find(s, interaction.guild_id, question_id)
        if found is None:
            raise UserError(
                "No question {id} in this server's bank. See `/bank list`.",
                id=f"`{defuse(question_id[:40])}`",
            )
        return found

    @app_commands.command(name="add", description="Add a question (opens a form)")
    async def add(
        self, interaction: discord.Interaction, difficulty: Difficulty = DEFAULT_DIFFICULTY
    ) -> None:
        assert interaction.guild_id is not None
        async with self.bot.db.sessions() as s:
            count = await banks.question_count(s, interaction.guild_id)
        if count >= banks.MAX_SERVER_QUESTIONS:
            raise UserError(
                "This server's bank is full ({cap} questions at most). "
                "Remove some with `/bank remove` first.",
                cap=banks.MAX_SERVER_QUESTIONS,
            )
        await interaction.response.send_modal(
            QuestionModal(self.bot, difficulty, lang=reply_lang(interaction))
        )

    @app_commands.command(name="edit", description="Edit one of this server's questions")
    async def edit(
        self,
        interaction: discord.Interaction,
        question_id: str,
        difficulty: Difficulty | None = None,
    ) -> None:
        found = await self._own_question(interaction, question_id)
        entry = banks.entry_of(found)
        await interaction.response.send_modal(
            QuestionModal(self.bot, difficulty or entry.difficulty, entry, reply_lang(interaction))
        )

    @app_commands.command(name="remove", description="Remove one of this server's questions")
    async def remove(self, interaction: discord.Interaction, question_id: str) -> None:
        found = await self._own_question(interaction, question_id)
        assert interaction.guild_id is not None
        lang = reply_lang(interaction)
        await interaction.response.send_message(
            translate(
                lang,
                "Remove {id}: {question}?",
                id=f"`{banks.short_id(found)}`",
                question=plain(found.text, 200),
            ),
            view=ConfirmRemove(self.bot, interaction.guild_id, banks.short_id(found), lang),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @app_commands.command(name="list", description="List this server's questions")
    async def list_(self, interaction: discord.Interaction, category: str | None = None) -> None:
        assert interaction.guild_id is not None
        async with self.bot.db.sessions() as s:
            rows = await banks.server_questions(s, interaction.guild_id, category)
        if not rows:
            raise UserError(
                "This server has no questions of its own yet. Add one with `/bank add` or `/bank import`."
            )
        lines = [f"`{banks.short_id(q)}` · {plain(q.category, 30)} · {plain(q.text, 90)}" for q in rows]
        pages = ["\n".join(lines[i : i + PAGE]) for i in range(0, len(lines), PAGE)]
        lang = reply_lang(interaction)
        title = "📚 " + translate(lang, "Server questions ({count})", count=len(rows))
        source = StaticPages(pages, title, lang)
        await interaction.response.send_message(
            embed=await source.embed(), view=PageView(source, lang), ephemeral=True, allowed_mentions=NO_PINGS
        )

    @app_commands.command(
        name="import", description="Import questions from a file (YAML, Red, Open Trivia DB, CSV)"
    )
    @app_commands.describe(
        file="The bank file (2 MB at most)",
        format="Leave empty to detect it",
        skip_bad="Import the good entries even if some are invalid",
    )
    async def import_(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        format: Format | None = None,
        skip_bad: bool = False,
    ) -> None:
        assert interaction.guild_id is not None
        if file.size > MAX_FILE_BYTES:
            raise UserError(
                "That file is {size} MB; the limit is {limit} MB.",
                size=f"{file.size / 1e6:.1f}",
                limit=MAX_FILE_BYTES // 2**20,
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()
        write = banks.bank_writer(self.bot.db.sessions, interaction.guild_id)
        report = await import_bank(write, file.filename, data, fmt=format, skip_bad=skip_bad)
        colour = discord.Colour.green() if report.written else discord.Colour.orange()
        lang = reply_lang(interaction)
        title = "📥 " + translate(lang, "Import")
        embed = discord.Embed(title=title, description=defuse(report.summary(lang), 4000), colour=colour)
        await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(name="export", description="Download this server's questions as a file")
    async def export_(self, interaction: discord.Interaction, format: Format = "yaml") -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)  # big banks take seconds
        async with self.bot.db.sessions() as s:
            rows = await banks.server_questions(s, interaction.guild_id)
        if not rows:
            raise UserError("This server has no questions of its own to export yet.")
        entries = [banks.entry_of(q) for q in rows]
        files = await asyncio.to_thread(export_files, entries, format)
        lang = reply_lang(interaction)
        text = "📤 " + ntranslate(
            lang, "{n} question ({format}).", "{n} questions ({format}).", len(rows), format=format
        )
        if len(files) > 1:
            text += " " + translate(
                lang,
                "The file is over {limit} MB (the import limit), so it is split into {parts} parts; "
                "each part is a complete bank file that `/bank import` reads alone.",
                limit=MAX_FILE_BYTES // 2**20,
                parts=len(files),
            )
        for i, batch in enumerate(batches(files, UPLOAD_MAX_BYTES)):
            uploads = [discord.File(io.BytesIO(f.data), filename=f.name) for f in batch]
            await interaction.followup.send(
                text
                if i == 0
                else "📤 " + translate(lang, "Export, continued ({name} …).", name=batch[0].name),
                files=uploads,
                ephemeral=True,
                allowed_mentions=NO_PINGS,
            )

    @app_commands.command(name="enable", description="Play a built-in bank in this server")
    async def enable(self, interaction: discord.Interaction, bank: str) -> None:
        await self._switch(interaction, bank, True)

    @app_commands.command(name="disable", description="Stop playing a built-in bank in this server")
    async def disable(self, interaction: discord.Interaction, bank: str) -> None:
        await self._switch(interaction, bank, False)

    async def _switch(self, interaction: discord.Interaction, bank: str, enabled: bool) -> None:
        assert interaction.guild_id is not None
        async with self.bot.db.sessions.begin() as s:
            if bank not in await banks.builtin_banks(s):
                raise UserError("There's no built-in bank called {bank}.", bank=f"`{defuse(bank[:60])}`")
            await banks.set_bank_enabled(s, interaction.guild_id, bank, enabled)
        lang, name = reply_lang(interaction), f"`{bank}`"
        text = (
            translate(lang, "Bank {bank} enabled.", bank=name)
            if enabled
            else translate(lang, "Bank {bank} disabled.", bank=name)
        )
        await interaction.response.send_message(text, ephemeral=True)

    @enable.autocomplete("bank")
    @disable.autocomplete("bank")
    async def _bank_names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        async with self.bot.db.sessions() as s:
            names = await banks.builtin_banks(s)
        return [app_commands.Choice(name=n, value=n) for n in names if current.casefold() in n.casefold()][
            :25
        ]


async def setup(bot: CalcioBot) -> None:
    await bot.add_cog(Bank(bot))
