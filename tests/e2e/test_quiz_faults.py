"""A quiz never locks its channel: failed replies, stale rows, a full disk, sends that keep failing;
and answers are timed from Discord's own timestamps, even before the question's send returns."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import event, select

from db.models import QuizSession, ScoreEvent
from tests.conftest import World
from tests.e2e.helpers import contains, is_question, question_for

pytestmark = pytest.mark.e2e

CALLBACK = r"/interactions/\d+/[^/]+/callback$"
MESSAGES = r"/channels/\d+/messages$"


async def states(world: World) -> list[str]:
    async with world.bot.db.sessions() as s:
        return list(await s.scalars(select(QuizSession.state).order_by(QuizSession.id)))


async def starts(world: World, name: str = "Starter", **options) -> str:
    fan = world.emulator.member(world.guild, name)
    reply = await fan.slash("quiz start", **{"questions": 1, "seconds": 5, **options})
    return reply.messages[0].text() if reply.messages else ""


@contextlib.contextmanager
def disk_full(world: World) -> Iterator[None]:
    """While inside, every new connection of the bot's engine refuses writes (then the disk recovers)."""
    sqlite = world.bot.db.engine.dialect.name == "sqlite"

    def refuse_writes(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only = ON" if sqlite else "SET default_transaction_read_only = on")
        cursor.close()
        dbapi_connection.commit()

    engine = world.bot.db.engine.sync_engine
    event.listen(engine, "connect", refuse_writes)
    engine.pool.dispose()
    try:
        yield
    finally:
        event.remove(engine, "connect", refuse_writes)
        engine.pool.dispose()


@pytest.mark.parametrize("status", [400, 404])
async def test_a_failed_start_reply_does_not_lock_the_channel(world: World, status: int) -> None:
    world.emulator.inject("POST", CALLBACK, status=status)
    await starts(world)
    assert "running" not in await states(world)
    assert "Quiz time!" in await starts(world)


async def test_a_stale_running_row_with_no_runner_here_is_recovered(world: World) -> None:
    async with world.bot.db.sessions.begin() as s:
        s.add(
            QuizSession(
                guild_id=world.guild.id,
                channel_id=world.channel.id,
                starter_id=1,
                mode="typed",
                total=1,
                seconds=20,
                state="running",
                question_ids=[],
                started_at=dt.datetime(2025, 5, 22, 9, tzinfo=dt.UTC),
            )
        )
    assert "Quiz time!" in await starts(world)
    assert (await states(world))[0] == "interrupted"


async def test_a_full_disk_mid_question_frees_the_channel_once_it_recovers(world: World, caplog) -> None:
    emu = world.emulator
    assert "Quiz time!" in await starts(world, questions=2)
    await emu.wait_for(is_question(1))
    cog = world.bot.get_cog("Quiz")
    play = cog.running[world.channel.id].task  # type: ignore[union-attr]
    with caplog.at_level(logging.ERROR), disk_full(world):
        notice = await emu.wait_for(contains("error id"), timeout=15)
        await asyncio.wait_for(play, 5)
        assert not cog.running  # type: ignore[union-attr]
        assert "running" in await states(world)  # not even "failed" could be written
    error_id = re.search(r"error id `(\w+)`", notice.text()).group(1)  # type: ignore[union-attr]
    assert f"Error {error_id}" in caplog.text
    world.clock.advance(minutes=2)  # the disk is back a while later
    assert "Quiz time!" in await starts(world)
    assert (await states(world))[0] == "interrupted"


async def test_a_fresh_running_row_from_elsewhere_is_left_alone(world: World) -> None:
    """A quiz that shows life (it started moments ago, maybe in another process) is not taken over."""
    async with world.bot.db.sessions.begin() as s:
        s.add(
            QuizSession(
                guild_id=world.guild.id,
                channel_id=world.channel.id,
                starter_id=1,
                mode="typed",
                total=1,
                seconds=20,
                state="running",
                question_ids=[],
                started_at=world.clock.now() - dt.timedelta(seconds=30),
            )
        )
    assert "already running here" in await starts(world)
    assert await states(world) == ["running"]


async def test_a_quiz_whose_sends_keep_failing_says_so_once_and_frees_the_channel(
    world: World, caplog
) -> None:
    emu = world.emulator
    assert "Quiz time!" in await starts(world, questions=3)
    await emu.wait_for(contains("Time's up!"), timeout=15)
    emu.inject("POST", MESSAGES, status=429, retry_after=0.05, times=5)  # question 2 never gets out
    with caplog.at_level(logging.ERROR):
        notice = await emu.wait_for(contains("error id"), timeout=15)
    assert notice.channel_id == world.channel.id and not notice.ephemeral
    error_id = re.search(r"error id `(\w+)`", notice.text()).group(1)  # type: ignore[union-attr]
    assert f"Error {error_id}" in caplog.text
    assert (await states(world)) == ["failed"]
    assert len([m for m in emu.sent if "error id" in m.text()]) == 1
    await emu.wait_for(contains("Standings so far"))  # the standings still show
    assert "Quiz time!" in await starts(world)


async def test_a_typed_answer_before_the_question_send_returns_is_timed_sanely(world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Quick")
    assert "Quiz time!" in await starts(world, seconds=20)
    # (the start reply went out; the next question's POST is answered 1.5 s late)
    emu.inject("POST", MESSAGES, delay=1.5, after=True)
    q = await emu.wait_for(is_question(1))
    await fan.say((await question_for(world, q)).answer)
    await emu.wait_for(contains("got it!"), timeout=10)
    async with world.bot.db.sessions() as s:
        ms = await s.scalar(select(ScoreEvent.response_ms).where(ScoreEvent.user_id == fan.id))
    assert ms is not None and 0 <= ms <= 20_000, ms


async def test_a_button_press_before_the_question_send_returns_counts(world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Clicker")
    emu.inject("POST", MESSAGES, delay=1.5, after=True)
    assert "Quiz time!" in await starts(world, seconds=20, mode="buttons")
    q = await emu.wait_for(is_question(1))
    press = await fan.click(q, q.buttons()[0]["label"])
    assert "Locked in" in press.messages[0].text()
