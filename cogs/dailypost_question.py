"""The question of the day's answer buttons on the daily post (`bot.daily_question` has the rules).

The buttons are dynamic items: their custom id (`qotd:<post id>:<position>`) says everything a press
needs, and the database keeps the rest, so after a restart the open question answers as before (the
class is registered at start-up with `bot.add_dynamic_items`). A plain module, not an extension."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.daily_question.rules import (
    CUSTOM_ID_PATTERN,
    Outcome,
    Result,
    custom_id,
    right_position,
    shown_options,
)
from bot.facts.daily import DailyPlan
from bot.i18n import ntranslate, translate
from bot.text import NO_PINGS, plain
from bot.translator import public_lang, reply_lang
from cogs.replies import report
from db.queries.daily_questions import answer

LABEL_MAX = 80  # Discord's limit for a button label


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=CUSTOM_ID_PATTERN):
    """One option of a question of the day. Each fan's first press counts."""

    def __init__(self, post_id: int, choice: int, label: str = "…") -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:LABEL_MAX] or "…",
                style=discord.ButtonStyle.secondary,
                custom_id=custom_id(post_id, choice),
            )
        )
        self.post_id = post_id
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: re.Match[str], /
    ) -> AnswerButton:
        return cls(int(match["post"]), int(match["choice"]), item.label or "…")

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            # A press writes to the database (the answer, the score event, the streak): deferred first, so
            # a busy database never runs past Discord's 3 s.
            await interaction.response.defer(ephemeral=True, thinking=True)
            bot: Any = interaction.client
            outcome = await answer(
                bot.db.sessions,
                self.post_id,
                interaction.guild_id or 0,
                interaction.user.id,
                self.choice,
                bot.clock.now(),
                bot.settings.season_start_month,
            )
            closed = outcome.result is Result.CLOSED
            shown_lang = await public_lang(bot, interaction.guild) if closed else None
            text = reply_text(reply_lang(interaction), outcome, shown_lang)
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)
        except Exception as exc:  # a friendly ephemeral reply, never "This interaction failed"
            await report(interaction, exc, type(self).__name__)


def answer_view(post: DailyPlan, lang: str | None) -> discord.ui.View | None:
    """The answer buttons for a post's question of the day, in the server's language `lang`."""
    if not post.answerable or post.question is None or post.post_id is None:
        return None
    question = post.question.in_lang(lang)
    view = discord.ui.View(timeout=None)
    for position, label in enumerate(shown_options(question.answer, question.choices, list(post.order))):
        view.add_item(AnswerButton(post.post_id, position, label))
    return view


def reply_text(lang: str | None, outcome: Outcome, shown_lang: str | None = None) -> str:
    """The fan's ephemeral reply to a press, in their language (`lang`); a closed question's answer is
    told as the post showed it (`shown_lang`, the server's language)."""
    streak = outcome.streak
    if outcome.result is Result.RIGHT and streak is not None:
        won = ntranslate(lang, "{n} point", "{n} points", outcome.points, n=outcome.points)
        return "✅ " + translate(
            lang,
            "Right! +{points}. Daily streak: **{current}** (best {best}).",
            points=won,
            current=streak.current,
            best=streak.best,
        )
    if outcome.result is Result.WRONG:
        return "❌ " + translate(
            lang,
            "Not this time: your daily streak is back to 0. "
            "The answer is revealed when the question closes, with the next daily post.",
        )
    if outcome.result is Result.ALREADY:
        return translate(lang, "You already answered this question of the day. One answer each!")
    if outcome.result is Result.CLOSED and outcome.question is not None:
        question = outcome.question.in_lang(shown_lang)
        options = shown_options(question.answer, question.choices, list(outcome.order))
        right = options[right_position(list(outcome.order))] if options else question.answer
        return "🔒 " + translate(
            lang, "This question is closed. The answer was **{answer}**.", answer=plain(right)
        )
    return translate(lang, "This question is no longer available.")
