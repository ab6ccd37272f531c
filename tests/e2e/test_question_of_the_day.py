"""The scored question of the day end to end: buttons on the daily post, one press each, points in /stats,
daily streaks on board:streaks, the next day's post closing the old question, and a restart in between."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select

from bot.daily_question.rules import CUSTOM_ID_RE
from bot.quiz.engine import QuestionView
from bot.text import defuse, plain
from db.models import DailyQuestion, Question
from discord_emulator import SentMessage
from discord_emulator.payloads import MANAGE_GUILD
from tests.conftest import World, start_world, stop_world

pytestmark = pytest.mark.e2e

NINE_ROME = dt.datetime(2025, 6, 2, 7, 5, tzinfo=dt.UTC)  # 09:05 in Rome


def posts_of(world: World, day: dt.date) -> list[SentMessage]:
    marker = f"Daily post · {day.isoformat()}"
    return [m for m in world.emulator.channel_posts(world.channel) if marker in m.text()]


async def post_for(world: World, day: dt.date) -> tuple[SentMessage, Question]:
    """Send the day's post (the clock is at its time) and return it with its question. The scheduler may
    have claimed it a moment before us: then it is out once its send returns."""
    await world.bot.get_cog("Daily").check_guild(world.guild.id)  # type: ignore[union-attr]
    marker = f"Daily post · {day.isoformat()}"
    await world.emulator.wait_for(lambda m: m.channel_id == world.channel.id and marker in m.text())
    (msg,) = posts_of(world, day)
    async with world.bot.db.sessions() as s:
        daily = await s.scalar(
            select(DailyQuestion).where(
                DailyQuestion.guild_id == world.guild.id, DailyQuestion.local_date == day
            )
        )
        assert daily is not None
        question = await s.get(Question, daily.question_id)
    assert question is not None
    return msg, question


async def pressed(world: World, fan, msg: SentMessage, label: str) -> SentMessage:
    """Press a button; the bot defers (ephemerally) and then answers: its answer, checked private."""
    inter = await fan.click(msg, label)
    assert inter.response_type == 5 and inter.callback["data"]["flags"] & 64  # deferred, only for the fan
    reply = await world.emulator.wait_for(lambda m: m.interaction_id == inter.id and bool(m.content))
    assert reply.ephemeral, reply.text()
    assert reply.allowed_mentions is not None and reply.allowed_mentions.get("parse") == []
    return reply


async def stats_text(world: World, fan) -> str:
    asked = await fan.slash("stats")
    shown = await world.emulator.wait_for(lambda m: m.interaction_id == asked.id and bool(m.embeds))
    return shown.text()


async def streak_board(fan) -> str:
    return (await fan.slash("leaderboard show", board="streaks")).messages[0].text()


async def test_question_of_the_day_scores_streaks_survives_restart_and_closes(settings, world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    anna, bruno, carla, dario = (emu.member(world.guild, n) for n in ("Anna", "Bruno", "Carla", "Dario"))
    world.clock.set(NINE_ROME - dt.timedelta(hours=2))
    await admin.slash("dailypost set", channel=world.channel, time="09:00", timezone="Europe/Rome")
    world.clock.set(NINE_ROME)
    day1 = NINE_ROME.date()
    msg, q = await post_for(world, day1)

    # The post: the question, its four options as buttons that carry the post, no answer shown.
    (shown_q,) = [e for e in msg.embeds if "Question of the day" in e.get("title", "")]
    assert defuse(q.text) in shown_q["description"] and "||" not in shown_q["description"]
    labels = [b["label"] for b in msg.buttons()]
    assert sorted(labels) == sorted([q.answer, *q.choices])
    ids = [CUSTOM_ID_RE.fullmatch(b["custom_id"]) for b in msg.buttons()]
    assert all(ids) and len({m["post"] for m in ids if m}) == 1
    wrong = next(label for label in labels if label != q.answer)

    right = await pressed(world, anna, msg, q.answer)
    assert "Right!" in right.text() and "Daily streak: **1** (best 1)" in right.text()
    again = await pressed(world, anna, msg, wrong)
    assert "already answered" in again.text()
    missed = await pressed(world, bruno, msg, wrong)
    assert "Not this time" in missed.text() and "back to 0" in missed.text()
    assert (
        f"**{plain(q.answer)}**" not in missed.text() and "answer was" not in missed.text()
    )  # not revealed yet

    anna_stats = await stats_text(world, anna)
    assert "Daily streak: 1 now · best 1" in anna_stats
    points = {"easy": 10, "medium": 20, "hard": 30}[q.difficulty]
    assert f"Points: {points}" in anna_stats and "Answers: 1" in anna_stats
    assert "Daily streak: 0 now · best 0" in await stats_text(world, bruno)
    board = await streak_board(anna)
    assert "**1.** Anna — 🔥 1 · best 1" in board and "Bruno" not in board
    refused = (await anna.slash("leaderboard show", board="streaks", chart=True)).messages[0]
    assert refused.ephemeral and "no categories nor chart" in refused.text()

    # A restart: the open question still answers (the buttons are dynamic items, the state is in the db).
    await world.bot.close()
    w2, t2 = await start_world(settings, emulator=emu, clock=world.clock)
    try:
        await asyncio.wait_for(w2.bot.get_cog("Daily").caught_up.wait(), 10)  # type: ignore[union-attr]
        assert len(posts_of(w2, day1)) == 1  # no second post for the day
        after_restart = await pressed(w2, carla, msg, q.answer)
        assert "Right!" in after_restart.text()
        assert "already answered" in (await pressed(w2, anna, msg, q.answer)).text()

        # The next day's post closes yesterday's question: pressing it tells the answer, scores nothing.
        w2.clock.advance(days=1)
        day2 = day1 + dt.timedelta(days=1)
        msg2, q2 = await post_for(w2, day2)
        closed = await pressed(w2, dario, msg, q.answer)
        assert "closed" in closed.text() and f"**{plain(q.answer)}**" in closed.text()
        two = await pressed(w2, anna, msg2, q2.answer)
        assert "Daily streak: **2** (best 2)" in two.text()
        board = await streak_board(dario)
        assert board.index("**1.** Anna — 🔥 2 · best 2") < board.index("**2.** Carla — 🔥 1 · best 1")
        assert "Dario" not in board and "Bruno" not in board
        assert "Daily streak: 0 now · best 0" in await stats_text(w2, dario)

        # Carla misses day 2's question: day 3's post breaks her streak; Anna's lives on if she answers.
        w2.clock.advance(days=1)
        await post_for(w2, day2 + dt.timedelta(days=1))
        board = await streak_board(carla)
        assert "Anna — 🔥 2" in board and "Carla" not in board
        assert "Daily streak: 0 now · best 1" in await stats_text(w2, carla)
    finally:
        await stop_world(w2, t2, stop_emulator=False)


async def test_question_of_the_day_in_an_italian_server(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Presidente", permissions=MANAGE_GUILD, locale="it")
    giulia, tom = emu.member(world.guild, "Giulia", locale="it"), emu.member(world.guild, "Tom")
    await admin.slash("server language", language="it")
    world.clock.set(NINE_ROME - dt.timedelta(hours=2))
    await admin.slash("dailypost set", channel=world.channel, time="09:00", timezone="Europe/Rome")
    world.clock.set(NINE_ROME)
    msg, q = await post_for(world, NINE_ROME.date())
    assert "Domanda del giorno" in msg.text()
    shown = QuestionView(
        q.id,
        q.text,
        q.answer,
        (),
        tuple(q.choices),
        q.category,
        q.difficulty,
        text_it=q.text_it,
        answer_it=q.answer_it,
        choices_it=tuple(q.choices_it or ()),
    ).in_lang("it")
    labels = [b["label"] for b in msg.buttons()]
    assert sorted(labels) == sorted([shown.answer, *shown.choices])
    right = await pressed(world, giulia, msg, shown.answer)
    assert "Esatto!" in right.text() and "Serie giornaliera: **1**" in right.text()
    wrong = await pressed(world, tom, msg, next(label for label in labels if label != shown.answer))
    assert "Not this time" in wrong.text()  # a fan's own reply is in their own language
