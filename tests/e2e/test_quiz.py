"""Quiz sessions end to end through the emulator with the real bot."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models import DailyScore, QuizSession, ScoreEvent
from db.queries.quiz import ChannelBusy, open_session
from tests.conftest import World, start_world, stop_world
from tests.e2e.helpers import contains, is_question, question_for

pytestmark = pytest.mark.e2e


async def test_typed_session_with_two_fans(world: World) -> None:
    emu = world.emulator
    giulia = emu.member(world.guild, "Giulia")
    marco = emu.member(world.guild, "Marco @everyone")
    start = await giulia.slash("quiz start", questions=2, mode="typed", seconds=20)
    assert "Quiz time!" in start.messages[0].text()

    q1 = await emu.wait_for(is_question(1))
    question = await question_for(world, q1)
    await marco.say("definitely not the answer")
    await giulia.say(question.answer.upper() + "!")
    won = await emu.wait_for(contains("got it!"))
    assert "Giulia" in won.text() and question.answer in won.text()

    q2 = await emu.wait_for(is_question(2))
    question2 = await question_for(world, q2)
    assert question2.id != question.id
    await marco.say(question2.answer.lower())
    await emu.wait_for(lambda m: "got it!" in m.text() and "Marco" in m.text())
    final = await emu.wait_for(contains("Final standings"))
    # Both scored; user text never pings.
    assert "Giulia" in final.text() and "Marco" in final.text()
    assert "@\u200beveryone" in final.text()
    assert all(m.allowed_mentions is None or m.allowed_mentions.get("parse") == [] for m in emu.sent)

    async with world.bot.db.sessions() as s:
        events = (await s.scalars(select(ScoreEvent).order_by(ScoreEvent.id))).all()
        state = await s.scalar(select(QuizSession.state))
        rollup = await s.scalar(select(func.sum(DailyScore.points)))
    winners = [e for e in events if e.points > 0]
    assert [e.user_id for e in winners] == [giulia.id, marco.id]
    assert any(e.user_id == marco.id and not e.correct for e in events)  # the wrong guess counts as an answer
    assert rollup == sum(e.points for e in events)
    assert state == "finished"


async def test_buttons_session(world: World) -> None:
    emu = world.emulator
    anna, luca = emu.member(world.guild, "Anna"), emu.member(world.guild, "Luca")
    await anna.slash("quiz start", questions=1, mode="buttons", seconds=20)
    msg = await emu.wait_for(is_question(1))
    question = await question_for(world, msg)
    labels = [b["label"] for b in msg.buttons()]
    assert len(labels) == 4 and question.answer in labels
    wrong = next(label for label in labels if label != question.answer)

    first = await anna.click(msg, question.answer)
    assert first.messages[0].ephemeral and "Locked in" in first.messages[0].text()
    again = await anna.click(msg, wrong)
    assert again.messages[0].ephemeral and "already answered" in again.messages[0].text()
    await luca.click(msg, wrong)

    reveal = await emu.wait_for(contains("The answer was"))
    assert "Anna (+" in reveal.text()
    buttons = msg.buttons()  # the same message, edited
    assert all(b.get("disabled") for b in buttons)
    assert [b["label"] for b in buttons if b["style"] == 3] == [question.answer]
    await emu.wait_for(contains("Final standings"))
    async with world.bot.db.sessions() as s:
        events = {e.user_id: e for e in (await s.scalars(select(ScoreEvent))).all()}
    assert events[anna.id].correct and events[anna.id].points >= 5
    assert not events[luca.id].correct and events[luca.id].points == 0


async def test_second_start_refused_and_stop_rules(world: World) -> None:
    emu = world.emulator
    starter, other = emu.member(world.guild, "Starter"), emu.member(world.guild, "Other")
    await starter.slash("quiz start", questions=3, seconds=60)
    await emu.wait_for(is_question(1))
    refused = await other.slash("quiz start")
    assert refused.messages[0].ephemeral and "already running" in refused.messages[0].text()
    denied = await other.slash("quiz stop")
    assert denied.messages[0].ephemeral and "Only the member who started" in denied.messages[0].text()
    stopped = await starter.slash("quiz stop")
    assert "Stopping" in stopped.messages[0].text()
    await emu.wait_for(contains("Quiz stopped"))
    async with world.bot.db.sessions() as s:
        assert await s.scalar(select(QuizSession.state)) == "stopped"


async def test_quiz_running_in_another_process_is_refused_in_words(world: World) -> None:
    """The database's one-running-per-channel rule (ChannelBusy) reaches the fan as the cog's sentence."""
    elsewhere = await open_session(
        world.bot.db.sessions,
        guild_id=world.guild.id,
        channel_id=world.channel.id,
        starter_id=1,
        mode="typed",
        category=None,
        difficulty=None,
        seconds=20,
        questions=[],
        now=world.clock.now(),
    )
    with pytest.raises(ChannelBusy):
        await open_session(
            world.bot.db.sessions,
            guild_id=world.guild.id,
            channel_id=world.channel.id,
            starter_id=2,
            mode="typed",
            category=None,
            difficulty=None,
            seconds=20,
            questions=[],
            now=world.clock.now(),
        )
    fan = world.emulator.member(world.guild, "Eager")
    refused = await fan.slash("quiz start", questions=1)
    assert refused.messages[0].ephemeral and "already running here" in refused.messages[0].text()
    async with world.bot.db.sessions() as s:
        assert [r.id for r in (await s.scalars(select(QuizSession))).all()] == [elsewhere]


async def test_timeout_reveals_answer(world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Sleepy")
    await fan.slash("quiz start", questions=1, seconds=5)
    msg = await emu.wait_for(is_question(1))
    question = await question_for(world, msg)
    reveal = await emu.wait_for(contains("Time's up!"), timeout=10)
    assert question.answer.replace("'", "\\'") in reveal.text() or question.answer in reveal.text()


async def test_manage_messages_can_skip(world: World) -> None:
    """A moderator who did not start the quiz can skip; a plain member can't, and the question stays."""
    emu = world.emulator
    starter = emu.member(world.guild, "Starter")
    mod = emu.member(world.guild, "Mod", permissions=1 << 13)
    fan = emu.member(world.guild, "Bystander")
    await starter.slash("quiz start", questions=2, seconds=60)
    await emu.wait_for(is_question(1))
    refused = await fan.slash("quiz skip")
    assert refused.messages[0].ephemeral and "Manage Messages" in refused.messages[0].text()
    first = world.bot.get_cog("Quiz").running[world.channel.id].game.round  # type: ignore[union-attr]
    assert first is not None and first.position == 0 and not first.closed
    skipped = await mod.slash("quiz skip")
    assert skipped.messages[0].ephemeral and "Skipping" in skipped.messages[0].text()
    reveal = await emu.wait_for(contains("Skipped."))
    assert reveal.channel_id == world.channel.id and not reveal.ephemeral
    assert first.end_reason == "skipped"
    await emu.wait_for(is_question(2))


async def test_restart_mid_session_closes_with_message(settings, world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Loyal")
    await fan.slash("quiz start", questions=5, seconds=60)
    q1 = await emu.wait_for(is_question(1))
    await fan.say((await question_for(world, q1)).answer)
    await emu.wait_for(contains("got it!"))
    await emu.wait_for(is_question(2))
    # The bot goes down mid-question and comes back on the same database.
    await world.bot.close()  # the fixture's teardown closes it again harmlessly
    w2, t2 = await start_world(settings, emulator=emu)
    try:
        notice = await emu.wait_for(contains("I restarted"))
        assert notice.channel_id == world.channel.id and "Loyal" in notice.text()
        async with w2.bot.db.sessions() as s:
            assert await s.scalar(select(QuizSession.state)) == "interrupted"
            assert await s.scalar(select(func.sum(ScoreEvent.points))) > 0
        # The channel is free again.
        again = await fan.slash("quiz start", questions=1)
        assert "Quiz time!" in again.messages[0].text()
    finally:
        await stop_world(w2, t2, stop_emulator=False)
