"""The real bot connects to the emulator, syncs its commands and answers a slash command."""

from __future__ import annotations

import pytest

from tests.conftest import World

pytestmark = pytest.mark.e2e


async def test_bot_connects_syncs_and_answers_fact(world: World) -> None:
    names = {c["name"] for c in world.emulator.global_commands}
    assert {"fact", "onthisday"} <= names
    fan = world.emulator.member(world.guild, "Marco")
    inter = await fan.slash("fact", topic="Ademola Lookman")
    msg = inter.messages[0]
    assert msg.embeds and "Lookman" in msg.embeds[0]["description"]
    assert msg.allowed_mentions == {"parse": [], "replied_user": False} or msg.allowed_mentions["parse"] == []
    assert not world.emulator.unknown_routes
