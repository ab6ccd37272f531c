"""A server's club and the club/competition filters, end to end: /server club, /quiz start club:…,
no repeated question in a server, and the daily post preferring the club's "on this day"."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from db.models import Fact, GuildSettings, Question, QuestionClub
from discord_emulator.payloads import MANAGE_GUILD
from tests.conftest import World
from tests.e2e.helpers import contains, is_question, question_for

pytestmark = pytest.mark.e2e


async def tag_questions(world: World, club: str, n: int, competition: str | None = None) -> set[str]:
    """Give `n` built-in questions (with three wrong choices) to `club`, as the content sync would."""
    async with world.bot.db.sessions.begin() as s:
        ids = list(await s.scalars(select(Question.id).order_by(Question.id).limit(n)))
        s.add_all(QuestionClub(question_id=qid, club=club) for qid in ids)
        if competition:
            await s.execute(update(Question).where(Question.id.in_(ids)).values(competition=competition))
    return set(ids)


async def test_server_club_needs_manage_server_and_a_known_club(world: World) -> None:
    emu = world.emulator
    await tag_questions(world, "atalanta", 3)
    fan = emu.member(world.guild, "Fan")
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    refused = await fan.slash("server club", club="atalanta")
    assert refused.messages[0].ephemeral and "Manage Server" in refused.messages[0].text()

    suggestions = await admin.autocomplete("server club", "club", club="atal")
    assert {"name": "Atalanta", "value": "atalanta"} in suggestions
    unknown = await admin.slash("server club", club="Real Bergamo <@&1>")
    assert unknown.messages[0].ephemeral and "don't know the club" in unknown.messages[0].text()
    assert "<@&1>" not in unknown.messages[0].text() or unknown.messages[0].allowed_mentions == {"parse": []}

    done = await admin.slash("server club", club="atalanta")
    assert done.messages[0].ephemeral and "**Atalanta**" in done.messages[0].text()
    shown = await admin.slash("server club")
    assert "**Atalanta**" in shown.messages[0].text()
    async with world.bot.db.sessions() as s:
        assert (await s.get(GuildSettings, world.guild.id)).club == "atalanta"
    cleared = await admin.slash("server club", club="none")
    assert "cleared" in cleared.messages[0].text()
    async with world.bot.db.sessions() as s:
        assert (await s.get(GuildSettings, world.guild.id)).club is None


async def test_quiz_start_by_club_never_repeats_in_the_server(world: World) -> None:
    emu = world.emulator
    pool = await tag_questions(world, "test-fc", 4, competition="europa-league")  # no shipped question
    fan = emu.member(world.guild, "Fan")
    other = await emu.open_channel(world.guild, "other")
    assert {"name": "Test Fc", "value": "test-fc"} in await fan.autocomplete(
        "quiz start", "club", club="test"
    )
    comps = await fan.autocomplete("quiz start", "competition", competition="europa")
    assert [c["value"] for c in comps] == ["europa-league"]

    asked: list[str] = []
    shown_ids: set[int] = set()
    for game in range(2):  # two quizzes of 2 from a pool of 4: four different questions
        start = await fan.slash("quiz start", club="test-fc", questions=2, seconds=5)
        assert "Quiz time!" in start.messages[0].text()
        for position in (1, 2):
            shown = await emu.wait_for(lambda m, p=position: is_question(p)(m) and m.id not in shown_ids)
            shown_ids.add(shown.id)
            asked.append((await question_for(world, shown)).id)
        await emu.wait_for(lambda m, n=game + 1: contains("Final standings")(m) and finals(emu) >= n)
    assert len(asked) == 4 and set(asked) == pool

    third = await fan.slash("quiz start", club="test-fc", competition="europa-league", questions=4, seconds=5)
    assert "4 questions" in third.messages[0].text()  # the pool was used up: a new cycle, no error
    nothing = await fan.slash("quiz start", club="test-fc", competition="serie-a", in_channel=other)
    assert nothing.messages[0].ephemeral and "no questions" in nothing.messages[0].text()
    assert "about Test Fc" in nothing.messages[0].text()


def finals(emu) -> int:
    return sum(1 for m in emu.sent if "Final standings" in m.text())


async def test_daily_post_prefers_the_servers_club(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    async with world.bot.db.sessions.begin() as s:
        s.add(
            Fact(
                id="test:club-day",
                pack="test",
                text="On 22 May 2001 Test FC won the Coppa Test.",
                year=2001,
                month=5,
                day=22,
                date_source="test",
                tags=["Test FC"],
                source="test",
                clubs=["test-fc"],
            )
        )
        s.add(QuestionClub(question_id=await s.scalar(select(Question.id).limit(1)), club="test-fc"))
    await admin.slash("server club", club="test-fc")
    world.clock.set(dt.datetime(2025, 5, 22, 6, 0, tzinfo=dt.UTC))
    await admin.slash("dailypost set", channel=world.channel, time="09:00")
    world.clock.advance(hours=1, minutes=5)
    await world.bot.get_cog("Daily").check_guild(world.guild.id)
    post = await emu.wait_for(lambda m: "Daily post · 2025-05-22" in m.text())
    assert "Test FC won the Coppa Test" in post.embeds[0]["description"]
    assert "Lookman" in post.text()  # the other facts of the day follow
