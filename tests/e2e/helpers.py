"""Helpers for end-to-end tests: find the question on screen and its answer in the database."""

from __future__ import annotations

import re

import discord
from sqlalchemy import select

from db.models import Question
from discord_emulator import SentMessage
from tests.conftest import World


def is_question(position: int | None = None):
    def pred(m: SentMessage) -> bool:
        title = m.embeds[0].get("title", "") if m.embeds else ""
        return title.startswith("Question ") and (
            position is None or title.startswith(f"Question {position}/")
        )

    return pred


async def question_for(world: World, msg: SentMessage) -> Question:
    """The question a message shows, looked up by its text: quick, so the answer comes well within a
    question's time in tests (1 s), however big the bank (loading every question took seconds)."""
    shown = msg.embeds[0]["description"]
    async with world.bot.db.sessions() as s:
        unescaped = re.sub(r"\\(.)", r"\1", shown)
        rows = (await s.scalars(select(Question).where(Question.text == unescaped))).all()
        if not rows:  # text with backslashes of its own: compare every question, as shown
            rows = (await s.scalars(select(Question))).all()
    return next(q for q in rows if discord.utils.escape_markdown(q.text) == shown)


def contains(text: str):
    return lambda m: text in m.text()
