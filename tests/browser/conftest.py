"""Headless Chromium (Debian's chromium + chromium-driver, driven by Selenium) and the web server on a
real port, in a thread with its own event loop so the blocking browser calls never stall it."""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web

from bot.clock import Clock
from bot.web.app import make_app
from db.engine import make_engine, make_sessionmaker

CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
)


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (os.path.exists(path) or shutil.which(path)):
            return f"{path} not found: install Debian's {package} (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (skipped, with the reason, where none is installed)."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """The browser at desktop size, its console emptied, back to that size afterwards."""
    browser.set_window_size(1280, 900)
    browser.get_log("browser")
    yield browser
    browser.set_window_size(1280, 900)


@dataclass
class WebServer:
    base: str
    loop: asyncio.AbstractEventLoop


@pytest.fixture
def web_server(request: pytest.FixtureRequest) -> Iterator[WebServer]:
    """Serve the pages of `request.param`'s database URL (a (url, clock) pair set by the test module)."""
    url, clock = request.getfixturevalue("web_source")
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, Any] = {}

    async def start() -> None:
        engine = make_engine(url)
        runner = web.AppRunner(make_app(make_sessionmaker(engine), clock=clock))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        state.update(engine=engine, runner=runner, port=runner.addresses[0][1])

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="web-server", daemon=True)
    thread.start()
    assert ready.wait(15), "web server did not start"

    async def stop() -> None:
        await state["runner"].cleanup()
        await state["engine"].dispose()

    try:
        yield WebServer(f"http://127.0.0.1:{state['port']}", loop)
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result(15)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(15)
        loop.close()


def csp_violations(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


__all__ = ["Clock", "WebServer", "csp_violations"]
