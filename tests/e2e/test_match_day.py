"""Match-day gameplay end to end: first to N, a quiz that stops on its own, hints, the source under the
answer."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.quiz.announce import source_line
from bot.quiz.hints import build_hint
from bot.text import plain
from db.models import QuizRound, QuizSession, ScoreEvent
from discord_emulator import SentMessage
from discord_emulator.payloads import MANAGE_GUILD
from tests.conftest import World
from tests.e2e.helpers import contains, is_question, question_for
from tests.e2e.test_bank import field_ids

pytestmark = pytest.mark.e2e


def hint_field(msg: SentMessage) -> str:
    fields = msg.embeds[0].get("fields", []) if msg.embeds else []
    return next((f["value"] for f in fields if f["name"] == "💡"), "")


async def test_first_to_n_ends_the_quiz_when_reached(world: World) -> None:
    emu = world.emulator
    giulia = emu.member(world.guild, "Giulia")
    await giulia.slash("quiz start", questions=10, mode="typed", seconds=60, first_to=30)
    for position in range(1, 4):  # 10, 20 or 30 a question: three right answers always reach 30
        asked = is_question(position)
        msg = await emu.wait_for(lambda m, asked=asked: asked(m) or "reached 30 points" in m.text())
        if "reached" in msg.text():
            break
        question = await question_for(world, msg)
        await giulia.say(question.answer)
    final = await emu.wait_for(contains("Giulia reached 30 points! Final standings"))
    assert "Giulia" in final.embeds[0]["description"]
    assert not any(is_question(position + 1)(m) for m in emu.sent)  # nothing asked after the target
    async with world.bot.db.sessions() as s:
        points = await s.scalar(select(func.sum(ScoreEvent.points)))
        state = await s.scalar(select(QuizSession.state))
    assert points is not None and points >= 30 and state == "finished"


async def test_three_silent_questions_stop_the_quiz_and_say_so(world: World) -> None:
    emu = world.emulator
    starter = emu.member(world.guild, "Starter")
    await starter.slash("quiz start", questions=6, mode="buttons", seconds=5)
    final = await emu.wait_for(contains("No answers to 3 questions in a row"), timeout=15)
    assert final.embeds and "Nobody scored" in final.embeds[0]["description"]  # the standings still show
    assert any(is_question(3)(m) for m in emu.sent) and not any(is_question(4)(m) for m in emu.sent)
    async with world.bot.db.sessions() as s:
        rounds = await s.scalar(select(func.count()).select_from(QuizRound))
        state = await s.scalar(select(QuizSession.state))
    assert rounds == 3 and state == "finished"


async def test_hints_edit_the_question_and_lower_the_points(world: World) -> None:
    emu = world.emulator
    marco = emu.member(world.guild, "Marco")
    await marco.slash("quiz start", questions=1, mode="typed", seconds=60)
    msg = await emu.wait_for(is_question(1))
    question = await question_for(world, msg)
    assert hint_field(msg) == ""
    await emu.wait_for(lambda m: m.id == msg.id and "Hint 1" in hint_field(m), timeout=5)
    assert build_hint(question.answer, 1).pattern in hint_field(msg)
    await emu.wait_for(lambda m: m.id == msg.id and "Hint 2" in hint_field(m), timeout=5)
    shown = build_hint(question.answer, 2).pattern
    assert f"`{shown}`" in hint_field(msg) and "Hint 1" not in hint_field(msg)
    await marco.say(question.answer)
    won = await emu.wait_for(contains("got it!"))
    async with world.bot.db.sessions() as s:
        event = await s.scalar(select(ScoreEvent).where(ScoreEvent.user_id == marco.id))
    base = {"easy": 10, "medium": 20, "hard": 30}[question.difficulty]
    assert event is not None and event.points == base // 2 and f"(+{base // 2})" in won.text()


async def test_no_hints_when_off_and_the_reveal_shows_the_source(world: World) -> None:
    emu = world.emulator
    anna = emu.member(world.guild, "Anna")
    await anna.slash("quiz start", questions=1, mode="typed", seconds=5, hints="off")
    msg = await emu.wait_for(is_question(1))
    question = await question_for(world, msg)
    reveal = await emu.wait_for(contains("Time's up!"), timeout=5)
    assert msg.edits == 0 and hint_field(msg) == ""
    assert question.source
    expected = source_line(None, plain(question.source))
    assert expected.startswith("Source: ") and reveal.text().endswith("\n-# " + expected)
    assert len(reveal.text()) <= 2000
    await emu.wait_for(contains("Final standings"))


async def test_fair_matching_forgives_one_slip_but_not_a_club(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    for question, answer, choices in (
        ("Which former striker said the sessions would destroy you?", "Christian Vieri", "Luis Muriel|X|Y"),
        ("Which club plays at the Stadio Olimpico?", "Roma", "Napoli|Genoa|Torino"),
    ):
        opened = await admin.slash("bank add", difficulty="medium")
        ids = field_ids(opened)
        alias = "Vieri" if "Vieri" in answer else ""
        values = dict(zip(ids, [question, answer, alias, choices, "Fair"], strict=True))
        saved = await admin.submit(opened, values)
        assert "Added question" in saved.messages[0].text()
    fan = emu.member(world.guild, "Fan")
    await admin.slash("quiz start", category="Fair", questions=2, mode="typed", seconds=60)
    for position in (1, 2):
        msg = await emu.wait_for(is_question(position))
        if "striker" in msg.embeds[0]["description"]:
            await fan.say("Vieiri")  # one slip in a five-letter surname
            await emu.wait_for(lambda m: "got it!" in m.text() and "Christian Vieri" in m.text())
        else:
            await fan.say("Rome")  # a city, not the club: still wrong
            await admin.slash("quiz skip")
            await emu.wait_for(lambda m: "Skipped." in m.text() and "**Roma**" in m.text())
    await emu.wait_for(contains("Final standings"))
