"""VAR end to end: a refused typed answer contested with the "Contest answer" message menu, decided by
staff."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from db.models import ScoreEvent, VarClaim
from discord_emulator import SentMessage
from discord_emulator.actors import Fan
from discord_emulator.payloads import MANAGE_GUILD, MANAGE_MESSAGES
from tests.conftest import World, start_world, stop_world
from tests.e2e.helpers import contains, is_question
from tests.e2e.test_bank import field_ids

pytestmark = pytest.mark.e2e

MENU = "Contest answer"
QUESTION = "Which goalkeeper kept a clean sheet in the 2006 World Cup final's extra time?"
ANSWER = "Gianluigi Buffon"


async def add_question(world: World, admin: Fan) -> None:
    opened = await admin.slash("bank add", difficulty="medium")
    values = [QUESTION, ANSWER, "Buffon", "Dino Zoff|Walter Zenga|Gianluca Pagliuca", "VAR"]
    saved = await admin.submit(opened, dict(zip(field_ids(opened), values, strict=True)))
    assert "Added question" in saved.messages[0].text()


async def play_one(world: World, starter: Fan, answers: list[tuple[Fan, str]]) -> list[dict[str, Any]]:
    """A one-question typed quiz in category VAR where each (fan, text) is typed; the typed messages."""
    emu = world.emulator
    before = len(emu.sent)
    await starter.slash("quiz start", category="VAR", questions=1, mode="typed", seconds=20, hints="off")
    await emu.wait_for(lambda m: emu.sent.index(m) >= before and is_question(1)(m))
    typed = [await fan.say(text) for fan, text in answers]
    await emu.wait_for(lambda m: emu.sent.index(m) >= before and "Final standings" in m.text(), timeout=10)
    return typed


def claim_of(inter) -> SentMessage:
    assert inter.messages, "the bot did not answer"
    return inter.messages[0]


async def test_contested_answer_upheld_by_a_moderator(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD | MANAGE_MESSAGES)
    fan = emu.member(world.guild, "Gigi Fan")
    other = emu.member(world.guild, "Other")
    plain_member = emu.member(world.guild, "Plain")
    await add_question(world, admin)
    refused, other_refused = await play_one(world, admin, [(fan, "Gigi"), (other, "Gigi <@1> *x*")])

    contest = await fan.message_command(MENU, refused)
    claim = claim_of(contest)
    assert not claim.ephemeral and claim.allowed_mentions == {"parse": []}
    text = claim.text()
    assert QUESTION in text and ANSWER in text and "Gigi" in text and "Gigi Fan" in text
    assert "Upholding awards 20 points" in text

    # Only staff decide: a plain member's press is refused, privately, and changes nothing.
    denied = await plain_member.click(claim, "Uphold")
    assert denied.messages[0].ephemeral and "Manage Messages" in denied.messages[0].text()

    upheld = await admin.click(claim, "Uphold")
    assert upheld.response_type == 7  # the claim message itself shows the decision
    assert "Upheld by Admin: +20 to Gigi Fan." in claim.text()
    async with world.bot.db.sessions() as s:
        event = await s.scalar(select(ScoreEvent).where(ScoreEvent.user_id == fan.id))
        status = await s.scalar(select(VarClaim.status).where(VarClaim.user_id == fan.id))
    assert event is not None and event.correct and event.points == 20 and event.decided_by == admin.id
    assert status == "upheld"

    stats = await fan.slash("stats")
    reply = await emu.wait_for(lambda m: m.interaction_id == stats.id and bool(m.embeds))
    points = next(f["value"] for f in reply.embeds[0]["fields"] if f["name"] == "Points")
    assert points.startswith("20")

    again = await admin.click(claim, "Uphold")  # the buttons are disabled; a forged press is still refused
    assert again.messages[0].ephemeral and "already been decided" in again.messages[0].text()

    # One award per question: another fan's claim on the same question can't be upheld too.
    second = claim_of(await other.message_command(MENU, other_refused))
    assert "<@\u200b1> \\*x\\*" in second.text() and second.allowed_mentions == {"parse": []}
    refused_award = await admin.click(second, "Uphold")
    assert (
        refused_award.messages[0].ephemeral and "one award per question" in refused_award.messages[0].text()
    )
    twice = await fan.message_command(MENU, refused)  # a second claim on the same answer
    assert twice.messages[0].ephemeral and "already been contested" in twice.messages[0].text()

    # The upheld answer becomes an alias for this server: the next time, "Gigi" wins.
    added = await admin.click(claim, "Add as alias")
    assert added.response_type == 7 and "Added as an alias" in claim.text()
    before = len(emu.sent)
    await admin.slash("quiz start", category="VAR", questions=1, mode="typed", seconds=20, hints="off")
    await emu.wait_for(lambda m: emu.sent.index(m) >= before and is_question(1)(m) and QUESTION in m.text())
    await fan.say("gigi")
    await emu.wait_for(contains("**Gigi Fan** got it!"))


async def test_contest_refusals(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD | MANAGE_MESSAGES)
    fan = emu.member(world.guild, "Fan")
    stranger = emu.member(world.guild, "Stranger")
    await add_question(world, admin)
    chatter = await fan.say("before any quiz")
    refused, right = await play_one(world, admin, [(fan, "Zoff"), (stranger, "Buffon")])

    def refusal(inter, words: str) -> None:
        assert inter.messages and inter.messages[0].ephemeral, "expected an ephemeral refusal"
        assert words in inter.messages[0].text(), inter.messages[0].text()

    refusal(await fan.message_command(MENU, chatter), "isn't one")
    refusal(await stranger.message_command(MENU, right), "isn't one")  # a right answer
    bot_message = next(m for m in emu.channel_posts(world.channel) if "Final standings" in m.text())
    refusal(await fan.message_command(MENU, bot_message), "one of my own messages")
    refusal(await stranger.message_command(MENU, refused), "Only the fan who wrote")

    world.clock.advance(minutes=11)  # the quiz ended 11 minutes ago on the server clock
    refusal(await fan.message_command(MENU, refused), "Too late")
    refusal(await admin.message_command(MENU, refused), "Too late")
    async with world.bot.db.sessions() as s:
        assert (await s.scalars(select(VarClaim))).all() == []


async def test_a_moderator_raises_a_claim_for_a_fan_and_rejects_it(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD | MANAGE_MESSAGES)
    fan = emu.member(world.guild, "Fan")
    await add_question(world, admin)
    (refused,) = await play_one(world, admin, [(fan, "Zoff")])
    world.clock.advance(minutes=9)  # still inside the 10 minutes
    claim = claim_of(await admin.message_command(MENU, refused))
    assert "Fan (raised by Admin)" in claim.text()
    await admin.click(claim, "Reject")
    assert "Rejected by Admin." in claim.text()
    assert all(b.get("disabled") for b in claim.buttons())
    async with world.bot.db.sessions() as s:
        event = await s.scalar(select(ScoreEvent).where(ScoreEvent.user_id == fan.id))
    assert event is not None and not event.correct and event.points == 0 and event.decided_by is None


async def test_a_claim_survives_a_restart_and_the_menu_speaks_italian(settings, world: World) -> None:
    emu = world.emulator
    menu = next(c for c in emu.global_commands if c["type"] == 3)
    assert menu["name"] == MENU and menu["description"] == "" and menu.get("contexts") == [0]  # servers only
    assert menu["name_localizations"]["it"] == "Contesta risposta"
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD | MANAGE_MESSAGES)
    fan = emu.member(world.guild, "Fan")
    await add_question(world, admin)
    (refused,) = await play_one(world, admin, [(fan, "Gigi")])
    claim = claim_of(await fan.message_command(MENU, refused))
    await world.bot.close()  # down with the claim undecided; back on the same database
    w2, t2 = await start_world(settings, emulator=emu, clock=world.clock)
    try:
        upheld = await admin.click(claim, "Uphold")
        assert upheld.response_type == 7 and "Upheld by Admin: +20 to Fan." in claim.text()
        async with w2.bot.db.sessions() as s:
            event = await s.scalar(select(ScoreEvent).where(ScoreEvent.user_id == fan.id))
        assert event is not None and event.points == 20 and event.decided_by == admin.id
    finally:
        await stop_world(w2, t2, stop_emulator=False)
