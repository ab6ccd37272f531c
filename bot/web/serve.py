"""`calcio-quiz web`: serve the pages from the bot's database on their own port until interrupted."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.web.app import make_app
from db.engine import make_engine, make_sessionmaker
from db.models import GuildSettings

log = logging.getLogger(__name__)


async def serve(settings: Settings, *, host: str | None = None, port: int | None = None) -> int:
    """Run the web server; the bot (or `calcio-quiz migrate`) owns the schema, this process only reads."""
    engine = make_engine(settings.db_url)
    sessions = make_sessionmaker(engine)
    try:
        async with sessions() as s:
            await s.execute(select(GuildSettings.web_slug).limit(1))
    except SQLAlchemyError:
        await engine.dispose()
        print("calcio-quiz web: the database is not at the latest schema; run `calcio-quiz migrate` first.")
        return 1
    app = make_app(sessions, season_start_month=settings.season_start_month)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    bind_host, bind_port = host or settings.web_host, port or settings.web_port
    site = web.TCPSite(runner, bind_host, bind_port)
    try:
        await site.start()
        print(f"Calcio Quiz web pages on http://{bind_host}:{bind_port} (links use {settings.web_base})")
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await engine.dispose()
    return 0
