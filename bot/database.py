"""Open the database for the bot or the command line: engine, migrations, content sync."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.config import Settings
from bot.content.loader import load_content
from db.engine import hold_startup_lock, make_engine, make_sessionmaker, migrate
from db.queries.content import SyncReport, sync_content

log = logging.getLogger(__name__)


@dataclass
class Database:
    """An open database: the engine and its session factory."""

    engine: AsyncEngine
    sessions: async_sessionmaker

    async def close(self) -> None:
        await self.engine.dispose()


async def open_database(settings: Settings, *, sync: bool = True) -> tuple[Database, SyncReport | None]:
    """Migrate to head and (by default) sync built-in content; a bad content file aborts before writes."""
    content = load_content(settings.content_dir) if sync else None
    engine = make_engine(settings.db_url)
    await migrate(engine)
    db = Database(engine, make_sessionmaker(engine))
    report = None
    if content is not None:
        async with db.sessions.begin() as session:
            await hold_startup_lock(await session.connection())  # one process syncs at a time
            report = await sync_content(session, content)
        log.info(
            "Content synced: %d added, %d updated, %d unchanged, %d deactivated",
            report.added,
            report.updated,
            report.unchanged,
            report.deactivated,
        )
    return db, report
