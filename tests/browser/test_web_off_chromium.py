"""In Chromium: the page an admin published with /server web on disappears after /server web off."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.config import Settings
from db.queries.scores import EventDraft, record_events
from discord_emulator.payloads import MANAGE_GUILD
from tests.browser.conftest import WebServer
from tests.conftest import World, seed_database, start_world, stop_world

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture
async def live(settings: Settings, template_db: Path) -> AsyncIterator[World]:
    seed_database(settings, template_db)
    w, task = await start_world(settings)
    yield w
    await stop_world(w, task)


@pytest.fixture
def web_source(live: World) -> tuple[str, ManualClock]:
    return live.settings.db_url, live.clock


async def test_page_gone_after_server_web_off(live: World, page: Any, web_server: WebServer) -> None:
    from selenium.webdriver.common.by import By

    emu = live.emulator
    fan = emu.member(live.guild, "Nadia")
    admin = emu.member(live.guild, "Admin", permissions=MANAGE_GUILD)
    async with live.bot.db.sessions.begin() as s:
        await record_events(
            s,
            [EventDraft(live.guild.id, fan.id, "q", "Players", True, 30, 900, live.clock.now())],
            "Europe/Rome",
        )
    on = await admin.slash("server web on")
    msg = await emu.wait_for(lambda m: m.interaction_id == on.id and bool(m.embeds))
    url = next(b["url"] for b in msg.buttons() if b.get("style") == 5)
    address = web_server.base + url[url.index("/s/") :]

    await asyncio.to_thread(page.get, address)
    assert await asyncio.to_thread(lambda: page.find_element(By.CSS_SELECTOR, "td.fan").text) == "Nadia"

    await admin.slash("server web off")
    await asyncio.to_thread(page.refresh)
    heading = await asyncio.to_thread(lambda: page.find_element(By.TAG_NAME, "h1").text)
    assert heading == "Not found" and "Nadia" not in await asyncio.to_thread(lambda: page.page_source)
