"""Hardening, through the real bot: forged option values, commands from DMs, hidden characters in names."""

from __future__ import annotations

import re
from typing import Any

import pytest

from discord_emulator import Emulator
from discord_emulator.actors import Fan
from discord_emulator.payloads import MANAGE_GUILD
from discord_emulator.state import Interaction
from tests.conftest import World
from tests.unit.test_formats import ALIAS_BOMB

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


@pytest.fixture
def world(shared_world: World) -> World:
    """Every test here is refused or only reads the registered commands: one bot serves them all."""
    return shared_world


async def forged(fan: Fan, path: str, **raw: Any) -> Interaction:
    """`/path` with option values written straight into the payload, as a forged client could."""
    payload = fan._base(2, fan.channel) | {"data": fan._command_data(path, {})}  # type: ignore[arg-type]
    container = payload["data"]["options"]
    while container and container[0]["type"] in (1, 2):
        container = container[0]["options"]
    types = {int: 4, float: 10, str: 3}
    container.extend({"name": k, "type": types[type(v)], "value": v} for k, v in raw.items())
    inter = await fan.emulator.send_interaction(payload)
    await fan.emulator.wait_answered(inter)
    return inter


async def from_dm(emu: Emulator, fan: Fan, path: str) -> Interaction:
    """`/path` as if run in the member's DM with the bot (no guild, no member: a user)."""
    payload = fan._base(2, fan.channel) | {"data": fan._command_data(path, {})}  # type: ignore[arg-type]
    dm_id = fan.id + 1
    for key in ("guild_id", "guild", "member", "guild_locale"):
        payload.pop(key, None)
    payload["data"].pop("guild_id", None)
    payload |= {
        "user": fan.member.user,
        "channel_id": str(dm_id),
        "channel": {"id": str(dm_id), "type": 1, "recipients": [fan.member.user]},
        "context": 1,
        "authorizing_integration_owners": {"1": str(fan.id)},
        "app_permissions": "0",
    }
    # The emulator's own record keeps the guild only to look the user up for message metadata.
    inter = Interaction(
        int(payload["id"]), payload["token"], 2, fan.id, dm_id, fan.guild.id, payload, emu.clock()
    )
    emu.interactions[inter.id] = inter
    await emu.dispatch("INTERACTION_CREATE", payload)
    await emu.wait_answered(inter, timeout=5)
    return inter


def error_text(inter: Interaction) -> str:
    assert inter.messages, "no reply"
    return inter.messages[0].text()


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({"questions": -3}, "`questions` must be between 1 and 50"),
        ({"questions": 51}, "`questions` must be between 1 and 50"),
        ({"seconds": 1}, "`seconds` must be between 5 and 120"),
        ({"mode": "sideways"}, "`mode` must be one of: typed, buttons"),
        ({"difficulty": "legendary"}, "`difficulty` must be one of"),
    ],
)
async def test_forged_option_values_are_refused(world: World, options: dict[str, Any], said: str) -> None:
    fan = world.emulator.member(world.guild, "Forger")
    inter = await forged(fan, "quiz start", **options)
    assert inter.messages[0].ephemeral and said in error_text(inter)
    assert not world.bot.get_cog("Quiz").running  # type: ignore[union-attr]


@pytest.mark.parametrize("path", ["quiz start", "quiz stop", "leaderboard show", "stats", "bank list"])
async def test_server_commands_from_a_dm_get_a_friendly_line(world: World, path: str) -> None:
    fan = world.emulator.member(world.guild, "Pen Pal")
    inter = await from_dm(world.emulator, fan, path)
    text = error_text(inter)
    assert "only works in a server" in text and "error id" not in text


SERVER_ONLY = ("quiz", "leaderboard", "leaderboard-reset", "stats", "bank", "dailypost", "server")
ADMIN = ("leaderboard-reset", "bank", "dailypost", "server")


async def test_server_only_commands_are_registered_for_servers_only(world: World) -> None:
    commands = {c["name"]: c for c in world.emulator.global_commands}
    for name in SERVER_ONLY:
        assert commands[name].get("contexts") == [0], (name, commands[name].get("contexts"))


async def test_admin_commands_are_hidden_from_members_by_default(world: World) -> None:
    """Discord only honours default permissions on top-level commands, so no admin action may live
    in a group that members can see (the old `/leaderboard reset`)."""
    commands = {c["name"]: c for c in world.emulator.global_commands}
    for name in ADMIN:
        assert str(commands[name].get("default_member_permissions")) == str(MANAGE_GUILD), name
    for cmd in commands.values():
        if cmd.get("default_member_permissions") is None:
            subs = {o["name"] for o in cmd.get("options", []) if o["type"] in (1, 2)}
            assert "reset" not in subs, cmd["name"]


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


async def test_hidden_characters_in_names_never_reach_the_channel(world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "\u202eeliveD\u2066 \u200bUltra\ufeff")
    started = await fan.slash("quiz start", questions=1, seconds=5)
    assert "Started by eliveD Ultra" in started.messages[0].text()
    await emu.wait_for(lambda m: "Final standings" in m.text(), timeout=15)
    await fan.slash("stats")
    for msg in emu.sent:
        shown = msg.text()
        assert not BIDI.search(shown), shown
        assert "\ufeff" not in shown and "\u200b" not in shown.replace("@\u200b", ""), shown


@pytest.mark.parametrize(
    ("name", "body", "said"),
    [
        ("bomb.yaml", ALIAS_BOMB, "line 2: the file uses a YAML alias"),
        ("deep.yaml", "questions:\n- " + "[" * 50_000 + "]" * 50_000 + "\n", "line 2: nested too deeply"),
        ("deep.json", '{"results": ' + "[" * 50_000 + "]" * 50_000 + "}", "line 1: nested too deeply"),
    ],
)
async def test_hostile_bank_files_get_a_located_answer(world: World, name: str, body: str, said: str) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    done = await admin.slash("bank import", file=(name, body.encode()))
    report = await emu.wait_for(lambda m: m.interaction_id == done.id and "import" in m.text().lower())
    assert said in report.text() and "error id" not in report.text(), report.text()
