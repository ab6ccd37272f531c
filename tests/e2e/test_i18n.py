"""Languages end to end: the synced commands carry Italian names, and replies follow who reads them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.translator import valid_name
from tests.conftest import World

pytestmark = pytest.mark.e2e

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2


def _walk(items: list[dict[str, Any]], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every command, group, option and choice in a sync payload, with its path."""
    out: list[tuple[str, dict[str, Any]]] = []
    for item in items:
        here = f"{path} {item['name']}".strip()
        out.append((here, item))
        for choice in item.get("choices") or []:
            out.append((f"{here}={choice['name']}", choice | {"_choice": True}))
        out += _walk(item.get("options") or [], here)
    return out


async def test_synced_commands_carry_italian_names_and_descriptions(world: World) -> None:
    commands = world.emulator.global_commands
    assert commands, "the bot registered no commands"
    names = {c["name"]: c for c in commands}
    assert names["quiz"]["name_localizations"]["it"] == "quiz"
    assert names["leaderboard"]["name_localizations"]["it"] == "classifica"
    start = next(o for o in names["quiz"]["options"] if o["name"] == "start")
    assert start["name_localizations"]["it"] == "inizia"
    assert start["description_localizations"]["it"] == "Inizia un quiz in questo canale"

    missing, invalid = [], []
    for path, item in _walk(commands):
        localized = (item.get("name_localizations") or {}).get("it")
        if not localized:
            missing.append(f"{path} (name)")
        elif not item.get("_choice") and not valid_name(localized):
            invalid.append(f"{path} -> {localized!r}")
        if not item.get("_choice"):
            description = (item.get("description_localizations") or {}).get("it")
            if not description:
                missing.append(f"{path} (description)")
            elif not 1 <= len(description) <= 100:
                invalid.append(f"{path} description length {len(description)}")
    assert not missing, f"no Italian for: {missing}"
    assert not invalid, f"names Discord would refuse: {invalid}"
    # Only languages we have catalogs for are sent.
    assert set(names["quiz"]["name_localizations"]) == {"it"}


MANAGE_GUILD = 1 << 5


async def _language(world: World) -> str | None:
    from db.queries.guilds import guild_language

    async with world.bot.db.sessions() as s:
        return await guild_language(s, world.guild.id)


async def test_server_language_needs_manage_server_and_answers_in_the_fans_language(world: World) -> None:
    emu = world.emulator
    english_fan = emu.member(world.guild, "Tom", locale="en-GB")
    italian_fan = emu.member(world.guild, "Giulia", locale="it")
    refused = await english_fan.slash("server language", language="it")
    assert refused.messages[0].ephemeral and "Manage Server" in refused.messages[0].text()
    rifiutato = await italian_fan.slash("server language", language="it")
    assert rifiutato.messages[0].ephemeral
    assert "Per farlo ti serve il permesso **Gestisci server**." in rifiutato.messages[0].text()
    assert await _language(world) is None

    admin = emu.member(world.guild, "Presidente", permissions=MANAGE_GUILD, locale="it")
    done = await admin.slash("server language", language="it")
    assert done.messages[0].ephemeral
    assert done.messages[0].text() == (
        "Fatto: qui domande del quiz, classifiche e post quotidiani saranno in **italiano**."
    )
    assert await _language(world) == "it"
    shown = await emu.member(world.guild, "Mod", permissions=MANAGE_GUILD).slash("server language")
    assert shown.messages[0].text() == "Public messages here are in **Italian**."

    await admin.slash("server language", language="auto")
    assert await _language(world) is None
    auto = await admin.slash("server language")
    assert "**inglese**, la lingua del server su Discord" in auto.messages[0].text()


async def test_an_italian_server_defaults_to_italian(settings) -> None:
    from discord_emulator import Emulator
    from tests.conftest import start_world, stop_world

    emu = Emulator()
    await emu.start()
    guild = emu.guild("Curva Sud", locale="it")
    emu.channel(guild, "quiz")
    world, task = await start_world(settings, emulator=emu)
    try:
        admin = emu.member(guild, "Admin", permissions=MANAGE_GUILD)
        shown = await admin.slash("server language")
        assert "**Italian**, the server's Discord language" in shown.messages[0].text()
    finally:
        await stop_world(world, task)
