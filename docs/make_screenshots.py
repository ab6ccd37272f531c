"""Make the README's pictures: the web pages in headless Chromium (desktop and phone) and the two
Discord charts, from a demo server filled with made-up fans. Needs Debian's chromium and chromium-driver.

    python docs/make_screenshots.py        # writes docs/*.png
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp import web

from bot import charts
from bot.clock import ManualClock
from bot.config import Settings
from bot.database import open_database
from bot.web.app import make_app
from db.models import QuizSession
from db.queries import history
from db.queries import leaderboard as lb
from db.queries.profiles import enable_web, save_names, set_hidden
from db.queries.scores import EventDraft, record_events

DOCS = Path(__file__).resolve().parent
NOW = dt.datetime(2025, 5, 22, 19, 0, tzinfo=dt.UTC)
SEASON = dt.date(2024, 7, 1)
GUILD = 1
NAMES = [
    "Nerazzurro88",
    "La Dea",
    "Gasp's Tactics Board",
    "Lookman Fan Club",
    "Bergamo Alta",
    "Curva Pisani",
    "Zapata's Left Boot",
    "Papu",
    "Ilicic Magic",
    "Koopmeiners",
    "De Roon Enthusiast",
    "Marten",
    "Retegui Goals",
    "Sportiello",
    "Djimsiti",
    "Hateboer",
    "Musso",
    "Scalvini",
    "Ederson Bianco",
    "Pasalic",
    "Carnesecchi",
    "Toloi",
    "Gosens Run",
    "Freuler",
]
CATEGORIES = ["Gasperini", "Europa League 2024", "History", "Players", "Club & stadium", "Champions League"]


async def fill(settings: Settings) -> str:
    db, _ = await open_database(settings)
    rng = random.Random(11)
    async with db.sessions.begin() as s:
        slug = await enable_web(s, GUILD, "Curva Nord · Atalanta fans")
        drafts, quiz_id = [], 0
        day = SEASON
        while day <= NOW.date():
            if rng.random() < 0.45:
                quiz_id += 1
                started = dt.datetime.combine(day, dt.time(19, 30), dt.UTC)
                cat = rng.choice(CATEGORIES)
                s.add(
                    QuizSession(
                        id=quiz_id,
                        guild_id=GUILD,
                        channel_id=5,
                        starter_id=1,
                        mode="typed",
                        category=cat,
                        difficulty=None,
                        total=10,
                        seconds=20,
                        state="finished",
                        question_ids=[],
                        started_at=started,
                        ended_at=started + dt.timedelta(minutes=6),
                    )
                )
                await s.flush()
                players = rng.sample(range(len(NAMES)), rng.randrange(4, 14))
                for q in range(10):
                    for p in players:
                        skill = 0.85 - p * 0.025
                        right = rng.random() < skill
                        drafts.append(
                            EventDraft(
                                GUILD,
                                100 + p,
                                "gasperini-atalanta:q001",
                                cat,
                                right,
                                20 if right else 0,
                                rng.randrange(900, 15000) if right else None,
                                started + dt.timedelta(seconds=30 * q + p),
                                quiz_id,
                            )
                        )
            day += dt.timedelta(days=1)
        await record_events(s, drafts, "Europe/Rome")
        await save_names(s, GUILD, {100 + i: n for i, n in enumerate(NAMES)}, NOW)
        await set_hidden(s, GUILD, 100 + 4, True, NAMES[4], NOW)
        top = await lb.page(s, GUILD, SEASON, key="s2024", limit=10)
        race = await history.race(s, GUILD, [r.user_id for r in top], SEASON)
        weeks = await history.weekly_points(s, GUILD, 102, SEASON, NOW.date())
        cats = await history.category_scores(s, GUILD, 102)
    await db.close()
    (DOCS / "discord-stats-chart.png").write_bytes(
        charts.fan_chart(NAMES[2], weeks, [(c.category, c.correct) for c in cats]).png
    )
    (DOCS / "discord-race-chart.png").write_bytes(
        charts.race_chart([(NAMES[r.user_id - 100], race[r.user_id]) for r in top], SEASON, NOW.date()).png
    )
    return slug


def serve(settings: Settings) -> tuple[str, asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    port: list[int] = []

    async def start() -> None:
        from db.engine import make_engine, make_sessionmaker

        runner = web.AppRunner(
            make_app(make_sessionmaker(make_engine(settings.db_url)), clock=ManualClock(NOW))
        )
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        port.append(runner.addresses[0][1])

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    threading.Thread(target=run, daemon=True).start()
    ready.wait(15)
    return f"http://127.0.0.1:{port[0]}", loop


def shoot(base: str, slug: str) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    try:
        for name, path, size in (
            ("web-ranking.png", f"/s/{slug}?period=season", (1100, 1150)),
            ("web-fan.png", f"/s/{slug}/fan/102", (1100, 1050)),
            ("web-quizzes.png", f"/s/{slug}/quizzes", (1100, 800)),
            ("web-phone.png", f"/s/{slug}?period=week", (390, 844)),
        ):
            driver.set_window_size(*size)
            driver.get(base + path)
            driver.save_screenshot(str(DOCS / name))
            print("wrote", DOCS / name)
    finally:
        driver.quit()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(discord_token=None, data_dir=Path(tmp))
        slug = asyncio.run(fill(settings))
        base, loop = serve(settings)
        shoot(base, slug)
        loop.call_soon_threadsafe(loop.stop)
    print("wrote", DOCS / "discord-stats-chart.png", DOCS / "discord-race-chart.png")


if __name__ == "__main__":
    main()
