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
