"""Teams (curva mode) end to end: roles marked as teams, a teams quiz, the team standings and board."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.quiz.teams import MAX_TEAMS
from db.models import ScoreEvent, TeamRole, TeamScore
from discord_emulator import SentMessage
from discord_emulator.payloads import MANAGE_GUILD
from discord_emulator.state import Interaction
from tests.conftest import World, start_world, stop_world
from tests.e2e.helpers import contains, is_question, question_for

pytestmark = pytest.mark.e2e

SEVERAL = "more than one team role"


def reply(inter: Interaction) -> SentMessage:
    assert inter.messages, f"no answer to the interaction: {inter.callback}"
    return inter.messages[0]


def no_pings(emu_sent: list[SentMessage]) -> bool:
    return all(m.allowed_mentions is None or m.allowed_mentions.get("parse") == [] for m in emu_sent)


def team_field(msg: SentMessage) -> str:
    fields = msg.embeds[0].get("fields", []) if msg.embeds else []
    return next((f["value"] for f in fields if "Teams" in f["name"]), "")


async def mark_teams(world: World, *names: str) -> list[int]:
    """An admin makes roles with these names and marks them as teams."""
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    ids = [emu.role(world.guild, name) for name in names]
    for rid in ids:
        added = await admin.slash("server teams add", role=rid)
        assert "is now a team" in reply(added).text()
    return ids


async def test_admin_marks_teams_and_a_plain_member_cannot(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    fan = emu.member(world.guild, "Fan")
    nord, sud = emu.role(world.guild, "Curva Nord"), emu.role(world.guild, "Curva Sud")

    refused = reply(await fan.slash("server teams add", role=nord))
    assert refused.ephemeral and "Manage Server" in refused.text()
    first = reply(await admin.slash("server teams add", role=nord))
    assert first.ephemeral and f"<@&{nord}> is now a team (1 of {MAX_TEAMS})" in first.text()
    assert "Add one more team" in first.text()
    second = reply(await admin.slash("server teams add", role=sud))
    assert "(2 of" in second.text() and "/quiz start teams:roles" in second.text()
    again = reply(await admin.slash("server teams add", role=nord))
    assert again.ephemeral and "already a team" in again.text()
    everyone = reply(await admin.slash("server teams add", role=world.guild.id))
    assert everyone.ephemeral and "can't be a team" in everyone.text()

    listed = reply(await admin.slash("server teams list"))
    assert listed.ephemeral and f"<@&{nord}>" in listed.text() and f"<@&{sud}>" in listed.text()
    assert "Teams (2 of 10)" in listed.text()
    assert "Manage Server" in reply(await fan.slash("server teams list")).text()

    for i in range(MAX_TEAMS - 2):  # up to the cap, then a friendly refusal
        rid = emu.role(world.guild, f"Club {i}")
        assert "is now a team" in reply(await admin.slash("server teams add", role=rid)).text()
    over = reply(await admin.slash("server teams add", role=emu.role(world.guild, "One too many")))
    assert over.ephemeral and f"already has {MAX_TEAMS} teams" in over.text()

    assert "Manage Server" in reply(await fan.slash("server teams remove", role=sud)).text()
    removed = reply(await admin.slash("server teams remove", role=sud))
    assert removed.ephemeral and "no longer a team" in removed.text()
    gone = reply(await admin.slash("server teams remove", role=sud))
    assert gone.ephemeral and "is not a team" in gone.text()
    async with world.bot.db.sessions() as s:
        kept = set(await s.scalars(select(TeamRole.role_id).where(TeamRole.guild_id == world.guild.id)))
    assert nord in kept and sud not in kept and len(kept) == MAX_TEAMS - 1
    assert no_pings(emu.sent)
    # Discord hides the group from members without Manage Server, too.
    server = next(
        c for c in emu.global_commands + emu.guild_commands.get(world.guild.id, []) if c["name"] == "server"
    )
    assert int(server["default_member_permissions"]) == MANAGE_GUILD


async def test_a_teams_quiz_needs_two_team_roles(world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Fan")
    refused = reply(await fan.slash("quiz start", questions=1, teams="roles"))
    assert refused.ephemeral and "at least 2 team roles" in refused.text()
    assert "/server teams add" in refused.text()
    await mark_teams(world, "Only one")
    again = reply(await fan.slash("quiz start", questions=1, teams="roles"))
    assert again.ephemeral and "this server has 1" in again.text()
    assert not any(is_question()(m) for m in emu.sent)


async def test_buttons_teams_quiz_scores_fans_and_teams(world: World) -> None:
    emu = world.emulator
    nord_id, sud_id = await mark_teams(world, "Curva Nord", "Curva Sud")
    nord = emu.member(world.guild, "Nordista", roles=[nord_id])
    sud = emu.member(world.guild, "Sudista", roles=[sud_id])
    both = emu.member(world.guild, "Doppio", roles=[nord_id, sud_id])
    solo = emu.member(world.guild, "Solitario")
    start = await nord.slash("quiz start", questions=2, mode="buttons", seconds=60, teams="roles")
    assert "Curva mode" in reply(start).text() and f"<@&{nord_id}>" in reply(start).text()

    notices: list[str] = []
    for position in (1, 2):
        msg = await emu.wait_for(is_question(position))
        question = await question_for(world, msg)
        wrong = next(b["label"] for b in msg.buttons() if b["label"] != question.answer)
        await nord.click(msg, question.answer)
        await sud.click(msg, question.answer if position == 1 else wrong)
        await solo.click(msg, question.answer)
        pressed = reply(await both.click(msg, question.answer))
        assert pressed.ephemeral and "Locked in" in pressed.text()
        notices.append(pressed.text())
        await nord.slash("quiz skip")  # everyone has answered: close the question now
    assert SEVERAL in notices[0] and SEVERAL not in notices[1]  # told once, privately

    final = await emu.wait_for(contains("Final standings"))
    async with world.bot.db.sessions() as s:
        events = (await s.scalars(select(ScoreEvent))).all()
        board = {
            t.team_id: t.points
            for t in await s.scalars(select(TeamScore).where(TeamScore.period_key == "all"))
        }
    teams_of = {(e.user_id, e.team_id) for e in events}
    assert teams_of == {(nord.id, nord_id), (sud.id, sud_id), (both.id, None), (solo.id, None)}
    points = {fan.id: sum(e.points for e in events if e.user_id == fan.id) for fan in (nord, sud, both, solo)}
    assert all(points[f.id] > 0 for f in (nord, both, solo))  # a fan's own points count, team or not
    assert board == {nord_id: points[nord.id], sud_id: points[sud.id]}
    assert points[nord.id] > points[sud.id]
    shown = team_field(final)
    assert shown.index(f"<@&{nord_id}>") < shown.index(f"<@&{sud_id}>")
    assert f"{points[nord.id]} pts" in shown and "Doppio" in final.text()

    shown_board = reply(await solo.slash("leaderboard show", board="teams"))
    text = shown_board.text()
    assert "Team leaderboard" in text and text.index(f"<@&{nord_id}>") < text.index(f"<@&{sud_id}>")
    assert f"**1.** <@&{nord_id}> — {points[nord.id]} pts" in text
    week = reply(await solo.slash("leaderboard show", board="teams", period="week")).text()
    assert f"<@&{nord_id}> — {points[nord.id]} pts" in week
    refused = reply(await solo.slash("leaderboard show", board="teams", chart=True))
    assert refused.ephemeral and "no categories nor chart" in refused.text()
    assert no_pings(emu.sent)


async def test_typed_teams_quiz_tells_a_two_team_fan_once(world: World) -> None:
    emu = world.emulator
    nord_id, sud_id = await mark_teams(world, "Curva Nord", "Curva Sud")
    nord = emu.member(world.guild, "Nordista", roles=[nord_id])
    both = emu.member(world.guild, "Doppio", roles=[nord_id, sud_id])
    await nord.slash("quiz start", questions=1, mode="typed", seconds=60, teams="roles", hints="off")
    msg = await emu.wait_for(is_question(1))
    question = await question_for(world, msg)
    await both.say("surely not this")
    notice = await emu.wait_for(contains(SEVERAL))
    assert (
        "Doppio" in notice.text() and f"<@&{nord_id}>" in notice.text() and f"<@&{sud_id}>" in notice.text()
    )
    assert notice.allowed_mentions is not None and notice.allowed_mentions.get("parse") == []
    assert notice.payload["type"] == 19  # a reply to the fan's own message, which pings nobody
    assert notice.payload["referenced_message"]["author"]["id"] == str(both.id)
    await both.say("nor this")
    await nord.say(question.answer)
    won = await emu.wait_for(contains("got it!"))
    assert f"🏟️ <@&{nord_id}> +" in won.text() and f"<@&{sud_id}>" not in won.text()  # the team's share
    final = await emu.wait_for(contains("Final standings"))
    assert sum(SEVERAL in m.text() for m in emu.sent) == 1  # once per quiz
    for _ in range(100):  # the notice goes away by itself (20 s, scaled down in tests)
        if notice.deleted:
            break
        await asyncio.sleep(0.05)
    assert notice.deleted
    assert f"<@&{nord_id}>" in team_field(final)
    async with world.bot.db.sessions() as s:
        events = (await s.scalars(select(ScoreEvent))).all()
    assert {(e.user_id, e.team_id, e.points > 0) for e in events} == {
        (nord.id, nord_id, True),
        (both.id, None, False),
    }


async def test_a_restart_shows_the_team_standings_so_far(settings, world: World) -> None:
    emu = world.emulator
    nord_id, sud_id = await mark_teams(world, "Curva Nord", "Curva Sud")
    nord = emu.member(world.guild, "Nordista", roles=[nord_id])
    await nord.slash("quiz start", questions=5, mode="typed", seconds=60, teams="roles", hints="off")
    q1 = await emu.wait_for(is_question(1))
    await nord.say((await question_for(world, q1)).answer)
    await emu.wait_for(contains("got it!"))
    await emu.wait_for(is_question(2))
    await world.bot.close()  # down mid-question, back on the same database
    w2, t2 = await start_world(settings, emulator=emu)
    try:
        notice = await emu.wait_for(contains("I restarted"))
        shown = team_field(notice)
        assert f"**1.** <@&{nord_id}>" in shown and f"<@&{sud_id}>" not in shown  # teams that scored
    finally:
        await stop_world(w2, t2, stop_emulator=False)
