"""Helpers for end-to-end tests: find the question on screen and its answer in the database."""

from __future__ import annotations

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
    text = msg.embeds[0]["description"]
    async with world.bot.db.sessions() as s:
        rows = (await s.scalars(select(Question))).all()
    import discord

    return next(q for q in rows if discord.utils.escape_markdown(q.text) == text)


def contains(text: str):
    return lambda m: text in m.text()
